#include <boost/program_options/errors.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "iraqsim/core/build_info.hpp"
#include "iraqsim/core/error.hpp"

namespace iraqsim::cli {

const char* const exit_code_help =
    "Exit codes:\n"
    "  0   success\n"
    "  2   bad command line (unknown option, missing argument)\n"
    "  3   invalid scenario (file, line, column and key are named)\n"
    "  4   a file cannot be read or written, or the output exists and --force was not given\n"
    "  5   the model reached an invalid state (the message names variable, week and place)\n"
    "  70  internal error\n";

namespace {

void print_usage(std::ostream& out) {
    out << "iraqsim " << core::build_info().version
        << ": an agent-based simulation of factional influence in Iraq, 2003-2011\n\n"
           "Usage: iraqsim <command> [options]\n\n"
           "Commands:\n"
           "  run [SCENARIO]   run a scenario (the embedded historical baseline when none is given)\n"
           "                   and write its time series to HDF5; --set path=value overrides a value\n"
           "  resume CHECKPOINT  continue a run saved by `run --checkpoint-every N`; same output\n"
           "  check SCENARIO.. validate scenario files (errors name file:line:column and key)\n"
           "  config [SCENARIO] print the resolved scenario as TOML (`--docs`: every scenario key)\n"
           "  info FILE        describe a file iraqsim wrote: scenario, seed, version, variables\n"
           "  export FILE --csv  write a file's time series as a tidy long CSV (stdout, or -o OUT.csv)\n"
           "  compare A B      a what-if against its baseline: paired differences with 95% intervals\n"
           "                   (A, B: output files, or scenarios run here with common random numbers)\n"
           "  sweep SWEEP.toml -o DIR  run a parameter sweep (threads, MPI ranks or job arrays) into\n"
           "                   DIR/sweep.h5; --resume continues a killed one, --stitch DIR joins job arrays\n"
           "  analyze DIR      a stitched sweep's Morris effects or Sobol indices for chosen metrics\n"
           "  validate FILE.toml  run one of Epstein's civil violence models over many seeds (validation)\n"
           "  calibrate FILE.toml -o DIR  fit free parameters to the observed series by ABC-SMC into\n"
           "                   DIR/calibrated.toml and DIR/posterior.csv; --resume continues a killed one\n\n"
           "Options:\n"
           "  -h, --help       this help; `iraqsim <command> --help` for a command's options\n"
           "  --version        print the version, git revision and library versions\n\n"
        << exit_code_help << "\nDocumentation: README.md and docs/ in the source tree.\n";
}

int dispatch(const std::vector<std::string>& argv) {
    if (argv.empty() || argv[0] == "-h" || argv[0] == "--help" || argv[0] == "help") {
        print_usage(std::cout);
        return argv.empty() ? static_cast<int>(core::ExitCode::usage) : 0;
    }
    if (argv[0] == "--version") {
        const core::BuildInfo& b = core::build_info();
        std::cout << "iraqsim " << b.version << " (git " << b.git_revision << ", " << b.compiler << ", "
                  << b.build_type << ")\n"
                  << core::library_versions() << "\n";
        return 0;
    }
    const std::vector<std::string> rest(argv.begin() + 1, argv.end());
    if (argv[0] == "run") return run_command(rest);
    if (argv[0] == "resume") return resume_command(rest);
    if (argv[0] == "info") return info_command(rest);
    if (argv[0] == "check") return check_command(rest);
    if (argv[0] == "config") return config_command(rest);
    if (argv[0] == "export") return export_command(rest);
    if (argv[0] == "compare") return compare_command(rest);
    if (argv[0] == "sweep") return sweep_command(rest);
    if (argv[0] == "analyze") return analyze_command(rest);
    if (argv[0] == "validate") return validate_command(rest);
    if (argv[0] == "calibrate") return calibrate_command(rest);
    throw core::UsageError("unknown command '" + argv[0] + "' (commands: run, resume, check, config, info, export, compare, sweep, analyze, validate, calibrate; see iraqsim --help)");
}

}  // namespace
}  // namespace iraqsim::cli

int main(int argc, char** argv) {
    using iraqsim::core::ExitCode;
    try {
        return iraqsim::cli::dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const iraqsim::core::Error& e) {
        std::cerr << "iraqsim: error: " << e.what() << "\n";
        return static_cast<int>(e.exit_code());
    } catch (const boost::program_options::error& e) {
        std::cerr << "iraqsim: error: " << e.what() << " (see --help)\n";
        return static_cast<int>(ExitCode::usage);
    } catch (const std::exception& e) {
        std::cerr << "iraqsim: internal error: " << e.what() << "\n";
        return static_cast<int>(ExitCode::internal);
    }
}
