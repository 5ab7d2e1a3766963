#include "iraqsim/policy/catalogue.hpp"

namespace iraqsim::policy {

const std::vector<PolicyDef>& policy_catalogue() {
    static const std::vector<PolicyDef> catalogue{};
    return catalogue;
}

}  // namespace iraqsim::policy
