# SPDX-License-Identifier: BSD-2-Clause
# fuzz/build.mk: libFuzzer harnesses (clang, own proto/ build), seed corpora, fuzz-smoke and fuzz targets.
#
#   make fuzz-smoke        replay seeds, spec-vector corpus and regressions, then 4 s per harness
#   make fuzz SECONDS=N JOBS=K  a campaign of N seconds per harness, K processes each (libFuzzer
#                          fork mode; default all cores); prints the campaign table
#   make fuzz-coverage     source-based coverage of the corpora per harness and file (fuzz/coverage.sh)
#   make fuzz-seeds        rewrite the hand-made seeds in fuzz/seeds/ (committed)

# Harnesses are found by name (fuzz/README.md, "Adding a harness"): fuzz/fuzz_NAME.c, with
# optional one-line directives /* fuzz-sources: ... */, fuzz-cflags, fuzz-libs, fuzz-prereqs.
FUZZ_HARNESSES := $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
fuzz_directive = $(shell sh fuzz/directive.sh fuzz/fuzz_$(1).c $(2))

# Where and how the harnesses build; each can be overridden on the command line, which is how
# the coverage build (fuzz/coverage.sh) and the OSS-Fuzz build script (.clusterfuzzlite/build.sh,
# with its $CC, $CFLAGS and $LIB_FUZZING_ENGINE) reuse these rules.
FUZZ_DIR ?= $(B)/fuzz
FUZZ_CC ?= $(CLANG)
FUZZ_CFLAGS ?= $(FUZZ_FLAGS) -fno-omit-frame-pointer
FUZZ_LDFLAGS ?= $(FUZZ_FLAGS)
# Around each harness's fuzz-libs: OSS-Fuzz links them statically (-L... -Wl,-Bstatic / -Bdynamic).
FUZZ_LIBS_BEFORE ?=
FUZZ_LIBS_AFTER ?=
FUZZ_ALL_CFLAGS = $(CPPFLAGS) -std=gnu11 $(FUZZ_CFLAGS) -MMD -MP \
	$(sort $(foreach h,$(FUZZ_HARNESSES),$(call fuzz_directive,$(h),cflags)))
FUZZ_BINS := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_HARNESSES))

# proto/ and every fuzz-sources file are compiled again with clang and the fuzzer's coverage
# instrumentation; the gcc objects are not used. Warnings are errors here as in the gcc build
# (WARN has -Werror): clang's extra diagnostics are fixed, not hidden.
FUZZ_PROTO_SRCS := $(sort $(wildcard proto/*.c))
FUZZ_PROTO_OBJS := $(patsubst proto/%.c,$(FUZZ_DIR)/proto/%.o,$(FUZZ_PROTO_SRCS))

$(FUZZ_DIR)/proto/%.o: proto/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) $(WARN) -c $< -o $@

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) $(WARN) -c $< -o $@

$(FUZZ_DIR)/fuzz_%.o: fuzz/fuzz_%.c fuzz/fuzz.h fuzz/fuzz_pcap.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) $(WARN) -c $< -o $@

FUZZ_PROTO_LIB := $(FUZZ_DIR)/libproto.a
$(FUZZ_PROTO_LIB): $(FUZZ_PROTO_OBJS)
	rm -f $@
	ar rcs $@ $^

define FUZZ_HARNESS_RULE
FUZZ_EXTRA_OBJS_$(1) := $$(patsubst %.c,$$(FUZZ_DIR)/obj/%.o,$$(call fuzz_directive,$(1),sources))
FUZZ_PREREQS_$(1) := $$(call fuzz_directive,$(1),prereqs)
FUZZ_PREREQS += $$(FUZZ_PREREQS_$(1))
# Prerequisites (a generated header, a BPF object) exist before anything of the harness builds.
$$(FUZZ_DIR)/fuzz_$(1).o $$(FUZZ_EXTRA_OBJS_$(1)): | $$(FUZZ_PREREQS_$(1))
$$(FUZZ_DIR)/fuzz_$(1): $$(FUZZ_DIR)/fuzz_$(1).o $$(FUZZ_EXTRA_OBJS_$(1)) $$(FUZZ_PROTO_LIB)
	$$(FUZZ_CC) $$(FUZZ_LDFLAGS) $$^ -o $$@ $$(FUZZ_LIBS_BEFORE) $$(call fuzz_directive,$(1),libs) \
		$$(FUZZ_LIBS_AFTER)
FUZZ_ALL_OBJS += $$(FUZZ_DIR)/fuzz_$(1).o $$(FUZZ_EXTRA_OBJS_$(1))
endef
FUZZ_PREREQS :=
FUZZ_ALL_OBJS :=
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call FUZZ_HARNESS_RULE,$(h))))

# Keep the objects make would treat as intermediate (pattern chains).
.SECONDARY: $(FUZZ_PROTO_OBJS) $(FUZZ_ALL_OBJS)

# Only the harness binaries, for builds under another compiler or flags (OSS-Fuzz, coverage).
.PHONY: fuzz-bins
fuzz-bins: $(FUZZ_BINS) $(FUZZ_PREREQS)

# Seed corpora from the spec vectors: every vector's IP packet, ICMP part and quote.
FUZZ_EXTRACT := $(B)/rel/fuzz/extract_corpus
FUZZ_SEEDGEN := $(B)/rel/fuzz/mkseeds

$(FUZZ_EXTRACT): $(call rel_objs,fuzz/extract_corpus.c) $(PROTO_REL_LIB)
	$(CC) $^ -o $@ -lpcap

$(FUZZ_SEEDGEN): $(call rel_objs,fuzz/mkseeds.c) $(PROTO_REL_LIB)
	$(CC) $^ -o $@

FUZZ_TARGETS += $(FUZZ_BINS) $(FUZZ_PREREQS) $(FUZZ_EXTRACT) $(FUZZ_SEEDGEN)
TEST_TARGETS += $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-seeds fuzz-coverage

fuzz-build: $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	bash fuzz/run.sh smoke

JOBS ?= $(shell nproc)
fuzz: fuzz-build
	bash fuzz/run.sh campaign $(SECONDS) $(JOBS)

# Line and branch coverage of the corpora, per harness and per file, and the two targets.
fuzz-coverage: fuzz-build
	bash fuzz/coverage.sh

fuzz-seeds: $(FUZZ_SEEDGEN)
	$(FUZZ_SEEDGEN) fuzz/seeds

# The proto/ speed bench (tests/bench/proto_bench.c, run by tests/bench.d/10-proto.sh) is
# owned with the fuzzers: release build (-O2) against the release library.
PROTO_BENCH := $(B)/rel/tests/bench/proto_bench

$(PROTO_BENCH): $(call rel_objs,tests/bench/proto_bench.c) $(PROTO_REL_LIB)
	$(CC) $^ -o $@

BENCH_TARGETS += $(PROTO_BENCH)
