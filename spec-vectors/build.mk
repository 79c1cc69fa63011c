# spec-vectors/build.mk: the vector assembler (no proto/ code) and the vector field test.

VECASM := $(B)/rel/spec-vectors/vecasm

$(VECASM): $(call rel_objs,spec-vectors/vecasm.c)
	$(CC) $^ -o $@ -lpcap

TEST_TARGETS += $(VECASM)

# Every vector decoded by proto/ to the fields its source states (cmocka, sanitizer build).
VECTOR_FIELDS_TEST := $(B)/san/tests/golden/test_vectors_fields

$(VECTOR_FIELDS_TEST): $(call san_objs,tests/golden/test_vectors_fields.c decode/link.c) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@ -lcmocka -lpcap

TEST_TARGETS += $(VECTOR_FIELDS_TEST)
