// The benchmarks' one argument: how many repeats (or runs) to time, with --help and a clear
// error instead of an exception on anything else.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace iraqsim::bench {

// Returns the count given as the only argument (default when none); prints `usage` and exits 0
// on -h/--help, or exits 2 on anything that is not a positive whole number.
inline long long count_argument(int argc, char** argv, const char* usage, long long default_count) {
    if (argc < 2) return default_count;
    const std::string arg = argv[1];
    if (arg == "-h" || arg == "--help") {
        std::printf("%s", usage);
        std::exit(0);
    }
    char* end = nullptr;
    const long long count = std::strtoll(arg.c_str(), &end, 10);
    if (argc > 2 || end == arg.c_str() || *end != '\0' || count < 1) {
        std::fprintf(stderr, "%s: expected one positive whole number, got '%s'\n%s", argv[0], arg.c_str(), usage);
        std::exit(2);
    }
    return count;
}

}  // namespace iraqsim::bench
