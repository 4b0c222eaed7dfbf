// A counting allocator for the benchmark's memory probes. Its own target,
// linked only into the `bpfpatch` executable and the BPFBench tests, so that
// the BPFBench library (and the nested Benchmarks/ package, which has its
// own malloc statistics) never replaces malloc.
//
// Defining malloc and friends in the executable interposes them for the
// whole process (glibc documents this as "replacing malloc"); each forwards
// to glibc's own allocator (__libc_malloc ...), so blocks, alignment and
// malloc_usable_size stay glibc's. Counting happens only while a window is
// open: one thread-local load otherwise. The definitions are weak so that a
// strong interposer elsewhere (the benchmark framework's in Benchmarks/)
// wins at link time; the window then reports -1 instead of a wrong number.

#define _GNU_SOURCE
#include <stdlib.h>   // defines __GLIBC__ on glibc

#include "CBPFBenchAllocator.h"

#if defined(__linux__) && defined(__GLIBC__)

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

// Per thread: a window counts the allocations and frees of the thread that
// opened it, so that other threads (parallel tests) do not blur the count.
static _Thread_local int counting, seen;   // seen: our malloc ran, so it is the process's
static _Thread_local int64_t live, peak;

static inline void count(int64_t bytes) {
    live += bytes;
    if (live > peak) peak = live;
}

static inline void *counted(void *block) {
    if (block && counting) {
        seen = 1;
        count((int64_t)malloc_usable_size(block));
    }
    return block;
}

__attribute__((weak)) void *malloc(size_t size) { return counted(__libc_malloc(size)); }

__attribute__((weak)) void *calloc(size_t count_, size_t size) { return counted(__libc_calloc(count_, size)); }

__attribute__((weak)) void free(void *block) {
    if (block && counting) count(-(int64_t)malloc_usable_size(block));
    __libc_free(block);
}

__attribute__((weak)) void *realloc(void *block, size_t size) {
    int on = counting;
    int64_t before = (on && block) ? (int64_t)malloc_usable_size(block) : 0;
    void *moved = __libc_realloc(block, size);
    if (on && (moved || size == 0)) {
        count((moved ? (int64_t)malloc_usable_size(moved) : 0) - before);
        seen = 1;
    }
    return moved;
}

__attribute__((weak)) void *memalign(size_t alignment, size_t size) {
    return counted(__libc_memalign(alignment, size));
}

__attribute__((weak)) void *aligned_alloc(size_t alignment, size_t size) {
    return counted(__libc_memalign(alignment, size));
}

__attribute__((weak)) int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *block = counted(__libc_memalign(alignment, size));
    if (!block) return ENOMEM;
    *result = block;
    return 0;
}

__attribute__((weak)) void *valloc(size_t size) { return counted(__libc_memalign(4096, size)); }

void cbb_counting_begin(void) {
    seen = 0;
    counting = 1;
    // A probe allocation proves that this file's malloc is the one in use.
    void *volatile probe = malloc(1);
    free(probe);
    live = 0;
    peak = 0;
}

int64_t cbb_counting_end(int64_t *live_at_end) {
    counting = 0;
    *live_at_end = live;
    return seen ? peak : -1;
}

#else

void cbb_counting_begin(void) {}

int64_t cbb_counting_end(int64_t *live_at_end) {
    *live_at_end = 0;
    return -1;
}

#endif
