// Progress on long work: a bar with an ETA on a terminal, a plain line every ten per cent (or
// thirty seconds) otherwise, nothing when quiet or when the work ends within a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace iraqsim::cli {

class Progress {
public:
    Progress(std::string what, std::int64_t total, bool quiet);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // One more unit done; safe to call from any thread.
    void advance();

private:
    void draw(std::int64_t done, bool final);

    std::string what_;
    std::int64_t total_;
    bool quiet_;
    bool terminal_;
    std::mutex mutex_;
    std::int64_t done_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw_{};
    int last_decile_ = 0;
    bool drawn_ = false;
};

}  // namespace iraqsim::cli
