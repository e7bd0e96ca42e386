// Cache and page hints for the search loops and the graph build of
// RouteShiftGraph. Swift has no prefetch intrinsic; these static inline
// functions are inlined into Swift code.
#ifndef ROUTESHIFT_MEMORY_HINTS_H
#define ROUTESHIFT_MEMORY_HINTS_H

#include <stddef.h>
#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/// Asks the processor to start loading the cache line holding `address`
/// for reading (GCC/Clang `__builtin_prefetch`, highest temporal locality).
/// A hint only: it never faults and has no effect on results.
static inline __attribute__((always_inline)) void routeshift_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Asks the processor to start loading the cache line holding `address`
/// for writing (`__builtin_prefetch` with write intent; where the target has no
/// such instruction, a plain load hint). A hint only, as `routeshift_prefetch`.
static inline __attribute__((always_inline)) void routeshift_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Asks the kernel to back the whole pages of `[address, address + bytes)`
/// with transparent huge pages where it can (`madvise(MADV_HUGEPAGE)`; Linux
/// only, a no-op elsewhere and for regions under 2 MiB). For large buffers not
/// yet written: one fault per 2 MiB instead of per 4 KiB, and far fewer TLB
/// misses when they are written or read at random. A hint only: it never
/// changes what the memory holds.
static inline __attribute__((always_inline)) void routeshift_huge_pages(void *address, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes < ((size_t)2 << 20)) return;
    const uintptr_t page = 4096;
    uintptr_t start = ((uintptr_t)address + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)address + bytes) & ~(page - 1);
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)address; (void)bytes;
#endif
}

#endif
