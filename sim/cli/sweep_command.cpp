// iraqsim sweep: a sweep file's runs on local threads, MPI ranks or job-array tasks, into shards
// under DIR, then DIR/sweep.h5 (docs/sweeps.md, docs/cluster.md).
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/sweep/mpi_world.hpp"
#include "iraqsim/sweep/runner.hpp"
#include "iraqsim/sweep/stitch.hpp"
#include "parse_args.hpp"
#include "progress.hpp"

namespace iraqsim::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
    std::optional<fs::path> sweep_file;
    fs::path dir;
    std::vector<std::string> sets;
    int threads = 0;
    bool resume = false;
    bool force = false;
    bool quiet = false;
    std::optional<sweep::Worker> array;  // this process is one task of a job array
};

std::int64_t env_integer(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::strtoll(value, nullptr, 10) : -1;
}

// --array-index/--array-count, or Slurm's array variables (task ids need not start at 0).
std::optional<sweep::Worker> array_task(const boost::program_options::variables_map& vm, bool quiet) {
    const bool index = vm.count("array-index") > 0, count = vm.count("array-count") > 0;
    if (index != count) throw core::UsageError("--array-index and --array-count go together");
    sweep::Worker worker;
    if (index) {
        worker = {vm["array-index"].as<std::int64_t>(), vm["array-count"].as<std::int64_t>()};
    } else if (env_integer("SLURM_ARRAY_TASK_ID") >= 0 && env_integer("SLURM_ARRAY_TASK_COUNT") > 0) {
        const std::int64_t first = std::max<std::int64_t>(0, env_integer("SLURM_ARRAY_TASK_MIN"));
        worker = {env_integer("SLURM_ARRAY_TASK_ID") - first, env_integer("SLURM_ARRAY_TASK_COUNT")};
        if (!quiet) {
            std::fprintf(stderr, "sweep: Slurm array task %lld of %lld (SLURM_ARRAY_TASK_ID)\n",
                         static_cast<long long>(worker.index), static_cast<long long>(worker.count));
        }
    } else {
        return std::nullopt;
    }
    if (worker.count < 1 || worker.index < 0 || worker.index >= worker.count) {
        throw core::UsageError("--array-index must be in [0, --array-count), got " + std::to_string(worker.index) +
                               " of " + std::to_string(worker.count) +
                               " (with Slurm, task ids must run from SLURM_ARRAY_TASK_MIN without gaps)");
    }
    return worker;
}

sweep::WorkerSettings worker_settings(const Options& o) {
    sweep::WorkerSettings settings;
    settings.threads = o.threads;
    settings.resume = o.resume;
#ifdef NDEBUG
    settings.check_invariants = false;
#else
    settings.check_invariants = true;
#endif
    // Test-only failure injection (docs/sweeps.md, "Testing"): never set these in real work.
    settings.failure.kill_after_runs = std::max<std::int64_t>(0, env_integer("IRAQSIM_TEST_KILL_AFTER_RUNS"));
    settings.failure.kill_mid_write_run = std::max<std::int64_t>(0, env_integer("IRAQSIM_TEST_KILL_MID_WRITE"));
    return settings;
}

std::int64_t remaining_runs(const sweep::Plan& plan, const fs::path& dir, sweep::Worker worker) {
    const std::vector<bool> done = sweep::completed_runs(plan, dir);
    std::int64_t n = 0;
    for (std::int64_t run = worker.index; run < plan.run_count(); run += worker.count) n += done[static_cast<std::size_t>(run)] ? 0 : 1;
    return n;
}

void report_stitch(const sweep::Plan& plan, const sweep::StitchResult& s, bool quiet) {
    if (quiet) return;
    std::printf("wrote %s: %lld points x %lld replicates from %zu shard(s); %zu variable(s), %zu metric(s)%s\n",
                s.file.string().c_str(), static_cast<long long>(plan.point_count()),
                static_cast<long long>(plan.replicates()), s.shards, plan.output.variables.size(), plan.metrics.size(),
                plan.spec.design == sweep::Design::morris     ? ", Morris effects"
                : plan.spec.design == sweep::Design::saltelli ? ", Sobol indices"
                                                              : "");
}

void report_runs(const char* who, const sweep::WorkerResult& r, double seconds, int threads, bool quiet) {
    if (quiet) return;
    std::printf("%s: %lld run(s) in %.2f s (%.1f runs/s%s)%s\n", who, static_cast<long long>(r.runs_done), seconds,
                seconds > 0 ? static_cast<double>(r.runs_done) / seconds : 0.0,
                threads > 0 ? (", " + std::to_string(threads) + " thread(s)").c_str() : "",
                r.runs_skipped > 0 ? (", " + std::to_string(r.runs_skipped) + " already complete").c_str() : "");
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// --plan: what the sweep expands into, one line per point, without running anything.
void print_plan(const sweep::Plan& plan) {
    const sweep::SweepSpec& spec = plan.spec;
    std::printf("sweep %s: %s design, %lld points x %lld replicates = %lld runs, seed %llu%s\n", spec.name.c_str(),
                std::string(sweep::design_name(spec.design)).c_str(), static_cast<long long>(plan.point_count()),
                static_cast<long long>(plan.replicates()), static_cast<long long>(plan.run_count()),
                static_cast<unsigned long long>(spec.seed), spec.common_random_numbers ? " (common random numbers)" : "");
    std::printf("base: %s, %s to %s, %d weeks; records every %d week(s):", plan.base.source.c_str(),
                plan.base.start.iso().c_str(), plan.base.end.iso().c_str(), plan.week_count, plan.output.every_weeks);
    for (const output::VariableDef* v : plan.output.variables) std::printf(" %s", std::string(v->name).c_str());
    std::printf("%s\nmetrics:", plan.output.variables.empty() ? " none (summary metrics only)" : "");
    for (const sweep::Metric& m : plan.metrics.metrics) std::printf(" %s", m.name.c_str());
    std::printf("\npoint seed assignments\n");
    for (std::int64_t p = 0; p < plan.point_count(); ++p) {
        std::printf("%lld %llu", static_cast<long long>(p), static_cast<unsigned long long>(plan.seed_of(p)));
        for (const std::string& a : sweep::point_assignments(plan, p)) std::printf(" %s", a.c_str());
        std::printf("\n");
    }
}

int run_local(const Options& o) {
    const sweep::Plan plan = sweep::load_plan(*o.sweep_file, o.sets);
    sweep::prepare_directory(plan, o.dir);
    const sweep::Worker worker = o.array.value_or(sweep::Worker{});
    const auto started = Clock::now();
    sweep::WorkerSettings settings = worker_settings(o);
    sweep::WorkerResult result;
    {
        Progress progress("sweep " + plan.spec.name, remaining_runs(plan, o.dir, worker), o.quiet);
        settings.on_run_done = [&] { progress.advance(); };
        result = sweep::run_worker(plan, o.dir, worker, settings);
    }
    if (o.array) {
        const std::string who = "array task " + std::to_string(worker.index) + " of " + std::to_string(worker.count);
        report_runs(who.c_str(), result, seconds_since(started), o.threads, o.quiet);
        if (!o.quiet) std::printf("when every task is done: iraqsim sweep --stitch %s\n", o.dir.string().c_str());
        return 0;
    }
    report_runs("sweep", result, seconds_since(started), o.threads, o.quiet);
    report_stitch(plan, sweep::stitch(plan, o.dir, o.force), o.quiet);
    return 0;
}

// Under mpirun: rank 0 checks the sweep and prepares the directory, every rank runs its share,
// rank 0 shows the whole sweep's progress and stitches.
int run_mpi(const Options& o) {
    sweep::MpiWorld world;
    const bool root = world.rank() == 0;
    int code = 0;
    std::optional<sweep::Plan> plan;
    if (root) {
        try {
            plan = sweep::load_plan(*o.sweep_file, o.sets);
            sweep::prepare_directory(*plan, o.dir);
        } catch (const core::Error& e) {
            std::cerr << "iraqsim: error: " << e.what() << "\n";
            code = static_cast<int>(e.exit_code());
        }
    }
    if ((code = static_cast<int>(world.broadcast(code))) != 0) return code;
    const auto session = static_cast<int>(world.broadcast(root ? sweep::next_session(o.dir / "shards") : 0));
    try {
        if (!root) plan = sweep::load_plan(*o.sweep_file, o.sets);
        const sweep::Worker worker{world.rank(), world.size()};
        sweep::WorkerSettings settings = worker_settings(o);
        settings.session = session;
        const auto started = Clock::now();
        std::int64_t total = 0;
        for (std::int64_t w = 0; root && w < world.size(); ++w) total += remaining_runs(*plan, o.dir, {w, world.size()});
        world.barrier();  // every rank has read the journals before any writes
        sweep::WorkerResult result;
        {
            std::optional<Progress> progress;
            if (root) progress.emplace("sweep " + plan->spec.name + " (" + std::to_string(world.size()) + " ranks)", total, o.quiet);
            auto advance = [&](std::int64_t runs) {
                for (std::int64_t i = 0; i < runs; ++i) progress->advance();
            };
            settings.on_run_done = [&] {
                if (root) {
                    progress->advance();
                    world.collect(advance);
                } else {
                    world.report_runs(1);
                }
            };
            result = sweep::run_worker(*plan, o.dir, worker, settings);
            if (root) {
                world.wait_for_ranks(advance);
            } else {
                world.report_done();
            }
        }
        if (root) {
            report_runs(("sweep over " + std::to_string(world.size()) + " ranks").c_str(), {total, 0, {}},
                        seconds_since(started), 0, o.quiet);
            report_stitch(*plan, sweep::stitch(*plan, o.dir, o.force), o.quiet);
        }
    } catch (const core::Error& e) {
        std::cerr << "iraqsim: error (rank " << world.rank() << "): " << e.what() << "\n";
        world.abort(static_cast<int>(e.exit_code()));
    } catch (const std::exception& e) {
        std::cerr << "iraqsim: internal error (rank " << world.rank() << "): " << e.what() << "\n";
        world.abort(static_cast<int>(core::ExitCode::internal));
    }
    return 0;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim sweep SWEEP.toml -o DIR [options]: run a sweep (scenarios/sweeps/, docs/sweeps.md) and stitch\n"
        "DIR/sweep.h5. Run i (point i / replicates, replicate i % replicates) goes to worker i mod W:\n"
        "  locally         one process, its runs over --threads cores\n"
        "  mpirun -np N    N ranks; rank 0 shows progress and stitches (docs/cluster.md)\n"
        "  job arrays      --array-index I --array-count N (or SLURM_ARRAY_TASK_ID/COUNT); no stitch:\n"
        "                  run `iraqsim sweep --stitch DIR` once every task is done\n"
        "The data are the same whatever the split. A killed sweep continues with --resume.\n"
        "Designs: grid, latin_hypercube, sobol, morris (elementary effects), saltelli (Sobol indices)");
    options.add_options()
        ("output,o", po::value<std::string>(), "the sweep's directory (created if absent; its parent must exist)")
        ("set", po::value<std::vector<std::string>>()->composing(),
         "path=value: override a value of the base scenario, e.g. --set scenario.end=2004-12-31 (repeatable)")
        ("threads", po::value<int>()->default_value(0), "worker threads per process (0: all cores)")
        ("resume", "skip the runs already complete in DIR (after a crash or a killed job)")
        ("array-index", po::value<std::int64_t>(), "this job-array task's index, from 0")
        ("array-count", po::value<std::int64_t>(), "the number of job-array tasks")
        ("stitch", po::value<std::string>(), "DIR: only verify the shards and write DIR/sweep.h5 (after job arrays)")
        ("plan", "check the sweep file and print its points (seed and values of each) without running")
        ("force", "replace an existing DIR/sweep.h5")
        ("quiet,q", "print nothing but errors")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    Options o;
    o.quiet = vm.count("quiet") > 0;
    o.force = vm.count("force") > 0;
    o.resume = vm.count("resume") > 0;
    o.threads = vm["threads"].as<int>();
    o.sets = strings(vm, "set");
    if (o.threads < 0 || o.threads > 4096) throw core::UsageError("--threads must be between 0 and 4096");

    if (vm.count("stitch")) {
        if (!parsed.positional.empty() || vm.count("output") || !o.sets.empty() || o.resume || vm.count("array-index")) {
            throw core::UsageError("--stitch DIR takes no sweep file, -o, --set, --resume or --array-*: the directory holds the sweep");
        }
        const fs::path dir = vm["stitch"].as<std::string>();
        const sweep::Plan plan = sweep::load_directory_plan(dir);
        report_stitch(plan, sweep::stitch(plan, dir, o.force), o.quiet);
        return 0;
    }
    if (parsed.positional.size() != 1) throw core::UsageError("sweep: give one SWEEP.toml (or --stitch DIR); see --help");
    if (vm.count("plan")) {
        print_plan(sweep::load_plan(parsed.positional.front(), o.sets));
        return 0;
    }
    if (!vm.count("output")) throw core::UsageError("sweep: give the output directory with -o DIR");
    o.sweep_file = parsed.positional.front();
    o.dir = vm["output"].as<std::string>();
    o.array = array_task(vm, o.quiet);

    if (sweep::MpiWorld::launched("sweep")) {
        if (o.array) throw core::UsageError("use either MPI ranks or job-array tasks, not both");
        return run_mpi(o);
    }
    return run_local(o);
}

}  // namespace iraqsim::cli
