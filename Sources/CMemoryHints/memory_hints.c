// Everything is in include/memory_hints.h (static inline); this file gives
// the target the translation unit SwiftPM requires.
#include "memory_hints.h"
