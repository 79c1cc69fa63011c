# SPDX-License-Identifier: BSD-2-Clause
# fuzz/build.mk: libFuzzer harnesses (clang, own proto/ build), seed corpora, fuzz-smoke and fuzz targets.
#
#   make fuzz-smoke        replay seeds, spec-vector corpus and regressions, then 4 s per harness
#   make fuzz SECONDS=N    a campaign of N seconds per harness; prints exec counts
#   make fuzz-seeds        rewrite the hand-made seeds in fuzz/seeds/ (committed)

FUZZ_HARNESSES := ip request response probe answer roundtrip addr
FUZZ_DIR := $(B)/fuzz
FUZZ_BINS := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_HARNESSES))

# proto/ is compiled again with clang and the fuzzer's coverage instrumentation;
# the gcc libraries are not used. Warnings show but do not stop the fuzz build
# of code whose authority is the gcc build; the harnesses themselves use -Werror.
FUZZ_PROTO_SRCS := $(sort $(wildcard proto/*.c))
FUZZ_PROTO_OBJS := $(patsubst proto/%.c,$(FUZZ_DIR)/proto/%.o,$(FUZZ_PROTO_SRCS))
FUZZ_CFLAGS := $(FUZZ_FLAGS) -MMD -MP -fno-omit-frame-pointer

$(FUZZ_DIR)/proto/%.o: proto/%.c
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -Wno-error -c $< -o $@

$(FUZZ_DIR)/fuzz_%.o: fuzz/fuzz_%.c fuzz/fuzz.h
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -c $< -o $@

FUZZ_PROTO_LIB := $(FUZZ_DIR)/libproto.a
$(FUZZ_PROTO_LIB): $(FUZZ_PROTO_OBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz_%.o $(FUZZ_PROTO_LIB)
	$(CLANG) $(FUZZ_FLAGS) $^ -o $@

# Keep the objects make would treat as intermediate (pattern chains).
.SECONDARY: $(FUZZ_PROTO_OBJS) $(patsubst %,$(FUZZ_DIR)/fuzz_%.o,$(FUZZ_HARNESSES))

# Seed corpora from the spec vectors: every vector's IP packet, ICMP part and quote.
FUZZ_EXTRACT := $(B)/rel/fuzz/extract_corpus
FUZZ_SEEDGEN := $(B)/rel/fuzz/mkseeds

$(FUZZ_EXTRACT): $(call rel_objs,fuzz/extract_corpus.c) $(PROTO_REL_LIB)
	$(CC) $^ -o $@ -lpcap

$(FUZZ_SEEDGEN): $(call rel_objs,fuzz/mkseeds.c) $(PROTO_REL_LIB)
	$(CC) $^ -o $@

FUZZ_TARGETS += $(FUZZ_BINS) $(FUZZ_EXTRACT) $(FUZZ_SEEDGEN)
TEST_TARGETS += $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-seeds

fuzz-build: $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	bash fuzz/run.sh smoke

fuzz: fuzz-build
	bash fuzz/run.sh campaign $(SECONDS)

fuzz-seeds: $(FUZZ_SEEDGEN)
	$(FUZZ_SEEDGEN) fuzz/seeds

# The proto/ speed bench (tests/bench/proto_bench.c, run by tests/bench.d/10-proto.sh) is
# owned with the fuzzers: release build (-O2) against the release library.
PROTO_BENCH := $(B)/rel/tests/bench/proto_bench

$(PROTO_BENCH): $(call rel_objs,tests/bench/proto_bench.c) $(PROTO_REL_LIB)
	$(CC) $^ -o $@

BENCH_TARGETS += $(PROTO_BENCH)

# fuzz_engine: the client engines with their JSON output (until build.mk reads the fuzz-sources
# lines of a harness, these are its sources, flags and libraries).
FUZZ_ENGINE_SRCS := fuzz/engine_script.c client/engine.c client/eng_forward.c client/eng_reverse.c \
	client/mda.c client/mda_stop.c client/mda_match.c client/out_json.c client/out_text.c \
	client/out_dot.c client/out_mda.c client/names.c
FUZZ_ENGINE_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_ENGINE_SRCS))
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -Iclient -Ifuzz $(FUZZ_CFLAGS) $(WARN) -c $< -o $@
$(FUZZ_DIR)/fuzz_engine.o: CPPFLAGS += -Iclient -Ifuzz
$(FUZZ_DIR)/fuzz_engine: $(FUZZ_DIR)/fuzz_engine.o $(FUZZ_ENGINE_OBJS) $(FUZZ_PROTO_LIB)
	$(CLANG) $(FUZZ_FLAGS) $^ -ljson-c -lm -o $@
.SECONDARY: $(FUZZ_ENGINE_OBJS) $(FUZZ_DIR)/fuzz_engine.o
FUZZ_TARGETS += $(FUZZ_DIR)/fuzz_engine

# fuzz_bpf: the real tc program through BPF_PROG_TEST_RUN against tests/bpf/model.c (root).
FUZZ_BPF_SRCS := tests/bpf/bpftest.c tests/bpf/model.c server-bpf/srv.c
FUZZ_BPF_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_BPF_SRCS))
$(FUZZ_BPF_OBJS) $(FUZZ_DIR)/fuzz_bpf.o: CPPFLAGS += -Itests/bpf -Iserver-bpf -I$(B)/server-bpf
$(FUZZ_BPF_OBJS) $(FUZZ_DIR)/fuzz_bpf.o: $(B)/server-bpf/rtr.skel.h
$(FUZZ_DIR)/fuzz_bpf: $(FUZZ_DIR)/fuzz_bpf.o $(FUZZ_BPF_OBJS) $(FUZZ_PROTO_LIB)
	$(CLANG) $(FUZZ_FLAGS) $^ -lbpf -lelf -lz -o $@
.SECONDARY: $(FUZZ_BPF_OBJS) $(FUZZ_DIR)/fuzz_bpf.o
FUZZ_TARGETS += $(FUZZ_DIR)/fuzz_bpf
