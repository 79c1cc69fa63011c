# SPDX-License-Identifier: BSD-2-Clause
# spec-vectors/build.mk: the vector assembler (no proto/ code) and the vector field test.

VECASM := $(B)/rel/spec-vectors/vecasm

$(VECASM): $(call rel_objs,spec-vectors/vecasm.c)
	$(CC) $^ -o $@ -lpcap

TEST_TARGETS += $(VECASM)

# Every vector decoded by proto/ to the fields its source states (cmocka, sanitizer build).
VECTOR_FIELDS_TEST := $(B)/san/tests/golden/test_vectors_fields

$(VECTOR_FIELDS_TEST): $(call san_objs,tests/golden/test_vectors_fields.c decode/link.c decode/print.c) \
	$(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@ -lcmocka -lpcap

TEST_TARGETS += $(VECTOR_FIELDS_TEST)

# Raw IP packets of every vector (NAME-N.ip) for consumers that take bytes, not pcaps:
# fuzz seed corpora, BPF_PROG_TEST_RUN inputs. make build/spec-vectors/raw/.stamp
VECTORS_RAW := $(B)/spec-vectors/raw/.stamp

$(VECTORS_RAW): $(VECASM) $(wildcard spec-vectors/src/*.vec)
	rm -rf $(@D) $(B)/spec-vectors/pcap
	mkdir -p $(@D) $(B)/spec-vectors/pcap
	$(VECASM) -o $(B)/spec-vectors/pcap -r $(@D) spec-vectors/src/*.vec
	touch $@
