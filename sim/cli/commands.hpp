// The CLI's subcommands. Each parses its own options and returns the process exit code;
// errors propagate as core::Error and main() maps them to exit codes.
#pragma once

#include <string>
#include <vector>

namespace iraqsim::cli {

int run_command(const std::vector<std::string>& args);
int resume_command(const std::vector<std::string>& args);
int info_command(const std::vector<std::string>& args);
int check_command(const std::vector<std::string>& args);
int config_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);
int analyze_command(const std::vector<std::string>& args);

// Shown by `iraqsim --help` and by each subcommand's --help.
extern const char* const exit_code_help;

}  // namespace iraqsim::cli
