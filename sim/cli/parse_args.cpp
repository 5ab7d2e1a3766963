#include "parse_args.hpp"

#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "iraqsim/core/error.hpp"

namespace iraqsim::cli {

namespace po = boost::program_options;

ParsedArgs parse_args(const std::vector<std::string>& args, const po::options_description& visible) {
    po::options_description hidden;
    hidden.add_options()("positional", po::value<std::vector<std::string>>(), "positional arguments");
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("positional", -1);
    ParsedArgs parsed;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), parsed.options);
    po::notify(parsed.options);
    parsed.positional = strings(parsed.options, "positional");
    if (parsed.options.count("help")) {
        std::cout << visible << "\n" << exit_code_help;
        parsed.help = true;
    }
    return parsed;
}

std::vector<std::string> strings(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::vector<std::string> split_names(const std::vector<std::string>& values, const std::string& option) {
    std::vector<std::string> names;
    for (const std::string& value : values) {
        if (value.empty()) throw core::UsageError(option + ": empty name");
        std::stringstream in(value);
        std::string name;
        while (std::getline(in, name, ',')) {
            if (name.empty()) throw core::UsageError(option + ": empty name in '" + value + "'");
            names.push_back(name);
        }
    }
    return names;
}

}  // namespace iraqsim::cli
