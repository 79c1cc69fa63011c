#!/bin/bash -eu
# SPDX-License-Identifier: BSD-2-Clause
# build.sh: builds every fuzz/fuzz_NAME.c the OSS-Fuzz way ($CC, $CFLAGS, $LIB_FUZZING_ENGINE -> $OUT).
#
# Reads the variables OSS-Fuzz and ClusterFuzzLite set: CC, CFLAGS, LIB_FUZZING_ENGINE, SRC (rtr
# is $SRC/rtr), WORK (objects) and OUT (harnesses, NAME_seed_corpus.zip, NAME.dict,
# NAME.options). The harness list and each one's sources and libraries come from fuzz/ by
# pattern (fuzz/README.md), through the same make rules as `make fuzz-build`. A harness that
# says "fuzz-needs: root" (the BPF program through BPF_PROG_TEST_RUN) cannot run on shared
# fuzzing machines and is left out. tests/suites/30-fuzz-smoke.sh runs this script locally.
cd "$SRC/rtr"

libs_before="" libs_after=""
if [ -d "$SRC/libpcap" ]; then
	# The image's libpcap, static and without dbus/systemd/rdma (the runner has none of them).
	(cd "$SRC/libpcap" && ./autogen.sh >/dev/null 2>&1 || true)
	(cd "$SRC/libpcap" && ./configure --prefix="$WORK/deps" --disable-shared --disable-dbus \
		--disable-rdma --disable-bluetooth --disable-usb --disable-netmap --without-libnl \
		CC="$CC" CFLAGS="-O1 -fPIC" >/dev/null && make -j"$(nproc)" install >/dev/null)
	libs_before="-L$WORK/deps/lib -Wl,-Bstatic"
	libs_after="-Wl,-Bdynamic"
	export CPATH="$WORK/deps/include${CPATH:+:$CPATH}"
fi

# Every harness that runs unprivileged; a root-only one needs the BPF toolchain and the kernel.
targets=()
for src in fuzz/fuzz_*.c; do
	if [ "$(sh fuzz/directive.sh "$src" needs)" != root ]; then
		targets+=("$WORK/rtr-fuzz/$(basename "$src" .c)")
	fi
done
make -j"$(nproc)" --no-print-directory FUZZ_DIR="$WORK/rtr-fuzz" FUZZ_CC="$CC" \
	FUZZ_CFLAGS="$CFLAGS" FUZZ_LDFLAGS="$CFLAGS $LIB_FUZZING_ENGINE" \
	FUZZ_LIBS_BEFORE="$libs_before" FUZZ_LIBS_AFTER="$libs_after" "${targets[@]}"

for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	h=${name#fuzz_}
	if [ "$(sh fuzz/directive.sh "$src" needs)" = root ]; then
		echo "build.sh: $name needs root (BPF_PROG_TEST_RUN); not built for OSS-Fuzz"
		continue
	fi
	cp "$WORK/rtr-fuzz/$name" "$OUT/"
	inputs=()
	for d in "fuzz/seeds/$h" "fuzz/regressions/$h"; do
		[ -d "$d" ] && inputs+=("$d")
	done
	if [ ${#inputs[@]} -gt 0 ]; then
		rm -f "$OUT/${name}_seed_corpus.zip"
		# Flat names (seed and regression names never collide: regressions say what broke).
		find "${inputs[@]}" -type f -print0 | xargs -0 zip -q -j "$OUT/${name}_seed_corpus.zip"
	fi
	[ -f "fuzz/$h.dict" ] && cp "fuzz/$h.dict" "$OUT/$name.dict"
	[ -f "fuzz/$h.options" ] && cp "fuzz/$h.options" "$OUT/$name.options"
done
exit 0
