# spec-vectors/build.mk: the vector assembler (no proto/ code) and the vector field test.

VECASM := $(B)/rel/spec-vectors/vecasm

$(VECASM): $(call rel_objs,spec-vectors/vecasm.c)
	$(CC) $^ -o $@ -lpcap

TEST_TARGETS += $(VECASM)
