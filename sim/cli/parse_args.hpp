// The parsing every subcommand shares: its visible options plus positional arguments, and the
// --help text with the exit codes.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace iraqsim::cli {

struct ParsedArgs {
    boost::program_options::variables_map options;
    std::vector<std::string> positional;
    bool help = false;  // --help was given and printed: the command should return 0
};

// Parses `args` against `visible` (which must declare "help,h") plus any number of positional
// arguments; prints the help with the exit codes when asked.
ParsedArgs parse_args(const std::vector<std::string>& args, const boost::program_options::options_description& visible);

// `--var a --var b` and `--var a,b` both give {a, b}; an empty name is a UsageError naming `option`.
std::vector<std::string> split_names(const std::vector<std::string>& values, const std::string& option);

// The value of a repeatable string option, empty when absent.
std::vector<std::string> strings(const boost::program_options::variables_map& vm, const char* name);

}  // namespace iraqsim::cli
