#!/usr/bin/env bash
# libFuzzer targets for bpfpatch (the Fuzz/ package), under AddressSanitizer.
#
#   scripts/fuzz.sh list                 the targets
#   scripts/fuzz.sh build                build them all (release, -sanitize=fuzzer,address)
#   scripts/fuzz.sh seeds                (re)make the seed corpora from ../shared/corpus
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]
#                                        build, seed, then fuzz TARGET for SECONDS
#   scripts/fuzz.sh all SECONDS          each target in turn, SECONDS each
#
# Corpora live in .fuzz/corpus/TARGET (out of git), crashes in .fuzz/crashes/TARGET.
# A crash is a finding: turn the input into a regression test (docs/notes/h-harden.md).
# Needs the Swift toolchain (libFuzzer ships with it) and, for seeds,
# llvm-objcopy (next to swift) and ../shared/corpus; without the corpus the
# targets start from an empty corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
ROOT=$PWD
TARGETS=(fuzz-slots fuzz-json fuzz-elf fuzz-btf fuzz-btf-table fuzz-core fuzz-engine)
SCRATCH=$ROOT/.build-fuzz
WORK=$ROOT/.fuzz
SHARED=${BPFPATCH_CORPUS:-$ROOT/../shared/corpus}

build() {
    swift build --package-path Fuzz --scratch-path "$SCRATCH" -c release \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -g >&2
}

binary() { echo "$SCRATCH/release/$1"; }

le32() { # little-endian 4-byte length of a file, as raw bytes
    local n; n=$(stat -c %s "$1")
    printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((n & 255)) $((n >> 8 & 255)) $((n >> 16 & 255)) $((n >> 24 & 255)))"
}

le16() {
    local n; n=$(stat -c %s "$1")
    printf "$(printf '\\x%02x\\x%02x' $((n & 255)) $((n >> 8 & 255)))"
}

seeds() {
    local tmp; tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    for t in "${TARGETS[@]}"; do mkdir -p "$WORK/corpus/$t"; done
    # Hand-written JSON seeds: the documented shapes and their edges.
    local j=$WORK/corpus/fuzz-json
    printf '{"patches": [{"at": 12, "insns": ["b701000005000000", "9500000000000000"]}, {"at": 40, "remove": 3}]}' >"$j/patches"
    printf '{"lineInfo": [0, 3, 7], "subprogs": [0, 12, 20], "pokes": [5], "insnArrays": [[4, 9, -1]], "origIdx": [0]}' >"$j/tables"
    printf '{"patches": [{"at": 9223372036854775807, "remove": 9223372036854775807}, {"at": -1, "insns": []}]}' >"$j/edges"
    printf '[1e999, -0.0, "\\u00e9\\ud83d\\ude00", true, false, null, {"a": {}}]' >"$j/values"
    [ -d "$SHARED" ] || { echo "no corpus at $SHARED: empty seed corpora" >&2; return 0; }
    local k=0
    while IFS= read -r obj; do
        [ "$(stat -c %s "$obj")" -le 200000 ] || continue
        k=$((k + 1))
        cp "$obj" "$WORK/corpus/fuzz-elf/obj$k"
        llvm-objcopy --dump-section .text="$tmp/text" "$obj" /dev/null 2>/dev/null \
            && head -c 4096 "$tmp/text" >"$WORK/corpus/fuzz-slots/text$k" && head -c 512 "$tmp/text" >"$WORK/corpus/fuzz-engine/text$k"
        rm -f "$tmp/btf" "$tmp/ext"
        llvm-objcopy --dump-section .BTF="$tmp/btf" "$obj" /dev/null 2>/dev/null || continue
        cp "$tmp/btf" "$WORK/corpus/fuzz-btf-table/btf$k"
        llvm-objcopy --dump-section .BTF.ext="$tmp/ext" "$obj" /dev/null 2>/dev/null || : >"$tmp/ext"
        [ "$(stat -c %s "$tmp/btf")" -lt 65536 ] && { le16 "$tmp/btf"; cat "$tmp/btf" "$tmp/ext"; } >"$WORK/corpus/fuzz-btf/btf$k"
        { le32 "$tmp/btf"; cat "$tmp/btf"; le32 "$tmp/ext"; cat "$tmp/ext"; } >"$WORK/corpus/fuzz-core/core$k"
    done < <(find "$SHARED" \( -name '*.o' -o -name '*.elf' \) | sort)
    echo "seeded from $k objects of $SHARED" >&2
}

run() { # TARGET SECONDS [flags]
    local t=$1 s=$2; shift 2
    mkdir -p "$WORK/corpus/$t" "$WORK/crashes/$t"
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$(binary "$t")" "$WORK/corpus/$t" \
        -max_total_time="$s" -max_len=65536 -rss_limit_mb=3072 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$WORK/crashes/$t/" "$@"
}

case "${1:-}" in
    list) printf '%s\n' "${TARGETS[@]}" ;;
    build) build ;;
    seeds) seeds ;;
    all)
        build; [ -d "$WORK/corpus" ] || seeds
        for t in "${TARGETS[@]}"; do run "$t" "${2:?seconds}"; done ;;
    fuzz-*)
        [ -x "$(binary "$1")" ] || build
        [ -d "$WORK/corpus" ] || seeds
        t=$1 s=${2:?seconds}; shift 2; run "$t" "$s" "$@" ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
esac
