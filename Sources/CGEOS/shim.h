// Only the re-entrant (`_r`) GEOS API is visible: every call takes an explicit
// context handle, so one context per task or worker is safe without locks.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
