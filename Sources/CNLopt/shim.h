// NLopt's C API (nlopt.h): one nlopt_opt handle per optimisation, owned and
// destroyed by RouteShiftOptimization's `OptimizerHandle`.
#include <nlopt.h>
