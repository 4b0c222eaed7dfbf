#!/usr/bin/env bash
# The main job on the shared corpus: read and disassemble real objects,
# patch the biggest program with both engines and compare, then let the
# live kernel judge the engine (verify) and measure what the kernel itself
# patches (stats). Needs ../shared/corpus beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
corpus=${CORPUS:-../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product bpfpatch
bin=.build/release/bpfpatch

echo "== info and disassembly"
"$bin" info "$corpus/ebpf-samples/build/bpf2bpf.o"
"$bin" disasm "$corpus/ebpf-samples/build/bpf2bpf.o" --section test --source | head -20

echo "== apply: a no-op before every 5th non-jump instruction of bpf_xdp.o's biggest section"
obj="$corpus/ebpf-samples/cilium-core/bpf_xdp.o"
section=$("$bin" info "$obj" --json | python3 -c '
import json, sys
info = json.load(sys.stdin)
print(max(info["programs"], key=lambda p: p["slots"])["section"])')
"$bin" disasm "$obj" --section "$section" --format json | python3 -c '
import json, sys
insns = json.load(sys.stdin)[0]["instructions"]
def is_jump(hex):
    code = int(hex[0:2], 16)
    return code & 7 in (5, 6) or code == 0x18
patches = [{"at": i["index"], "insns": ["0500000000000000", i["hex"][0]]}
           for n, i in enumerate(insns) if n % 5 == 0 and len(i["hex"]) == 1 and not is_jump(i["hex"][0])]
json.dump({"patches": patches}, open(sys.argv[1], "w"))
print(f"{len(patches)} patches over {len(insns)} instructions")' "$work/patches.json"
"$bin" apply "$obj" --section "$section" --patches "$work/patches.json" --output "$work/batch.bin"
"$bin" apply "$obj" --section "$section" --patches "$work/patches.json" --output "$work/sequential.bin" --engine sequential
cmp "$work/batch.bin" "$work/sequential.bin" && echo "batch and sequential engines: byte-identical ($(($(stat -c %s "$work/batch.bin") / 8)) slots)"

echo "== verify: every loadable corpus program, padded with ja +0 no-ops by the batch engine, against the kernel"
"$bin" verify "$corpus" | tail -n 3

echo "== stats: what the kernel patches in the corpus"
"$bin" stats "$corpus" | tail -n 12
