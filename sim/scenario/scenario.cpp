#include "iraqsim/scenario/scenario.hpp"

namespace iraqsim::scenario {

Scenario default_scenario() {
    Scenario s;
    s.source = "embedded default";
    s.text =
        "[scenario]\n"
        "name = \"baseline\"\n"
        "start = 2003-05-01\n"
        "end = 2011-12-31\n"
        "seed = 1\n"
        "replicates = 1\n";
    return s;
}

}  // namespace iraqsim::scenario
