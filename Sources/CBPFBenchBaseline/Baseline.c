// The C contender: one map-building loop, one copy loop, memcpy for the
// replacements, every reference re-targeted through a precomputed int map.
// Semantics from /work/shared/spec/patching.md ("References that move",
// "A batch"); written from the spec, not from any kernel source.

#include "CBPFBenchBaseline.h"

#include <stdlib.h>
#include <string.h>

enum { LD_IMM64 = 0x18, GOTOL = 0x06 };

// Where a slot keeps its displacement.
enum field { NONE, OFF, IMM };

static inline enum field reference_field(cbb_insn insn) {
    uint8_t cls = insn.code & 0x07;
    if (cls == 0x05 || cls == 0x06) {
        uint8_t op = insn.code & 0xf0;
        if (op == 0x80) return (insn.regs >> 4) == 1 ? IMM : NONE;   // pseudo call only
        if (op == 0x90) return NONE;                                // exit
        return insn.code == GOTOL ? IMM : OFF;
    }
    if (insn.code == LD_IMM64 && (insn.regs >> 4) == 4) return IMM;   // pseudo func
    return NONE;
}

// Slot x is an ld_imm64 second half when an odd number of ld_imm64 codes
// stand right before it. Called only at run boundaries and on targets whose
// previous slot is an ld_imm64: rare.
static int is_second_half(const cbb_insn *slots, int64_t x) {
    int64_t k = x - 1, run = 0;
    while (k >= 0 && slots[k].code == LD_IMM64) { run++; k--; }
    return run & 1;
}

struct pass {
    const cbb_insn *orig;
    int32_t n, m;
    const int32_t *map;
    int32_t largest_jump;
    int32_t *where;
};

// The new index of original slot t (S(t)), with the outside, hole and
// second-half checks.
static inline cbb_status land(struct pass *ps, int64_t t, int64_t *target) {
    if (t < 0 || t >= ps->n) return CBB_TARGET_OUTSIDE;
    int32_t s = ps->map[t];
    if (s < 0) return CBB_TARGET_IN_HOLE;
    if (s >= ps->m) return CBB_TARGET_OUTSIDE;
    if (t > 0 && ps->orig[t - 1].code == LD_IMM64 && is_second_half(ps->orig, t)) return CBB_SPLIT_WIDE_LOAD;
    *target = s;
    return CBB_OK;
}

// Stores displacement `d` in the slot's field, checking its range.
static inline cbb_status store(struct pass *ps, cbb_insn *slot, enum field f, int64_t d) {
    if (f == OFF) {
        if (d < INT16_MIN || d > INT16_MAX) return CBB_RANGE;
        int32_t magnitude = (int32_t)(d < 0 ? -d : d);
        if (magnitude > ps->largest_jump) ps->largest_jump = magnitude;
        slot->off = (int16_t)d;
    } else {
        if (d < INT32_MIN || d > INT32_MAX) return CBB_RANGE;
        slot->imm = (int32_t)d;
    }
    return CBB_OK;
}

cbb_status cbb_apply(const cbb_insn *orig, int32_t n, const cbb_patch *patches, int32_t p,
                     const cbb_insn *bodies, cbb_insn *out, int32_t m, int32_t *where) {
    *where = -1;
    if (n < 0 || p < 0 || m < 0) return CBB_BAD_BATCH;
    int32_t *map = malloc(sizeof(int32_t) * (size_t)(n > 0 ? n : 1));
    if (!map) return CBB_NO_MEMORY;
    cbb_status status = CBB_OK;
    int64_t removed = 0;

    // The map: map[x] is the new index of the first slot of x's replacement,
    // for a removal's first slot the first surviving slot after it, -1
    // strictly inside a hole.
    int64_t x = 0, w = 0;
    for (int32_t k = 0; k < p; k++) {
        cbb_patch pt = patches[k];
        if (pt.site < x || pt.span < 1 || (int64_t)pt.site + pt.span > n || pt.length < 0
            || (pt.length > 0 && pt.span != 1) || (pt.length == 0 && pt.span < 1)) {
            *where = pt.site;
            status = CBB_BAD_BATCH;
            goto done;
        }
        for (; x < pt.site; x++) map[x] = (int32_t)w++;
        map[x] = (int32_t)w;
        for (int32_t j = 1; j < pt.span; j++) map[x + j] = -1;
        if (pt.length == 0) removed += pt.span;
        w += pt.length;
        x = (int64_t)pt.site + pt.span;
    }
    for (; x < n; x++) map[x] = (int32_t)w++;
    if (w != m) { status = CBB_BAD_BATCH; goto done; }

    struct pass ps = { orig, n, m, map, 0, where };
    // The copy: untouched runs slot by slot with their references
    // re-targeted, replacements with memcpy and then their references read
    // the way the sequential kernel reads them. `second`: the next output
    // slot is an ld_imm64 second half.
    int second = 0;
    x = 0;
    w = 0;
    for (int32_t k = 0; k <= p; k++) {
        int64_t end = k < p ? patches[k].site : n;
        if (x < end && is_second_half(orig, x) != second) {
            *where = (int32_t)x;
            status = CBB_SPLIT_WIDE_LOAD;
            goto done;
        }
        for (int64_t i = x; i < end; i++) {
            cbb_insn insn = orig[i];
            if (second) {
                second = 0;
            } else {
                if (insn.code == LD_IMM64) second = 1;
                enum field f = reference_field(insn);
                if (f != NONE) {
                    int64_t d = f == OFF ? insn.off : insn.imm, target;
                    if ((status = land(&ps, i + d + 1, &target)) != CBB_OK
                        || (status = store(&ps, &insn, f, target - w - 1)) != CBB_OK) {
                        *where = (int32_t)i;
                        goto done;
                    }
                }
            }
            out[w++] = insn;
        }
        if (k == p) break;
        cbb_patch pt = patches[k];
        x = (int64_t)pt.site + pt.span;
        if (pt.length == 0) continue;
        const cbb_insn *body = bodies + pt.body_start;
        int64_t start = w;
        memcpy(out + start, body, sizeof(cbb_insn) * (size_t)pt.length);
        for (int32_t c = 0; c < pt.length; c++) {
            cbb_insn *slot = out + start + c;
            if (second) {
                second = 0;
                if (slot->code != 0) { status = CBB_SPLIT_WIDE_LOAD; *where = (int32_t)(start + c); goto done; }
                continue;
            }
            if (slot->code == LD_IMM64) second = 1;
            enum field f = reference_field(*slot);
            if (f == NONE) continue;
            int64_t own = start + c;
            int64_t current = own + (f == OFF ? slot->off : slot->imm) + 1, target;
            if (current < start) {
                // Behind the patch: already final.
                if (current < 0) { status = CBB_TARGET_OUTSIDE; *where = pt.site; goto done; }
                if (current > 0 && out[current - 1].code == LD_IMM64 && is_second_half(out, current)) {
                    status = CBB_SPLIT_WIDE_LOAD; *where = pt.site; goto done;
                }
                target = current;
            } else if (current < start + pt.length) {
                // Inside the patch: stays.
                if (current > start && body[current - start - 1].code == LD_IMM64
                    && is_second_half(body, current - start)) {
                    status = CBB_SPLIT_WIDE_LOAD; *where = pt.site; goto done;
                }
                target = current;
            } else {
                // Ahead: in original spacing, lands like an original reference.
                if ((status = land(&ps, x + (current - start - pt.length), &target)) != CBB_OK) {
                    *where = pt.site;
                    goto done;
                }
            }
            if ((status = store(&ps, slot, f, target - own - 1)) != CBB_OK) { *where = pt.site; goto done; }
        }
        w += pt.length;
    }
    if (second) { status = CBB_SPLIT_WIDE_LOAD; *where = n - 1; goto done; }
    // With removals a displacement can overflow at one step and shrink back
    // later; the exact per-step check is not modelled here.
    if (removed > 0 && (int64_t)ps.largest_jump + removed > INT16_MAX) status = CBB_NEEDS_STEP_CHECK;
done:
    free(map);
    return status;
}
