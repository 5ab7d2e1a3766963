// CPU time of the benchmark process, all threads: on a shared machine wall time also counts the
// other processes' use of the cores, CPU time does not, so the benchmarks print both.
#pragma once

#include <ctime>

namespace iraqsim::bench {

inline double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace iraqsim::bench
