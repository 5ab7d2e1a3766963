#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/csv_export.hpp"

namespace iraqsim::cli {

int export_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options(
        "iraqsim export FILE --csv [--var NAME]... [-o OUT.csv] [--force]: write an output file as a tidy\n"
        "long CSV, one row per replicate, date, entity and variable, with the header\n"
        "  " + std::string(output::csv_header) + "\n"
        "(entity columns are ids, empty where a variable lacks that dimension; date is YYYY-MM-DD;\n"
        "value is empty for NaN). See docs/output.md, \"CSV export\"");
    options.add_options()
        ("csv", "write CSV (the only format so far; required, so that others can be added)")
        ("var", po::value<std::vector<std::string>>()->composing(),
         "export only this variable (repeatable, or comma-separated; default: every time series in the "
         "file, e.g. support, loyalty, us_troops)")
        ("output,o", po::value<std::string>(), "write to this file, atomically (default: standard output)")
        ("force", "overwrite the output file if it exists")
        ("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    const po::variables_map& vm = parsed.options;
    const std::vector<std::string>& files = parsed.positional;
    if (files.empty()) throw core::UsageError("export: no FILE given (usage: iraqsim export FILE --csv [-o OUT.csv])");
    if (files.size() > 1) throw core::UsageError("export: give exactly one FILE (got " + std::to_string(files.size()) + ")");
    if (!vm.count("csv")) throw core::UsageError("export: choose a format: --csv (the only one so far)");
    const std::vector<std::string> variables =
        split_names(strings(vm, "var"), "--var");
    const std::string& input = files.front();

    if (!vm.count("output")) {
        output::export_csv(input, variables, std::cout);
        return 0;
    }
    const std::string target = vm["output"].as<std::string>();
    // Validate the input and the variable names before anything is created.
    (void)output::exportable_variables(input);
    output::write_stream_atomically(target, vm.count("force") > 0,
                                    [&](std::ostream& stream) { output::export_csv(input, variables, stream); });
    return 0;
}

}  // namespace iraqsim::cli
