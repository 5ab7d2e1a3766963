// Sweep throughput: runs per second of the 2003-2011 baseline with summary metrics only and with
// the default time series, at 1 and 2 threads, through the whole sweep path (plan, runs, shard
// writes with journal and fsync, stitch); and the stitch of 10,000 short runs. Prints the
// figures; asserts nothing (targets: docs/sweeps.md, "Performance").
//   bench_sweep [runs]   (default 64 runs per measurement)
#include "bench_args.hpp"
#include "cpu_time.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

#include "iraqsim/sweep/runner.hpp"
#include "iraqsim/sweep/stitch.hpp"

using namespace iraqsim;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

sweep::Plan plan_of(const std::string& text) {
    sweep::Diagnostics d;
    sweep::SweepSpec spec = sweep::parse_sweep_spec(text, "bench.toml", d);
    if (!d.empty()) throw std::runtime_error(d.format());
    return sweep::make_plan(std::move(spec));
}

std::string sweep_text(long long points, long long replicates, const std::string& extra) {
    return "[sweep]\nreplicates = " + std::to_string(replicates) + "\nseed = 1\ndesign = \"latin_hypercube\"\npoints = " +
           std::to_string(points) + "\n" + extra +
           "\n[[parameter]]\nkey = \"model.loyalty.opinion_noise\"\nmin = 0.0\nmax = 0.05\n";
}

struct Timing {
    double run = 0;  // wall seconds of the runs
    double cpu = 0;  // CPU seconds of the runs
    double stitch = 0;
};

// Runs the whole sweep in a fresh directory.
Timing time_sweep(const sweep::Plan& plan, const fs::path& dir, int threads) {
    fs::remove_all(dir);
    sweep::prepare_directory(plan, dir);
    sweep::WorkerSettings settings;
    settings.threads = threads;
    Timing timing;
    auto t = Clock::now();
    const double cpu = bench::cpu_seconds();
    sweep::run_worker(plan, dir, {}, settings);
    timing.run = seconds_since(t);
    timing.cpu = bench::cpu_seconds() - cpu;
    t = Clock::now();
    sweep::stitch(plan, dir, false);
    timing.stitch = seconds_since(t);
    return timing;
}

}  // namespace

int main(int argc, char** argv) {
    const long long runs = bench::count_argument(
        argc, argv,
        "usage: bench_sweep [RUNS]\n"
        "Times sweeps of the 2003-2011 baseline (RUNS runs each, default 64) with summary metrics only and\n"
        "with the default time series, at 1 and 2 threads, and the stitch of 10,000 short runs.\n",
        64);
    const fs::path root = fs::temp_directory_path() / ("iraqsim_bench_sweep_" + std::to_string(::getpid()));
    fs::create_directories(root);
    for (const auto& [label, extra] : {std::pair{"summary metrics only", std::string("variables = []\n")},
                                       std::pair{"default time series, weekly", std::string()}}) {
        const sweep::Plan plan = plan_of(sweep_text(runs / 2, 2, extra));
        for (int threads : {1, 2}) {
            const Timing t = time_sweep(plan, root / "sweep", threads);
            const auto n = static_cast<double>(plan.run_count());
            std::printf("baseline 2003-2011, %-28s %d thread(s): %6.1f runs/s wall, %6.1f runs per CPU-second "
                        "(%lld runs, %.2f s; stitch %.3f s)\n",
                        label, threads, n / t.run, n / t.cpu, static_cast<long long>(plan.run_count()), t.run, t.stitch);
        }
    }
    const sweep::Plan many = plan_of(sweep_text(5000, 2, "set = [\"scenario.end=2003-05-20\"]\n"));
    const Timing t = time_sweep(many, root / "many", 0);
    std::printf("stitch of %lld runs (3 weeks each, default series): %.3f s (the runs took %.2f s)\n",
                static_cast<long long>(many.run_count()), t.stitch, t.run);
    fs::remove_all(root);
    return 0;
}
