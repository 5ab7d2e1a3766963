// Throughput of Epstein's Model I (agents/epstein.hpp) on the paper's 40 x 40 torus and on a
// larger one: agent-steps per second at 1 and 2 threads within one run (chunked TBB updates), and
// over an ensemble of runs. Prints the figures; asserts nothing.
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "iraqsim/agents/epstein.hpp"

using namespace iraqsim::agents;
using Clock = std::chrono::steady_clock;

namespace {

// Agent-steps over a run: everyone on the grid or in jail, every step after step 0.
double agent_steps(const EpsteinSeries& r) {
    double total = 0;
    for (std::size_t t = 1; t < r.size(); ++t) total += r.quiet[t] + r.active[t] + r.jailed[t] + r.cops[t];
    return total;
}

}  // namespace

int main(int argc, char** argv) {
    const int steps = argc > 1 ? std::stoi(argv[1]) : 500;
    for (const std::int32_t side : {40, 200, 1000}) {
        EpsteinParams p;  // the outbursts scenario: L = 0.82, v = 7, cop density 0.04, J_max = 30
        p.width = p.height = side;
        // The 1000 x 1000 torus (700,000 citizens) runs a tenth of the steps, to keep the bench short.
        p.steps = side == 1000 ? std::max(1, steps / 10) : steps;
        for (int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            const auto t = Clock::now();
            const EpsteinSeries r = run_epstein(p, 1, 0);
            const double seconds = std::chrono::duration<double>(Clock::now() - t).count();
            std::printf("Model I, %4d x %4d torus, %d steps, %d thread(s): %8.3f s, %.3g agent-steps/s\n", side, side,
                        p.steps, threads, seconds, agent_steps(r) / seconds);
        }
    }
    return 0;
}
