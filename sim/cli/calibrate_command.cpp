// iraqsim calibrate: fits a calibration file's free parameters to the observed series by ABC-SMC,
// writing DIR/posterior.csv, DIR/populations.csv, DIR/fit.csv and DIR/calibrated.toml (a scenario
// overlay with provenance); DIR/populations/ holds each complete population for --resume
// (docs/validation.md).
#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "commands.hpp"
#include "iraqsim/calibrate/calibration.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/sweep/mpi_world.hpp"
#include "parse_args.hpp"

namespace iraqsim::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Where the overlay finds the base scenario: relative to DIR when it can be.
std::string base_include(const calibrate::CalibrationSpec& spec, const fs::path& dir) {
    if (!spec.base) return {};
    std::error_code ec;
    const fs::path relative = fs::relative(fs::absolute(*spec.base), fs::absolute(dir), ec);
    return ec || relative.empty() ? fs::absolute(*spec.base).string() : relative.generic_string();
}

void print_summary(const calibrate::Calibration& c, const calibrate::Population& last) {
    std::printf("posterior (population %d, tolerance %.4g, effective sample size %.1f of %lld):\n", last.index, last.tolerance,
                last.effective_sample_size(), static_cast<long long>(last.size()));
    std::printf("  %-48s %12s %12s %12s %12s   prior\n", "parameter", "mean", "5%", "median", "95%");
    for (const calibrate::ParameterSummary& s : calibrate::summarise(c, last)) {
        std::printf("  %-48s %12.5g %12.5g %12.5g %12.5g   [%g, %g]\n", s.key.c_str(), s.mean, s.q05, s.median, s.q95, s.lower, s.upper);
    }
}

void print_distances(const calibrate::Calibration& c, const calibrate::Moments& simulated, const char* where, int replicates) {
    std::printf("distance at %s (%d replicates): %.4g (", where, replicates, c.distance(simulated));
    const std::vector<double> d = c.target_distances(simulated);
    for (std::size_t t = 0; t < d.size(); ++t) {
        std::printf("%s%s %.4g", t ? ", " : "", std::string(calibrate::target_name(c.targets()[t].target.kind)).c_str(), d[t]);
    }
    std::printf(")\n");
}

// --evaluate: the base scenario's own point, over the replicates the fit at the posterior mean uses.
void evaluate(const calibrate::Calibration& c, const std::optional<fs::path>& dir, bool force, bool quiet) {
    const calibrate::CalibrationSpec& spec = c.spec();
    std::optional<fs::path> fit;
    if (dir) {
        std::error_code ec;
        fs::create_directories(*dir, ec);
        if (ec || !fs::is_directory(*dir)) throw core::IoError("cannot create " + dir->string() + ": " + (ec ? ec.message() : "not a directory"));
        fit = *dir / "fit.csv";
        output::check_output_path(*fit, force);  // fail before running
    }
    const int replicates = std::max(4, spec.replicates);
    const std::vector<double> point = c.base_point();
    const calibrate::Moments simulated = c.simulate(point, spec.seed, replicates);
    if (fit) output::write_text_atomically(*fit, calibrate::fit_csv(c, simulated), force);
    if (!quiet) {
        for (std::size_t i = 0; i < spec.parameters.size(); ++i) std::printf("  %-48s %.6g\n", spec.parameters[i].key.c_str(), point[i]);
        print_distances(c, simulated, "the base scenario's values", replicates);
        if (fit) std::printf("wrote %s\n", fit->string().c_str());
    }
}

// Checks DIR and makes it ready: created, or (--force) emptied of an earlier calibration's files.
void prepare_directory(const fs::path& dir, bool resume, bool force) {
    std::error_code ec;
    const fs::path parent = fs::absolute(dir).parent_path();
    if (!fs::is_directory(parent, ec)) throw core::IoError("cannot write " + dir.string() + ": " + parent.string() + " does not exist");
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec)) throw core::IoError("cannot write " + dir.string() + ": it exists and is not a directory");
        if (force) {
            fs::remove_all(dir / "populations", ec);
            for (const char* name : {"posterior.csv", "populations.csv", "fit.csv", "calibrated.toml"}) fs::remove(dir / name, ec);
        } else if (!resume) {
            throw core::IoError("the output directory " + dir.string() + " exists: give --resume to continue it or --force to start again");
        }
    }
    fs::create_directories(dir, ec);
    if (ec) throw core::IoError("cannot create " + dir.string() + ": " + ec.message());
}

// Runs the calibration into DIR. With `world`, every rank runs it and shares each batch's
// simulations; rank 0 alone prepares DIR, saves the populations, reports and writes the results.
int run_calibration(const calibrate::Calibration& c, const fs::path& file, const fs::path& dir,
                    const std::vector<std::string>& sets, int threads, bool resume, bool force, bool quiet_flag,
                    sweep::MpiWorld* world) {
    const calibrate::CalibrationSpec& spec = c.spec();
    const bool root = world == nullptr || world->rank() == 0;
    const bool quiet = quiet_flag || !root;
    int prepared = 0;
    if (root) {
        try {
            prepare_directory(dir, resume, force);
        } catch (const core::Error& e) {
            if (world == nullptr) throw;
            std::fprintf(stderr, "iraqsim: error: %s\n", e.what());
            prepared = static_cast<int>(e.exit_code());
        }
    }
    // The other ranks read DIR's saved populations only once rank 0 has prepared it.
    if (world != nullptr && (prepared = static_cast<int>(world->broadcast(prepared))) != 0) return prepared;

    std::vector<calibrate::Population> done = resume ? calibrate::read_population_states(dir, c) : std::vector<calibrate::Population>{};
    if (static_cast<int>(done.size()) > spec.populations + 1) done.resize(static_cast<std::size_t>(spec.populations + 1));
    if (!quiet) {
        std::fprintf(stderr, "calibrate %s: ABC-SMC, %zu parameter(s), %zu target(s), %d population(s) of %d particles after the prior draw%s\n",
                     spec.name.c_str(), spec.parameters.size(), spec.targets.size(), spec.populations, spec.particles,
                     done.empty() ? "" : (", resuming after population " + std::to_string(done.size() - 1)).c_str());
    }
    // Test-only: end the process after population k is saved, as a kill would (docs/validation.md).
    const char* stop_env = std::getenv("IRAQSIM_TEST_CALIBRATE_KILL_AFTER_POPULATION");
    const long stop_after = stop_env != nullptr ? std::strtol(stop_env, nullptr, 10) : -1;

    calibrate::AbcSettings settings;
    settings.seed = spec.seed;
    settings.populations = spec.populations;
    settings.particles = spec.particles;
    settings.quantile = spec.quantile;
    settings.min_acceptance = spec.min_acceptance;
    settings.threads = threads;
    if (world != nullptr) {
        settings.rank = world->rank();
        settings.ranks = world->size();
    }
    const auto started = Clock::now();
    auto population_started = Clock::now();
    auto last_line = Clock::now();
    calibrate::AbcCallbacks callbacks;
    callbacks.distance = [&](const std::vector<double>& theta, std::uint64_t seed) { return c.distance_at(theta, seed); };
    callbacks.on_batch = [&](int t, std::int64_t evaluated, std::int64_t accepted) {
        if (quiet || seconds_since(last_line) < 1.0) return;
        last_line = Clock::now();
        const double elapsed = seconds_since(population_started);
        const double rate = static_cast<double>(evaluated) / std::max(elapsed, 1e-9);
        const double per_accept = accepted > 0 ? elapsed / static_cast<double>(accepted) : 0.0;
        std::fprintf(stderr, "calibrate: population %d/%d: %lld/%d accepted of %lld evaluated, %.1f evaluations/s, ETA %.0f s\n",
                     t, spec.populations, static_cast<long long>(accepted), spec.particles, static_cast<long long>(evaluated), rate,
                     per_accept * static_cast<double>(spec.particles - accepted));
    };
    if (world != nullptr) callbacks.share_distances = [&](std::vector<double>& d) { world->sum(d); };
    callbacks.on_population = [&](const calibrate::Population& pop) {
        if (root) calibrate::write_population_state(dir, c, pop);
        if (!quiet) {
            const double elapsed = seconds_since(population_started);
            std::fprintf(stderr,
                         "calibrate: population %d/%d done: tolerance %.4g, acceptance %.3f (%lld attempts), ESS %.1f, median distance %.4g, %.1f s\n",
                         pop.index, spec.populations, pop.tolerance,
                         static_cast<double>(pop.size()) / static_cast<double>(pop.attempts), static_cast<long long>(pop.attempts),
                         pop.effective_sample_size(), calibrate::next_tolerance(pop.distances, 0.5), elapsed);
        }
        population_started = Clock::now();
        if (stop_after >= 0 && pop.index >= stop_after) std::raise(SIGKILL);
    };
    const calibrate::AbcResult result = calibrate::run_abc_smc(c.priors(), settings, std::move(done), callbacks);
    if (result.populations.empty()) throw core::ModelError("calibration: not one population completed");
    if (result.stopped_early && !quiet) {
        std::fprintf(stderr, "calibrate: population %zu accepted fewer than min_acceptance = %g of its attempts: stopped; "
                             "the result is population %d\n",
                     result.populations.size(), spec.min_acceptance, result.populations.back().index);
    }

    if (!root) return 0;
    // The fit at the posterior mean, over more replicates than an evaluation uses.
    std::vector<double> mean;
    for (const calibrate::ParameterSummary& s : calibrate::summarise(c, result.populations.back())) mean.push_back(s.mean);
    const calibrate::Moments fitted = c.simulate(mean, spec.seed, std::max(4, spec.replicates));
    std::string command = "iraqsim calibrate " + file.string();
    for (const std::string& s : sets) command += " --set " + s;
    output::write_text_atomically(dir / "posterior.csv", calibrate::posterior_csv(c, result.populations), true);
    output::write_text_atomically(dir / "populations.csv", calibrate::populations_csv(c, result.populations), true);
    output::write_text_atomically(dir / "fit.csv", calibrate::fit_csv(c, fitted), true);
    output::write_text_atomically(dir / "calibrated.toml", calibrate::calibrated_toml(c, result.populations, result.evaluations, base_include(spec, dir), command), true);
    if (!quiet) {
        print_summary(c, result.populations.back());
        print_distances(c, fitted, "the posterior mean", std::max(4, spec.replicates));
        const double seconds = seconds_since(started);
        std::printf("%lld simulation(s) in %.1f s (%.1f/s); wrote %s/calibrated.toml, posterior.csv, populations.csv, fit.csv\n",
                    static_cast<long long>(result.evaluations) * spec.replicates, seconds,
                    static_cast<double>(result.evaluations * spec.replicates) / std::max(seconds, 1e-9), dir.string().c_str());
    }
    return 0;
}

}  // namespace

int calibrate_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim calibrate CALIBRATION.toml -o DIR [options]: fit free parameters to the observed series\n"
        "(data/observed/, to December 2006) by ABC-SMC (scenarios/calibration/, docs/validation.md).\n"
        "Writes DIR/calibrated.toml (the posterior means as a scenario overlay, with provenance),\n"
        "DIR/posterior.csv (every population's particles, weights and distances), DIR/populations.csv\n"
        "(tolerance, acceptance and intervals by population) and DIR/fit.csv (data against the model at\n"
        "the posterior mean). Each complete population is saved in DIR/populations/; a killed run\n"
        "continues with --resume and ends as an uninterrupted one would. The result is the same at any\n"
        "--threads. Under mpirun (e.g. mpirun -np 4 iraqsim calibrate FILE -o DIR) the ranks share each\n"
        "population's simulations and rank 0 writes DIR: the same result as one process.\n"
        "With --evaluate, nothing is fitted: the distance at the base scenario's own values of the free\n"
        "parameters (after --set) is printed by target, and with -o DIR written as DIR/fit.csv; e.g. the\n"
        "distance of another parameter set under the same objective.");
    options.add_options()
        ("output,o", po::value<std::string>(), "the calibration's directory (its parent must exist)")
        ("set", po::value<std::vector<std::string>>()->composing(),
         "path=value: override a value of the base scenario (repeatable)")
        ("threads", po::value<int>()->default_value(0), "worker threads (0: all cores)")
        ("resume", "continue from the last complete population in DIR (or start when there is none)")
        ("force", "start again in an existing DIR (its populations are removed)")
        ("check", "validate the calibration file and print its targets without running")
        ("evaluate", "print the distance at the base scenario's values (with --set) by target, and fit.csv to -o DIR if given; no fitting")
        ("quiet,q", "print nothing but errors")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    const bool quiet = vm.count("quiet") > 0, resume = vm.count("resume") > 0, force = vm.count("force") > 0;
    const int threads = vm["threads"].as<int>();
    if (threads < 0 || threads > 4096) throw core::UsageError("--threads must be between 0 and 4096");
    if (parsed.positional.size() != 1) throw core::UsageError("calibrate: give one CALIBRATION.toml; see --help");
    if (resume && force) throw core::UsageError("calibrate: --resume and --force exclude each other");
    const fs::path file = parsed.positional.front();
    const calibrate::Calibration c = calibrate::load_calibration(file, strings(vm, "set"));
    const calibrate::CalibrationSpec& spec = c.spec();

    if (vm.count("check")) {
        std::printf("calibration %s: %zu parameter(s), %zu target(s), %s to %s, seed %llu%s\n", spec.name.c_str(),
                    spec.parameters.size(), spec.targets.size(), spec.fit_start.iso().c_str(), spec.fit_end.iso().c_str(),
                    static_cast<unsigned long long>(spec.seed), spec.synthetic() ? " (synthetic recovery)" : "");
        for (const calibrate::TargetData& t : c.targets()) {
            std::printf("  %s: %zu moments (%s .. %s), data %s\n", std::string(calibrate::target_name(t.target.kind)).c_str(),
                        t.observed.size(), t.labels.front().c_str(), t.labels.back().c_str(), t.data.c_str());
        }
        return 0;
    }
    if (vm.count("evaluate")) {
        if (resume) throw core::UsageError("calibrate: --evaluate fits nothing, so there is nothing to --resume");
        evaluate(c, vm.count("output") ? std::optional<fs::path>(vm["output"].as<std::string>()) : std::nullopt, force, quiet);
        return 0;
    }
    if (!vm.count("output")) throw core::UsageError("calibrate: give the output directory with -o DIR");
    const fs::path dir = vm["output"].as<std::string>();
    if (!sweep::MpiWorld::launched("calibration"))
        return run_calibration(c, file, dir, strings(vm, "set"), threads, resume, force, quiet, nullptr);
    sweep::MpiWorld world;
    try {
        return run_calibration(c, file, dir, strings(vm, "set"), threads, resume, force, quiet, &world);
    } catch (const core::Error& e) {
        std::fprintf(stderr, "iraqsim: error (rank %d): %s\n", world.rank(), e.what());
        world.abort(static_cast<int>(e.exit_code()));  // the other ranks must not wait for this one
    }
}

}  // namespace iraqsim::cli
