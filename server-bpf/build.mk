# SPDX-License-Identifier: BSD-2-Clause
# server-bpf/build.mk: the tc program (vmlinux.h -> rtr.bpf.o -> skeleton), rtr-server and its tests.

SRV_DIR := $(B)/server-bpf
SRV_VMLINUX := $(SRV_DIR)/vmlinux.h
SRV_BPF_OBJ := $(SRV_DIR)/rtr.bpf.o
SRV_SKEL := $(SRV_DIR)/rtr.skel.h
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Werror -I$(SRV_DIR) -Iproto -Iserver-bpf
# The program's parts by concern (server-bpf/bpf/*.h), all included by rtr.bpf.c.
SRV_BPF_HDRS := $(wildcard server-bpf/bpf/*.h) server-bpf/rtr_server.h proto/rtr_wire.h

# vmlinux.h is generated from the running kernel's BTF, never committed.
$(SRV_VMLINUX):
	@mkdir -p $(@D)
	bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(SRV_BPF_OBJ): server-bpf/rtr.bpf.c $(SRV_BPF_HDRS) $(SRV_VMLINUX)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SRV_SKEL): $(SRV_BPF_OBJ)
	bpftool gen skeleton $< name rtr_bpf > $@.tmp && mv $@.tmp $@

# User-space objects include the skeleton from the build tree.
# libnl-route-3: the loader follows this host's addresses (server-bpf/local.c).
SRV_NL_CFLAGS := $(shell pkg-config --cflags libnl-route-3.0 2>/dev/null || echo -I/usr/include/libnl3)
SRV_NL_LIBS := $(shell pkg-config --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)
SRV_CPPFLAGS := -I$(SRV_DIR) -Iserver-bpf $(SRV_NL_CFLAGS)
SRV_LIB_SRCS := server-bpf/srv.c server-bpf/own.c server-bpf/opts.c server-bpf/stats.c \
	server-bpf/local.c
SRV_MAIN_SRC := server-bpf/main.c
SRV_LDLIBS := -lbpf -lelf -lz -ljson-c $(SRV_NL_LIBS)

$(call rel_objs,$(SRV_LIB_SRCS) $(SRV_MAIN_SRC)) $(call san_objs,$(SRV_LIB_SRCS) $(SRV_MAIN_SRC)): \
	CPPFLAGS += $(SRV_CPPFLAGS)
$(call rel_objs,$(SRV_LIB_SRCS) $(SRV_MAIN_SRC)) $(call san_objs,$(SRV_LIB_SRCS) $(SRV_MAIN_SRC)): \
	$(SRV_SKEL)

$(B)/bin/rtr-server: $(call rel_objs,$(SRV_MAIN_SRC) $(SRV_LIB_SRCS) $(COMMON_SRCS)) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $^ $(SRV_LDLIBS) -o $@

# Tests: BPF_PROG_TEST_RUN cases, differential test, live-lab client, bench driver.
SRV_TEST_SRCS := $(sort $(filter-out %.bpf.c,$(wildcard tests/bpf/*.c)))
SRV_TEST_COMMON := tests/bpf/bpftest.c tests/bpf/model.c tests/bpf/pcapread.c tests/bpf/progtest.c \
	tests/bpf/siphash_ref.c
SRV_TEST_MAINS := $(filter-out $(SRV_TEST_COMMON),$(SRV_TEST_SRCS))
SRV_TEST_BINS := $(patsubst tests/bpf/%.c,$(B)/san/tests/bpf/%,$(SRV_TEST_MAINS))

$(call san_objs,$(SRV_TEST_SRCS)): CPPFLAGS += $(SRV_CPPFLAGS)
$(call san_objs,$(SRV_TEST_SRCS)): $(SRV_SKEL)

$(B)/san/tests/bpf/%: $(B)/san/tests/bpf/%.o \
		$(call san_objs,$(SRV_TEST_COMMON) $(SRV_LIB_SRCS) $(COMMON_SRCS)) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ $(SRV_LDLIBS) -lcmocka -lpcap -o $@

# Bench-only: the helper calls of each path alone (tests/bpf/floor.bpf.c).
$(B)/san/tests/bpf/floor.bpf.o: tests/bpf/floor.bpf.c $(SRV_VMLINUX)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# A program that is not the server's, which life-lab.sh puts beside it (tests/bpf/foreign.bpf.c).
$(B)/san/tests/bpf/foreign.bpf.o: tests/bpf/foreign.bpf.c $(SRV_VMLINUX)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# The lab client also in release form: the end-to-end bench must not measure ASan.
$(B)/rel/tests/bpf/rtr_trace: $(call rel_objs,tests/bpf/rtr_trace.c) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $^ -o $@

ALL_TARGETS += $(B)/bin/rtr-server
INSTALL_SBIN += $(B)/bin/rtr-server
INSTALL_MAN8 += server-bpf/rtr-server.8
INSTALL_SYSTEMD += server-bpf/rtr-server@.service
TEST_TARGETS += $(SRV_BPF_OBJ) $(SRV_TEST_BINS) $(B)/san/tests/bpf/foreign.bpf.o
BENCH_TARGETS += $(SRV_TEST_BINS) $(B)/rel/tests/bpf/rtr_trace $(B)/san/tests/bpf/floor.bpf.o

# Test-only loaders: the same loader sources linked against a BPF object with one
# extra program the real verifier must refuse (tests/bpf/bad/*.bpf.c), so cli.sh
# can check the rejection messages; bpftool gives each skeleton the production name.
SRV_BAD_KINDS := oob_read unknown_helper
SRV_BAD_SRCS := $(SRV_MAIN_SRC) $(SRV_LIB_SRCS)

$(B)/san/tests/bpf/bad-%/rtr.bpf.o: tests/bpf/bad/%.bpf.c server-bpf/rtr.bpf.c $(SRV_BPF_HDRS) \
		$(SRV_VMLINUX)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/san/tests/bpf/bad-%/rtr.skel.h: $(B)/san/tests/bpf/bad-%/rtr.bpf.o
	bpftool gen skeleton $< name rtr_bpf > $@.tmp && mv $@.tmp $@

# $(1): kind. Loader objects compiled against that kind's skeleton, then linked.
define SRV_BAD_LOADER
$(patsubst server-bpf/%.c,$(B)/san/tests/bpf/bad-$(1)/%.o,$(SRV_BAD_SRCS)): \
		$(B)/san/tests/bpf/bad-$(1)/%.o: server-bpf/%.c $(B)/san/tests/bpf/bad-$(1)/rtr.skel.h
	@mkdir -p $$(@D)
	$$(CC) -I$(B)/san/tests/bpf/bad-$(1) -Iserver-bpf $(SRV_NL_CFLAGS) $$(CPPFLAGS) $$(CFLAGS_SAN) -c $$< -o $$@

$(B)/san/tests/bpf/rtr-server-$(1): \
		$(patsubst server-bpf/%.c,$(B)/san/tests/bpf/bad-$(1)/%.o,$(SRV_BAD_SRCS)) \
		$(call san_objs,$(COMMON_SRCS)) $(PROTO_SAN_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_SAN) $$^ $$(SRV_LDLIBS) -o $$@
endef
$(foreach k,$(SRV_BAD_KINDS),$(eval $(call SRV_BAD_LOADER,$(k))))

TEST_TARGETS += $(patsubst %,$(B)/san/tests/bpf/rtr-server-%,$(SRV_BAD_KINDS))
# Keep the test objects and skeletons: they are pattern intermediates make would delete.
.SECONDARY: $(foreach k,$(SRV_BAD_KINDS),$(B)/san/tests/bpf/bad-$(k)/rtr.bpf.o \
	$(B)/san/tests/bpf/bad-$(k)/rtr.skel.h)
