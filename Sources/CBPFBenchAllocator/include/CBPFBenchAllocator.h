#ifndef CBPFBENCHALLOCATOR_H
#define CBPFBENCHALLOCATOR_H

#include <stdint.h>

// The counting allocator (CountingAllocator.c). Linking this target into an
// executable replaces malloc and friends for the process; BPFBench reaches
// these two functions through weak references (AllocationWindow.c).

/// Starts counting the calling thread's allocations and frees from zero.
void cbb_counting_begin(void);
/// Stops counting; returns the peak of live counted bytes, or -1 when this
/// file's malloc is not the process's malloc.
int64_t cbb_counting_end(int64_t *live_at_end);

#endif
