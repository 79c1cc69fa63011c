# SPDX-License-Identifier: BSD-2-Clause
# lab/build.mk: rtr-lab (release and sanitizer builds), its unit tests, and make lab-test.
LAB_SRCS := lab/topo.c lab/netns.c lab/nlops.c lab/build.c lab/state.c lab/draw.c lab/show.c \
	lab/l4hash.c lab/main.c $(COMMON_SRCS)
LAB_NL_CFLAGS := $(shell pkg-config --cflags libnl-route-3.0 2>/dev/null || echo -I/usr/include/libnl3)
LAB_NL_LIBS := $(shell pkg-config --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)

# Unit tests: one binary per tests/lab/test_*.c, linked with every rtr-lab object but main.
LAB_TEST_SRCS := $(sort $(wildcard tests/lab/test_*.c))
LAB_TEST_BINS := $(patsubst tests/lab/%.c,$(B)/san/tests/lab/%,$(LAB_TEST_SRCS))

$(call rel_objs,$(LAB_SRCS)) $(call san_objs,$(LAB_SRCS) $(LAB_TEST_SRCS)): \
	CPPFLAGS += $(LAB_NL_CFLAGS) -I$(B)/lab

# The shipped topologies, found by name (rtr-lab up diamond) next to the binary (common/datadir.h).
LAB_TOPOS := $(sort $(wildcard lab/topologies/*.topo))
LAB_DATA := $(patsubst lab/%,$(B)/share/rtr/%,$(LAB_TOPOS))
LAB_SAN_DATA := $(patsubst lab/%,$(B)/san/share/rtr/%,$(LAB_TOPOS))
$(B)/share/rtr/topologies/%.topo $(B)/san/share/rtr/topologies/%.topo: lab/topologies/%.topo
	install -D -m 0644 $< $@
.PHONY: install-lab-data
install: install-lab-data
install-lab-data:
	install -d $(DESTDIR)$(PREFIX)/share/rtr/topologies
	install -m 0644 $(LAB_TOPOS) $(DESTDIR)$(PREFIX)/share/rtr/topologies/

# The per-flow L4 hashing tc program, embedded into rtr-lab through its skeleton. Plain UAPI
# headers are enough (no kernel structures), so no vmlinux.h.
LAB_BPF_OBJ := $(B)/lab/l4hash.bpf.o
LAB_SKEL := $(B)/lab/l4hash.skel.h
$(LAB_BPF_OBJ): lab/l4hash.bpf.c
	@mkdir -p $(@D)
	$(CLANG) -O2 -g -target bpf -Wall -Werror \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c $< -o $@
$(LAB_SKEL): $(LAB_BPF_OBJ)
	bpftool gen skeleton $< name l4hash_bpf > $@.tmp && mv $@.tmp $@
$(call rel_objs,lab/l4hash.c) $(call san_objs,lab/l4hash.c): $(LAB_SKEL)
LAB_LIBS = $(LAB_NL_LIBS) -lbpf -lelf -lz

$(B)/bin/rtr-lab: $(call rel_objs,$(LAB_SRCS)) | $(LAB_DATA)
	@mkdir -p $(@D)
	$(CC) $^ -o $@ $(LAB_LIBS)

$(B)/san/bin/rtr-lab: $(call san_objs,$(LAB_SRCS)) | $(LAB_SAN_DATA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@ $(LAB_LIBS)

$(LAB_TEST_BINS): $(B)/san/tests/lab/%: $(B)/san/tests/lab/%.o \
		$(call san_objs,$(filter-out lab/main.c,$(LAB_SRCS)))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@ -lcmocka $(LAB_LIBS)

ALL_TARGETS += $(B)/bin/rtr-lab
TEST_TARGETS += $(B)/san/bin/rtr-lab $(LAB_TEST_BINS)
INSTALL_SBIN += $(B)/bin/rtr-lab

.PHONY: lab-test
lab-test: $(B)/san/bin/rtr-lab $(B)/san/tests/lab/icmp_echo
	bash tests/lab/run.sh

# Test helper: an ICMP echo request with a chosen code (the operator filter scenario).
$(B)/san/tests/lab/icmp_echo: $(call san_objs,tests/lab/icmp_echo.c)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@

TEST_TARGETS += $(B)/san/tests/lab/icmp_echo

INSTALL_MAN8 += lab/rtr-lab.8
