// Throughput of the citizen agents (agents/citizen_*.hpp): agent-steps per second at 1, 10 and 30
// million citizens, at 1 and 2 threads, with the bytes each citizen takes and the peak memory,
// beside the machine's memory bandwidth measured by a STREAM-like triad. Each step is the whole
// week of agent mode: the tables from the world state, the citizens' update and the counts, and
// the loyalty written back. Prints the figures; asserts nothing.
#include <oneapi/tbb/global_control.h>
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <vector>

#include "bench_args.hpp"
#include "cpu_time.hpp"
#include "memory_bandwidth.hpp"
#include "iraqsim/agents/citizen_engine.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/scenario/scenario.hpp"

using namespace iraqsim;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* usage =
    "usage: bench_citizens [WEEKS]\n"
    "  Steps 1, 10 and 30 million citizen agents WEEKS weeks (default 20) at 1 and 2 threads on the\n"
    "  Iraq world at its initial state (perceived legitimacy 0.5 everywhere, so that citizens turn\n"
    "  active and are detained), and prints agent-steps per second, bytes per agent, peak memory\n"
    "  (getrusage) and the memory bandwidth of a STREAM-like triad.\n";

double peak_mib() {
    rusage usage_now{};
    getrusage(RUSAGE_SELF, &usage_now);
    return static_cast<double>(usage_now.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// STREAM's triad a = b + s c over arrays far larger than the caches; the best of 5 repeats, in
// GB/s counting 24 bytes per element (two reads, one write; write-allocate traffic not counted, as STREAM).
}  // namespace

int main(int argc, char** argv) {
    const long long weeks = bench::count_argument(argc, argv, usage, 20);
    const world::Roster& roster = world::iraq_roster();
    const world::State start = engine::compile_model(scenario::default_scenario(), roster).initial_state;
    const double population = (start.residents + start.displaced).sum();
    std::printf("Iraq at the start: %.4g persons; bytes per agent (traits + changing fields, each read once a step): %zu\n", population,
                agents::CitizenPopulation::bytes_per_agent());

    std::vector<double> rate_2threads;
    for (const double millions : {1.0, 10.0, 30.0}) {
        for (const int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            world::State initial = start;
            initial.tips.setConstant(0.5);
            const auto t0 = Clock::now();
            agents::CitizenEngine engine(roster, initial, agents::CitizenParams{}, population / (millions * 1e6), 1, 0);
            const double build = std::chrono::duration<double>(Clock::now() - t0).count();
            world::State prev = initial, next = initial;
            const auto t = Clock::now();
            const double cpu0 = bench::cpu_seconds();
            for (long long w = 1; w <= weeks; ++w) engine.step(prev, next, model::LoyaltyForceParams{}, static_cast<int>(w));
            const double seconds = std::chrono::duration<double>(Clock::now() - t).count();
            const double cpu = bench::cpu_seconds() - cpu0;
            const double n = static_cast<double>(engine.citizens().size());
            const double rate = n * static_cast<double>(weeks) / seconds;
            if (threads == 2) rate_2threads.push_back(rate);
            const auto& counts = engine.counts();
            std::uint64_t active = 0, detained = 0;
            for (std::size_t b = 0; b < counts.block_count; ++b) {
                active += counts.in_state(b, agents::CitizenState::supporter) + counts.in_state(b, agents::CitizenState::fighter);
                detained += counts.in_state(b, agents::CitizenState::detained);
            }
            std::printf("%5.1f M citizens, %d thread(s): %lld weeks in %7.3f s (created in %.3f s): %7.1f M agent-steps/s, "
                        "%.2f GB/s of citizen state; %.1f M agent-steps per CPU-second; active %llu, detained %llu; peak memory %.0f MiB\n",
                        n / 1e6, threads, weeks, seconds, build, rate / 1e6,
                        rate * static_cast<double>(agents::CitizenPopulation::bytes_per_agent()) / 1e9,
                        n * static_cast<double>(weeks) / cpu / 1e6,
                        static_cast<unsigned long long>(active), static_cast<unsigned long long>(detained), peak_mib());
        }
    }
    const double weeks_2003_2011 = 453;
    std::printf("full population over 2003-2011 (%g weeks) at the 30 M two-thread rate: %.1f s (citizens only)\n",
                weeks_2003_2011, population * weeks_2003_2011 / rate_2threads.back());
    const double peak_before_triad = peak_mib();
    for (const int threads : {1, 2}) {
        const bench::MemoryBandwidth bw = bench::measure_memory_bandwidth(threads);
        std::printf("memory bandwidth (STREAM-like, 3 x 128 MiB), %d thread(s): copy %.1f GB/s, triad %.1f GB/s\n", threads,
                    bw.copy_gb_per_s, bw.triad_gb_per_s);
    }
    std::printf("peak memory of the citizen runs: %.0f MiB\n", peak_before_triad);
    return 0;
}
