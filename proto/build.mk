# SPDX-License-Identifier: BSD-2-Clause
# proto/build.mk: the wire library (release and sanitizer trees) and its cmocka unit tests.

PROTO_SRCS := $(sort $(wildcard proto/*.c))

$(PROTO_REL_LIB): $(call rel_objs,$(PROTO_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(PROTO_SAN_LIB): $(call san_objs,$(PROTO_SRCS))
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

ALL_TARGETS += $(PROTO_REL_LIB)

# One test binary per tests/unit/test_<module>.c, built against the sanitizer library.
PROTO_UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
PROTO_UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/san/tests/unit/%,$(PROTO_UNIT_SRCS))

$(PROTO_UNIT_BINS): $(B)/san/tests/unit/%: $(B)/san/tests/unit/%.o $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $< $(PROTO_SAN_LIB) -lcmocka -o $@

TEST_TARGETS += $(PROTO_SAN_LIB) $(PROTO_UNIT_BINS)
