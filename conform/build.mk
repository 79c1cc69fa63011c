# conform/build.mk: rtr-conform (release and sanitizer builds) and its deliberately broken server.

CONFORM_SRCS := $(sort $(wildcard conform/*.c))
CONFORM_BIN := $(B)/bin/rtr-conform
CONFORM_SAN_BIN := $(B)/san/bin/rtr-conform

$(CONFORM_BIN): $(call rel_objs,$(CONFORM_SRCS)) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $(call rel_objs,$(CONFORM_SRCS)) $(PROTO_REL_LIB) -lpcap -ljson-c -o $@

$(CONFORM_SAN_BIN): $(call san_objs,$(CONFORM_SRCS)) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $(call san_objs,$(CONFORM_SRCS)) $(PROTO_SAN_LIB) -lpcap -ljson-c -o $@

# Test helpers: a small user-space server that can be told to break the protocol.
CONFORM_BAD_SRCS := $(sort $(wildcard tests/conform/*.c))
CONFORM_BAD_BIN := $(B)/san/tests/conform/bad-server
$(CONFORM_BAD_BIN): $(call san_objs,$(CONFORM_BAD_SRCS)) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $(call san_objs,$(CONFORM_BAD_SRCS)) $(PROTO_SAN_LIB) -o $@

ALL_TARGETS += $(CONFORM_BIN)
TEST_TARGETS += $(CONFORM_SAN_BIN) $(if $(CONFORM_BAD_SRCS),$(CONFORM_BAD_BIN))
INSTALL_SBIN += $(CONFORM_BIN)
