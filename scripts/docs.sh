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

rm -rf "$graphs"
mkdir -p "$graphs"
swift build --scratch-path "$scratch" --target BPFPatch \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" 2>&1 | tail -n 1
# Only BPFPatch's own graphs (BPFPatch.symbols.json and its extensions of
# other modules, BPFPatch@*.symbols.json): one module per catalog.
mkdir -p "$graphs/BPFPatch"
mv "$graphs"/BPFPatch*.symbols.json "$graphs/BPFPatch/"

docc convert Sources/BPFPatch/BPFPatch.docc \
    --additional-symbol-graph-dir "$graphs/BPFPatch" \
    --fallback-display-name BPFPatch \
    --fallback-bundle-identifier org.bpfpatch.BPFPatch \
    --output-dir "$output" \
    --warnings-as-errors
echo "documentation: $output"
