#!/usr/bin/env bash
# The main job, end to end: read and disassemble objects (and check the
# listing against llvm-objdump), patch a program with both engines and
# compare, pad whole objects with no-ops and write them back, then let the
# live kernel judge the engine (verify) and measure what the kernel itself
# patches (stats).
#
# Runs on ../shared/corpus when it is there and on the repository's own
# samples/ otherwise (a fresh clone). Needs only bash, the base tools (coreutils,
# diffutils, grep, sed) and the Swift toolchain (with its llvm-objdump and
# llvm-objcopy); no Python: bpfpatch and the shell make every patch.
#
#   bash scripts/demo.sh                 # corpus if present, else samples/
#   CORPUS=samples bash scripts/demo.sh  # force the samples
#   CONFIGURATION=debug bash scripts/demo.sh   # skip the release build
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus=${CORPUS:-../shared/corpus}
if [ -d "$corpus" ] && [ "$corpus" != samples ]; then
    objects=$corpus
    multi=$corpus/ebpf-samples/build/bpf2bpf.o          # several functions, bpf-to-bpf calls
    multi_section=test
    big=$corpus/ebpf-samples/cilium-core/bpf_xdp.o       # a large real program
    configuration=release                                # the corpus is large: optimise
else
    objects=samples
    multi=samples/bpf2bpf.o
    multi_section=.text
    big=samples/bpf2bpf.o
    configuration=debug                                  # a quicker build; the samples are small
fi
configuration=${CONFIGURATION:-$configuration}
echo "== objects: $objects ($configuration build)"

swift build -c "$configuration" --product bpfpatch 2>&1 | tail -n 1
bin=.build/$configuration/bpfpatch

echo "== info and disassembly with source lines"
"$bin" info "$multi"
"$bin" disasm "$multi" --section "$multi_section" --source | head -n 20

echo "== disasm against llvm-objdump (section headers and instructions; llvm's '<sym+0x..>' jump annotations dropped)"
comparable() { grep -E '^(Disassembly of section | +[0-9]+:'$'\t'')' | sed -E 's/ <[^ >]*>$//'; }
compared=0
while IFS= read -r object; do   # each object once (on samples/, $multi and $big are samples too)
    diff <("$bin" disasm "$object" | comparable) <(llvm-objdump -d --no-show-raw-insn "$object" | comparable) \
        >"$work/disasm.diff" || { echo "disasm differs from llvm-objdump on $object:"; head "$work/disasm.diff"; exit 1; }
    compared=$((compared + 1))
done < <(printf '%s\n' "$multi" "$big" samples/*.o | sort -u)
echo "identical listings: $compared objects"

# The biggest program section of $big, from `info --json` ("section" and
# "slots" keys of each program).
section=$("$bin" info "$big" --json | tr -d ' \n' | grep -o '"section":"[^"]*","slots":[0-9]*' |
    sed -E 's/"section":"([^"]*)","slots":([0-9]*)/\2 \1/' | sort -n | tail -n 1 | cut -d' ' -f2- | sed 's|\\/|/|g')   # JSON escapes '/'
echo "== apply: a ja +0 no-op before every 5th non-jump instruction of $(basename "$big") section $section"
# The raw slots (an empty batch writes the program unchanged), one line of
# 16 hex digits per slot, then PATCHES.json: patch k replaces slot i by
# [ja +0, slot i]. Jumps and calls are left alone (re-emitted last, a
# backward jump would move with its patch), and so are both halves of an
# ld_imm64.
printf '{"patches": []}\n' >"$work/empty.json"
"$bin" apply "$big" --section "$section" --patches "$work/empty.json" --output "$work/original.bin"
od -An -v -tx1 -w8 "$work/original.bin" | tr -d ' ' >"$work/slots.txt"
{
    printf '{"patches": ['
    i=0; n=0; skip=0; sep=''
    while read -r hex; do
        code=$((16#${hex:0:2}))
        if [ "$skip" = 1 ]; then skip=0
        elif [ "$code" = $((0x18)) ]; then skip=1      # ld_imm64: two slots
        elif [ $((code & 7)) = 5 ] || [ $((code & 7)) = 6 ]; then :   # BPF_JMP, BPF_JMP32
        elif [ $((n % 5)) = 0 ]; then
            printf '%s\n  {"at": %d, "insns": ["0500000000000000", "%s"]}' "$sep" "$i" "$hex"; sep=','
            n=$((n + 1))
        else n=$((n + 1))
        fi
        i=$((i + 1))
    done <"$work/slots.txt"
    printf '\n]}\n'
} >"$work/patches.json"
echo "$(grep -c '"at"' "$work/patches.json") patches over $(wc -l <"$work/slots.txt") slots"
"$bin" apply "$big" --section "$section" --patches "$work/patches.json" --output "$work/batch.bin"
"$bin" apply "$big" --section "$section" --patches "$work/patches.json" --output "$work/sequential.bin" --engine sequential
cmp "$work/batch.bin" "$work/sequential.bin"
echo "batch and sequential engines: byte-identical ($(($(stat -c %s "$work/batch.bin") / 8)) slots)"

echo "== pad and apply, written back as objects"
# Needs `bpfpatch pad` and object output from `bpfpatch apply`.
if "$bin" --help | grep -q "^  pad "; then
    # The same batch with the section named in each patch, applied to the
    # object. Its section must read as the raw result, except the ld_imm64
    # of a function's address (bpf_loop's callback in bpf2bpf.o): in an
    # object that is a relocated byte offset, which the writer re-points.
    sed 's|{"at"|{"section": "'"$section"'", "at"|' "$work/patches.json" >"$work/object-patches.json"
    # (stderr kept aside: the writer notes that it drops DWARF.)
    "$bin" apply "$big" --patches "$work/object-patches.json" --output "$work/patched.o" 2>"$work/notes" ||
        { cat "$work/notes"; exit 1; }
    llvm-objcopy --dump-section "$section=$work/patched-section.bin" "$work/patched.o" "$work/scratch.o"
    diff <("$bin" disasm "$work/batch.bin" | grep -v ' ll$') <("$bin" disasm "$work/patched-section.bin" | grep -v ' ll$')
    echo "apply to the object: section $section of patched.o reads as the raw result" \
        "(bytes that differ: $(cmp -l "$work/batch.bin" "$work/patched-section.bin" | wc -l), in re-pointed function addresses)"
    "$bin" verify "$work/patched.o" | tail -n 1

    # A ja +0 before every 3rd instruction of every program of every sample.
    for object in samples/*.o; do
        "$bin" pad "$object" --every 3 --output "$work/padded-$(basename "$object")" 2>"$work/notes" ||
            { cat "$work/notes"; exit 1; }
    done
    "$bin" info "$work/padded-bpf2bpf.o" | tail -n +3
    echo "== verify: the padded objects load and pass the same check"
    "$bin" verify "$work"/padded-*.o | tail -n 1
else
    echo "(skipped: this bpfpatch has no 'pad' command)"
fi

echo "== verify: every loadable program, padded with ja +0 no-ops by the batch engine, against the kernel"
"$bin" verify "$objects" | tail -n 2

echo "== stats: what the kernel patches"
"$bin" stats "$objects" | tail -n 6

echo "== cover: block and line coverage in the kernel, behaviour checked on every input"
"$bin" cover "$objects" --lcov "$work/cover.info" | tail -n 3
if command -v genhtml >/dev/null 2>&1; then
    genhtml --quiet --branch-coverage -o "$work/html" "$work/cover.info" 2>&1 | tail -n 4
fi
