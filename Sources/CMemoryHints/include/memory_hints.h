// Cache hints for the search loops of RouteShiftGraph. Swift has no prefetch
// intrinsic; these static inline functions are inlined into Swift code.
#ifndef ROUTESHIFT_MEMORY_HINTS_H
#define ROUTESHIFT_MEMORY_HINTS_H

/// Asks the processor to start loading the cache line holding `address`
/// for reading (GCC/Clang `__builtin_prefetch`, highest temporal locality).
/// A hint only: it never faults and has no effect on results.
static inline __attribute__((always_inline)) void routeshift_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
