#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/ensemble_file.hpp"

namespace iraqsim::cli {

int info_command(const std::vector<std::string>& args) {
    namespace po = boost::program_options;
    po::options_description options("iraqsim info FILE: describe a file iraqsim wrote");
    options.add_options()("help,h", "show this help");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::vector<std::string>>(), "HDF5 file");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("file", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << options << "\n" << exit_code_help;
        return 0;
    }
    if (!vm.count("file")) throw core::UsageError("info: no FILE given (usage: iraqsim info FILE...)");
    for (const std::string& file : vm["file"].as<std::vector<std::string>>()) {
        std::cout << output::describe_file(file);
    }
    return 0;
}

}  // namespace iraqsim::cli
