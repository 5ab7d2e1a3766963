// Throughput of the aggregate core on the 2003-2011 baseline: one replicate with no time series
// kept, one with the full time series written to HDF5, and replicates per second at 1 and 2
// threads. Prints the figures; asserts nothing (targets are in docs/ and the issue notes).
#include "bench_args.hpp"
#include "cpu_time.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/ensemble_file.hpp"

using namespace iraqsim;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

output::RecordSpec full_spec() {
    output::RecordSpec spec;
    for (const output::VariableDef& v : output::variable_catalogue()) spec.variables.push_back(&v);
    return spec;
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = static_cast<int>(bench::count_argument(
        argc, argv,
        "usage: bench_baseline [REPEATS]\n"
        "Times one replicate of the 2003-2011 baseline (REPEATS replicates, default 200) with summary output,\n"
        "one with the full time series written to HDF5 (deflated at level 1 and unfiltered), and replicates\n"
        "per second at 1 and 2 threads.\n",
        200));
    const scenario::Scenario scenario = scenario::default_scenario();
    const engine::CompiledModel model = engine::compile_model(scenario, world::iraq_roster());
    const output::RecordSpec none;  // summary only: no time series kept
    const output::RecordSpec full = full_spec();
    std::printf("baseline %s to %s, %d weeks, %zu provinces, %zu factions\n", scenario.start.iso().c_str(),
                scenario.end.iso().c_str(), model.week_count, model.roster->province_count(),
                model.roster->faction_count());

    engine::EnsembleSettings one;
    one.threads = 1;
    one.check_invariants = false;
    one.replicates = repeats;
    auto t = Clock::now();
    const engine::EnsembleResult bare_result = engine::run_ensemble(model, none, one);
    const double bare = seconds_since(t) / repeats;
    std::printf("one replicate, summary output:          %8.3f ms  (%.0f weeks/s)\n", 1e3 * bare,
                model.week_count / bare);
    // Where a replicate's time goes, by process (the step's own phases; what is left is the step's
    // copy of the state and the run loop).
    for (std::size_t i = 0; i < engine::phase_names.size(); ++i) {
        std::printf("  %-40s %8.3f ms\n", std::string(engine::phase_names[i]).c_str(),
                    1e-6 * static_cast<double>(bare_result.phase_times.ns[i]) / repeats);
    }

    const auto path = std::filesystem::temp_directory_path() / "iraqsim_bench.h5";
    const int file_repeats = std::max(1, repeats / 10);
    one.replicates = 1;
    // At the default deflate level and unfiltered (output.compression = 0); the run (with the
    // recording of every week) and the writing of the file are timed apart: the writing at level 1
    // is mostly deflate's time (docs/output.md, Compression).
    // Medians over the repeats: one `fsync` that waits on a busy disk (seen: a quarter of a second)
    // would otherwise be the figure.
    for (const int level : {1, 0}) {
        output::RecordSpec spec = full;
        spec.compression = level;
        std::vector<double> total, running, writing, writing_cpu;
        for (int i = 0; i < file_repeats; ++i) {
            t = Clock::now();
            const auto result = engine::run_ensemble(model, spec, one);
            running.push_back(seconds_since(t));
            t = Clock::now();
            const double cpu = bench::cpu_seconds();
            output::write_ensemble_file(path, true, scenario, world::iraq_roster(), spec, result);
            writing.push_back(seconds_since(t));
            writing_cpu.push_back(bench::cpu_seconds() - cpu);
            total.push_back(running.back() + writing.back());
        }
        const auto bytes = std::filesystem::file_size(path);
        std::filesystem::remove(path);
        std::printf("one replicate, full time series to HDF5: %8.3f ms  (median of %d; output.compression = %d, %.1f MB; "
                    "run and record %.1f ms, write %.1f ms, CPU %.1f ms; slowest %.1f ms)\n",
                    1e3 * median(total), file_repeats, level, static_cast<double>(bytes) / 1e6, 1e3 * median(running),
                    1e3 * median(writing), 1e3 * median(writing_cpu), 1e3 * *std::max_element(total.begin(), total.end()));
    }

    for (int threads : {1, 2}) {
        engine::EnsembleSettings many;
        many.threads = threads;
        many.check_invariants = false;
        many.replicates = repeats * threads;
        t = Clock::now();
        engine::run_ensemble(model, none, many);
        const double s = seconds_since(t);
        std::printf("replicates/s at %d thread(s), summary output: %8.0f\n", threads,
                    static_cast<double>(many.replicates) / s);
    }
    return 0;
}
