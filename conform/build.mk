# SPDX-License-Identifier: BSD-2-Clause
# conform/build.mk: rtr-conform (release and sanitizer builds) and its deliberately broken server.

CONFORM_SRCS := $(sort $(wildcard conform/*.c)) $(COMMON_SRCS)
CONFORM_BIN := $(B)/bin/rtr-conform
CONFORM_SAN_BIN := $(B)/san/bin/rtr-conform

$(B)/rel/conform/main.o $(B)/san/conform/main.o: CPPFLAGS += -Iclient
# Its lab, found next to the binary like every shipped data file (common/datadir.h).
$(B)/share/rtr/conform.topo $(B)/san/share/rtr/conform.topo: conform/conform.topo
	install -D -m 0644 $< $@

$(CONFORM_BIN): $(call rel_objs,$(CONFORM_SRCS)) $(PROTO_REL_LIB) | $(B)/share/rtr/conform.topo
	@mkdir -p $(@D)
	$(CC) $(call rel_objs,$(CONFORM_SRCS)) $(PROTO_REL_LIB) -lpcap -ljson-c -o $@

$(CONFORM_SAN_BIN): $(call san_objs,$(CONFORM_SRCS)) $(PROTO_SAN_LIB) | $(B)/san/share/rtr/conform.topo
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $(call san_objs,$(CONFORM_SRCS)) $(PROTO_SAN_LIB) -lpcap -ljson-c -o $@

# Test helpers, one program per tests/conform/*.c: a server and a client that can be told to
# break the protocol.
CONFORM_BAD_BINS := $(patsubst tests/conform/%.c,$(B)/san/tests/conform/%,$(sort $(wildcard tests/conform/*.c)))
$(CONFORM_BAD_BINS): $(B)/san/tests/conform/%: $(B)/san/tests/conform/%.o $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $< $(PROTO_SAN_LIB) -o $@

# cmocka tests of rtr-conform's own modules, one program per tests/conform/unit/test_<module>.c.
CONFORM_UNIT_BINS := $(patsubst tests/conform/unit/%.c,$(B)/san/tests/conform/unit/%,$(sort $(wildcard tests/conform/unit/test_*.c)))
$(B)/san/tests/conform/unit/%.o: CPPFLAGS += -Iconform
$(CONFORM_UNIT_BINS): $(B)/san/tests/conform/unit/test_%: $(B)/san/tests/conform/unit/test_%.o $(B)/san/conform/%.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ $(PROTO_SAN_LIB) -lcmocka -ljson-c -o $@

ALL_TARGETS += $(CONFORM_BIN)
TEST_TARGETS += $(CONFORM_SAN_BIN) $(CONFORM_BAD_BINS) $(CONFORM_UNIT_BINS)
INSTALL_SBIN += $(CONFORM_BIN)
INSTALL_MAN8 += conform/rtr-conform.8

# The lab rtr-conform builds, for installed copies.
.PHONY: install-conform-data
install: install-conform-data
install-conform-data:
	install -D -m 0644 conform/conform.topo $(DESTDIR)$(PREFIX)/share/rtr/conform.topo
