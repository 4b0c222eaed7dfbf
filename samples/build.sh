#!/usr/bin/env bash
# Rebuild the committed sample objects from their C sources with the
# toolchain's clang. No kernel or libbpf headers are needed: bpf_defs.h
# declares what the samples use.
#
#   bash samples/build.sh            # rebuild every *.o
#   CLANG=/path/to/clang bash samples/build.sh
#   OUT=/tmp/objects bash samples/build.sh   # write the objects elsewhere
set -euo pipefail
cd "$(dirname "$0")"
clang=${CLANG:-/opt/swift/usr/bin/clang}
out=${OUT:-.}
mkdir -p "$out"

# -g: BTF with func info and line info (.BTF.ext).
# -fno-split-cold-code: this clang splits cold paths into `.cold` functions
# by default; see README.md.
# Upstream clang has no such cc1 option, so pass it only where accepted.
# -fdebug-compilation-dir=.: no absolute build path in DWARF or BTF, so the
# objects are the same whichever directory they are rebuilt in.
flags=(-target bpf -O2 -g -Wall -Werror -fdebug-compilation-dir=. -c)
if "$clang" -target bpf -Xclang -fno-split-cold-code -fsyntax-only -x c /dev/null 2>/dev/null; then
    flags+=(-Xclang -fno-split-cold-code)
fi

for source in *.c; do
    cpu=()
    case "$source" in
        isa_v4.c) cpu=(-mcpu=v4) ;;
    esac
    "$clang" "${flags[@]}" "${cpu[@]}" "$source" -o "$out/${source%.c}.o"
    echo "built $out/${source%.c}.o"
done
