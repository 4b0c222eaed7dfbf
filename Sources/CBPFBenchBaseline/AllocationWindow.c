// The memory probe's window, forwarded to the counting allocator
// (CBPFBenchAllocator) when the executable links it; weak references, so
// that BPFBench itself never replaces malloc.

#include "CBPFBenchBaseline.h"

extern void cbb_counting_begin(void) __attribute__((weak));
extern int64_t cbb_counting_end(int64_t *live_at_end) __attribute__((weak));

void cbb_alloc_window_begin(void) {
    if (cbb_counting_begin) cbb_counting_begin();
}

int64_t cbb_alloc_window_end(int64_t *live_at_end) {
    if (cbb_counting_end) return cbb_counting_end(live_at_end);
    *live_at_end = 0;
    return -1;
}
