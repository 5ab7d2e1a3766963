#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/ensemble_file.hpp"

namespace iraqsim::cli {

int info_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options("iraqsim info FILE: describe a file iraqsim wrote");
    options.add_options()("help,h", "show this help");
    const ParsedArgs parsed = parse_args(args, options);
    if (parsed.help) return 0;
    if (parsed.positional.empty()) throw core::UsageError("info: no FILE given (usage: iraqsim info FILE...)");
    for (const std::string& file : parsed.positional) {
        std::cout << output::describe_file(file);
    }
    return 0;
}

}  // namespace iraqsim::cli
