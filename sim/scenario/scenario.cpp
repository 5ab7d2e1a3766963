#include "iraqsim/scenario/scenario.hpp"

#include "iraqsim/scenario/loader.hpp"

namespace iraqsim::scenario {

std::string_view embedded_baseline_toml();  // generated from scenarios/history/baseline.toml

Scenario bare_scenario() { return Scenario{}; }

const Scenario& default_scenario_cached() {
    static const Scenario baseline = [] {
        Scenario s = bare_scenario();
        Diagnostics diagnostics;
        apply_text(s, std::string(embedded_baseline_toml()), embedded_baseline_name, diagnostics);
        diagnostics.throw_if_any();  // a broken embedded baseline is a build defect; tests catch it
        s.source = "embedded default";
        return s;
    }();
    return baseline;
}

Scenario default_scenario() { return default_scenario_cached(); }

}  // namespace iraqsim::scenario
