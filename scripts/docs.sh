#!/usr/bin/env bash
# Builds the BPFPatch documentation (Sources/BPFPatch/BPFPatch.docc plus the
# module's doc comments) with the toolchain's docc, treating every warning
# (an unresolved symbol or article link, a malformed topic) as an error.
#
#   bash scripts/docs.sh                 # -> .build-docs/BPFPatch.doccarchive
#   OUTPUT=/tmp/site bash scripts/docs.sh
#
# The symbol graph comes from a build of the BPFPatch target alone in its
# own scratch directory, so the main .build is not rebuilt with other flags.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scratch=.build-docs
graphs=$scratch/symbol-graphs
output=${OUTPUT:-$scratch/BPFPatch.doccarchive}

# The compiler writes the graphs only when it compiles the module, so the
# directory is kept between runs (an up-to-date build leaves it as it was).
mkdir -p "$graphs"
swift build --scratch-path "$scratch" --target BPFPatch \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" 2>&1 | tail -n 1
if [ ! -f "$graphs/BPFPatch.symbols.json" ]; then   # graphs deleted under an up-to-date build
    rm -rf "$scratch"
    mkdir -p "$graphs"
    swift build --scratch-path "$scratch" --target BPFPatch \
        -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" 2>&1 | tail -n 1
fi
# Only BPFPatch's own graphs (BPFPatch.symbols.json and its extensions of
# other modules, BPFPatch@*.symbols.json): one module per catalog.
rm -rf "$scratch/BPFPatch-graphs"
mkdir -p "$scratch/BPFPatch-graphs"
cp "$graphs"/BPFPatch.symbols.json "$graphs"/BPFPatch@*.symbols.json "$scratch/BPFPatch-graphs/" 2>/dev/null ||
    cp "$graphs"/BPFPatch.symbols.json "$scratch/BPFPatch-graphs/"

docc convert Sources/BPFPatch/BPFPatch.docc \
    --additional-symbol-graph-dir "$scratch/BPFPatch-graphs" \
    --fallback-display-name BPFPatch \
    --fallback-bundle-identifier org.bpfpatch.BPFPatch \
    --output-dir "$output" \
    --warnings-as-errors
echo "documentation: $output"
