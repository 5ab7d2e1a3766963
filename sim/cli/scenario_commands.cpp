// `iraqsim check` and `iraqsim config`: the scenario language's commands that compute nothing.
#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "parse_args.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "iraqsim/scenario/registry.hpp"

namespace iraqsim::cli {
namespace {

namespace po = boost::program_options;

struct Parsed {
    po::variables_map vm;
    std::vector<std::string> files;
    std::vector<std::string> sets;
    bool help = false;
};

Parsed parse(const std::vector<std::string>& args, po::options_description& options) {
    options.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                          "path=value: override a scenario value (repeatable)")("help,h", "show this help");
    ParsedArgs parsed = parse_args(args, options);
    return {parsed.options, parsed.positional, strings(parsed.options, "set"), parsed.help};
}

}  // namespace

int check_command(const std::vector<std::string>& args) {
    po::options_description options(
        "iraqsim check SCENARIO... [--set path=value]...: validate scenario files without running them.\n"
        "Prints every problem with file:line:column and key; exits 0 when all are valid, 3 otherwise");
    options.add_options()("quiet,q", "print only errors");
    const Parsed p = parse(args, options);
    if (p.help) return 0;
    if (p.files.empty()) throw core::UsageError("check: no SCENARIO given (usage: iraqsim check SCENARIO...)");
    int invalid = 0;
    for (const std::string& file : p.files) {
        try {
            const scenario::Scenario s = scenario::load_scenario(std::filesystem::path(file), p.sets);
            if (!p.vm.count("quiet")) {
                std::size_t enabled = 0;
                for (const auto& e : s.events) enabled += e.enabled ? 1 : 0;
                std::cout << file << ": ok (" << s.name << ", " << s.start.iso() << " to " << s.end.iso() << ", "
                          << s.week_count() << " weeks, " << enabled << " events, " << s.replicates << " replicate(s))\n";
            }
        } catch (const core::ScenarioError& e) {
            ++invalid;
            std::cerr << e.what() << "\n";
        }
    }
    return invalid == 0 ? 0 : static_cast<int>(core::ExitCode::scenario);
}

int config_command(const std::vector<std::string>& args) {
    po::options_description options(
        "iraqsim config [SCENARIO] [--set path=value]...: print the resolved scenario as TOML that\n"
        "`iraqsim run` accepts and that reproduces the same run (the embedded baseline without SCENARIO)");
    options.add_options()("docs", "print the scenario keys' documentation (docs/scenario.md) instead");
    const Parsed p = parse(args, options);
    if (p.help) return 0;
    if (p.vm.count("docs")) {
        std::cout << scenario::registry_markdown();
        return 0;
    }
    if (p.files.size() > 1) throw core::UsageError("config: give at most one SCENARIO");
    const scenario::Scenario s = scenario::load_scenario(
        p.files.empty() ? std::nullopt : std::optional<std::filesystem::path>(p.files.front()), p.sets);
    std::cout << s.text;
    return 0;
}

}  // namespace iraqsim::cli
