# SPDX-License-Identifier: BSD-2-Clause
# spec-vectors/build.mk: the vector assembler (no proto/ code) and the vector field test.

VECASM := $(B)/rel/spec-vectors/vecasm

$(VECASM): $(call rel_objs,spec-vectors/vecasm.c)
	$(CC) $^ -o $@ -lpcap

TEST_TARGETS += $(VECASM)

# Vector tests, one cmocka binary per tests/golden/test_*.c (sanitizer build), linked with
# rtr-decode's pcap reader and printer; 20-golden.sh runs each on the spec-vectors directory.
# test_vectors_fields: every vector decoded by proto/ to the fields its source states.
GOLDEN_TEST_BINS := $(patsubst tests/golden/%.c,$(B)/san/tests/golden/%,$(sort $(wildcard tests/golden/test_*.c)))

$(GOLDEN_TEST_BINS): $(B)/san/tests/golden/%: $(B)/san/tests/golden/%.o \
		$(call san_objs,decode/link.c decode/print.c) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@ -lcmocka -lpcap

TEST_TARGETS += $(GOLDEN_TEST_BINS)

# Raw IP packets of every vector (NAME-N.ip) for consumers that take bytes, not pcaps:
# fuzz seed corpora, BPF_PROG_TEST_RUN inputs. make build/spec-vectors/raw/.stamp
VECTORS_RAW := $(B)/spec-vectors/raw/.stamp

$(VECTORS_RAW): $(VECASM) $(wildcard spec-vectors/src/*.vec)
	rm -rf $(@D) $(B)/spec-vectors/pcap
	mkdir -p $(@D) $(B)/spec-vectors/pcap
	$(VECASM) -o $(B)/spec-vectors/pcap -r $(@D) spec-vectors/src/*.vec
	touch $@
