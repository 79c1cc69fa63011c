# SPDX-License-Identifier: BSD-2-Clause
# Makefile: top-level build of rtr; each directory adds its targets through its build.mk.
#
#   make            release binaries in build/bin
#   make demo       build, bring up a lab (LAB=linear, or any lab/topologies NAME), run rtr-server
#                   in it, show a two-way trace (PROTO=udp)
#   make deps       install the Debian packages the project needs (idempotent)
#   make test       the whole suite CI runs (ASan+UBSan builds, root for BPF/lab suites)
#   make check      every test that needs no root (as any user; the root parts report SKIP)
#   make fuzz       libFuzzer campaigns: make fuzz SECONDS=300 JOBS=2 (fork mode); make fuzz-coverage
#   make bench      speed table with in-run baselines
#   make install    PREFIX=/usr/local DESTDIR=

B := build
PREFIX ?= /usr/local
DESTDIR ?=
SECONDS ?= 60
CC := gcc
CLANG := clang

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wformat=2 -Wno-format-nonliteral
CPPFLAGS := -Iproto -Icommon -D_GNU_SOURCE
CFLAGS_COMMON := -std=gnu11 $(WARN) -g -MMD -MP
CFLAGS_REL := $(CFLAGS_COMMON) -O2
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS_SAN := $(CFLAGS_COMMON) -O1 $(SAN)
LDFLAGS_SAN := $(SAN)
FUZZ_FLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

# Filled by the fragments.
ALL_TARGETS :=
TEST_TARGETS :=
FUZZ_TARGETS :=
BENCH_TARGETS :=
INSTALL_BIN :=
INSTALL_SBIN :=
INSTALL_MAN1 :=
INSTALL_MAN8 :=
INSTALL_SYSTEMD :=

.PHONY: all deps demo test check bench install clean format
all:

# Object rules: the same source builds into a release tree and a sanitizer tree.
$(B)/rel/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS_REL) -c $< -o $@
$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS_SAN) -c $< -o $@

# The wire library every program links; proto/build.mk builds both.
PROTO_REL_LIB := $(B)/rel/libproto.a
PROTO_SAN_LIB := $(B)/san/libproto.a

# User-space code the programs share that is not wire code (common/build.mk: its tests).
COMMON_SRCS := $(sort $(wildcard common/*.c))

rel_objs = $(patsubst %.c,$(B)/rel/%.o,$(1))
san_objs = $(patsubst %.c,$(B)/san/%.o,$(1))

include $(sort $(wildcard */build.mk))

all: $(ALL_TARGETS)

deps:
	bash tools/install-deps.sh

LAB ?= linear
PROTO ?= udp
demo: $(ALL_TARGETS)
	bash client/two-way-demo.sh $(LAB) $(PROTO)

test: $(ALL_TARGETS) $(TEST_TARGETS)
	bash tests/run-all.sh

# RTR_NO_ROOT: the suites run only their parts that need no root, also when run as root.
check: $(ALL_TARGETS) $(TEST_TARGETS)
	RTR_NO_ROOT=1 bash tests/run-all.sh

# fuzz, fuzz-smoke: fuzz/build.mk; lab-test: lab/build.mk.

bench: $(ALL_TARGETS) $(BENCH_TARGETS)
	bash tests/bench.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/lib/systemd/system
	$(if $(INSTALL_BIN),install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/)
	$(if $(INSTALL_SBIN),install -m 0755 $(INSTALL_SBIN) $(DESTDIR)$(PREFIX)/sbin/)
	$(if $(INSTALL_MAN1),install -m 0644 $(INSTALL_MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/)
	$(if $(INSTALL_MAN8),install -m 0644 $(INSTALL_MAN8) $(DESTDIR)$(PREFIX)/share/man/man8/)
	$(if $(INSTALL_SYSTEMD),install -m 0644 $(INSTALL_SYSTEMD) $(DESTDIR)$(PREFIX)/lib/systemd/system/)
	@# The man pages point at these documents: PREFIX/share/doc/rtr/.
	install -d $(DESTDIR)$(PREFIX)/share/doc/rtr
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/rtr/
	@# Units name /usr/local (the default PREFIX); point them at the PREFIX installed to.
	$(if $(INSTALL_SYSTEMD),sed -i 's|/usr/local/|$(PREFIX)/|g' \
		$(addprefix $(DESTDIR)$(PREFIX)/lib/systemd/system/,$(notdir $(INSTALL_SYSTEMD))))

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
