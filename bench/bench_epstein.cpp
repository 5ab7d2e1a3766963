// Throughput of Epstein's Model I (agents/epstein.hpp) at vision 7 on the paper's 40 x 40 torus and
// on 200 x 200 and 1000 x 1000 ones: agent-steps per second at 1 and 2 threads within one run
// (chunked TBB updates), beside the machine's memory bandwidth and the share of it a step's memory
// traffic uses. Prints the figures; asserts nothing.
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "bench_args.hpp"
#include "cpu_time.hpp"
#include "iraqsim/agents/epstein.hpp"
#include "memory_bandwidth.hpp"

using namespace iraqsim;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* usage =
    "usage: bench_epstein [STEPS]\n"
    "  Runs Epstein's Model I at the outbursts scenario's values (L = 0.82, vision 7, cop density\n"
    "  0.04, J_max = 30) for STEPS steps (default 500; a tenth of them at 1000 x 1000) on 40 x 40,\n"
    "  200 x 200 and 1000 x 1000 tori at 1 and 2 threads, and prints agent-steps per second (wall\n"
    "  and CPU time) beside the memory bandwidth of a STREAM-like triad.\n";

// Everyone on the grid or in jail: the agents a step updates.
double agents_now(const agents::EpsteinCounts& c) { return c.quiet + c.active + c.jailed + c.cops; }

}  // namespace

int main(int argc, char** argv) {
    const long long steps = bench::count_argument(argc, argv, usage, 500);
    bench::MemoryBandwidth bandwidth[2];
    for (const int threads : {1, 2}) {
        bandwidth[threads - 1] = bench::measure_memory_bandwidth(threads);
        std::printf("memory bandwidth (STREAM-like, 3 x 128 MiB), %d thread(s): copy %.1f GB/s, triad %.1f GB/s\n",
                    threads, bandwidth[threads - 1].copy_gb_per_s, bandwidth[threads - 1].triad_gb_per_s);
    }
    for (const std::int32_t side : {40, 200, 1000}) {
        agents::EpsteinParams p;  // the outbursts scenario: L = 0.82, v = 7, cop density 0.04, J_max = 30
        p.width = p.height = side;
        // The 1000 x 1000 torus (700,000 citizens) runs a tenth of the steps, to keep the bench short.
        p.steps = static_cast<std::int32_t>(side == 1000 ? std::max(1LL, steps / 10) : steps);
        for (const int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            agents::EpsteinWorld world(p, 1, 0);
            double agent_steps = 0;
            const auto t = Clock::now();
            const double cpu0 = bench::cpu_seconds();
            for (std::int32_t s = 0; s < p.steps; ++s) {
                world.step();
                agent_steps += agents_now(world.counts());
            }
            const double seconds = std::chrono::duration<double>(Clock::now() - t).count();
            const double cpu = bench::cpu_seconds() - cpu0;
            const double rate = agent_steps / seconds;
            // Every per-cell array is read or written at least once a step: a lower bound on traffic.
            const double bytes_per_agent_step = static_cast<double>(world.bytes_touched_per_cell()) *
                                                static_cast<double>(world.grid().size()) * p.steps / agent_steps;
            const double limit_rate = bandwidth[threads - 1].triad_gb_per_s * 1e9 / bytes_per_agent_step;
            std::printf("Model I, %4d x %4d torus, %d steps, %d thread(s): %8.3f s, %.3g agent-steps/s (%.3g per CPU-second); "
                        ">= %.0f bytes per agent-step, %.1f%% of the triad bandwidth limit (%.3g agent-steps/s)\n",
                        side, side, p.steps, threads, seconds, rate, agent_steps / cpu, bytes_per_agent_step,
                        100.0 * rate / limit_rate, limit_rate);
        }
    }
    return 0;
}
