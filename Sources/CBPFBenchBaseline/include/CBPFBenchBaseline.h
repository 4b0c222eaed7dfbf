#ifndef CBPFBENCHBASELINE_H
#define CBPFBENCHBASELINE_H

#include <stddef.h>
#include <stdint.h>

// The C contender of `bpfpatch bench`: the batch engine's index-map pass
// written plainly in C, as a yardstick for the Swift engine's speed. It is
// not a second engine: cases the benchmark workloads never contain (see
// cbb_status) are reported, not handled.

/// One 8-byte slot, laid out as the kernel's struct bpf_insn (little-endian:
/// dst register in the low nibble of `regs`).
typedef struct cbb_insn {
    uint8_t code;
    uint8_t regs;
    int16_t off;
    int32_t imm;
} cbb_insn;

/// One patch in original coordinates. A replacement has span 1 and
/// length >= 1 slots at bodies[body_start...]; a removal has length 0 and
/// removes `span` slots.
typedef struct cbb_patch {
    int32_t site;
    int32_t span;
    int32_t body_start;
    int32_t length;
} cbb_patch;

typedef enum cbb_status {
    CBB_OK = 0,
    /// Patches not in ascending site order, overlapping, out of range, or
    /// an output size that does not match them.
    CBB_BAD_BATCH = 1,
    /// A reference lands before the start or past the end of the program.
    CBB_TARGET_OUTSIDE = 2,
    /// A reference lands strictly inside a removed run.
    CBB_TARGET_IN_HOLE = 3,
    /// A re-targeted displacement does not fit its field (s16 off, s32 imm).
    CBB_RANGE = 4,
    /// The result splits an ld_imm64 or a reference targets its second slot.
    CBB_SPLIT_WIDE_LOAD = 5,
    CBB_NO_MEMORY = 6,
    /// The batch has removals and a 16-bit displacement within the removed
    /// count of its limit: the exact per-step range check would be needed,
    /// which this yardstick does not do.
    CBB_NEEDS_STEP_CHECK = 7,
} cbb_status;

/// Applies `p` patches (ascending, non-overlapping) to the `n` slots of
/// `orig`, writing the `m` output slots to `out`. On an error, `*where` is
/// the original slot (or output slot, for a replacement's own reference)
/// where it was found and the content of `out` is unspecified.
///
/// Complexity: O(n + p + total replacement length); extra memory: one
/// int32_t per original slot (the index map).
cbb_status cbb_apply(const cbb_insn *orig, int32_t n, const cbb_patch *patches, int32_t p,
                     const cbb_insn *bodies, cbb_insn *out, int32_t m, int32_t *where);

// The memory probe: when the executable links CBPFBenchAllocator (the
// `bpfpatch` tool and the BPFBench tests do), malloc, calloc, realloc, free
// and the aligned allocators forward to glibc's and, while a window is open,
// add and subtract malloc_usable_size() of every block of the calling thread
// and keep the peak. Without it the window reports -1.

/// Opens a window on the calling thread: its live and peak counts restart at 0.
void cbb_alloc_window_begin(void);
/// Closes the window; returns the peak of (bytes allocated − bytes freed)
/// inside it, or -1 when the counting allocator is not the process's
/// malloc (not linked, or another interposer won).
int64_t cbb_alloc_window_end(int64_t *live_at_end);

#endif
