// What the weekly processes look up in the roster, tabled once per model (compile_model) so that
// no week searches names or scans target lists: the government, the hostile pairs, who draws on
// which community. Derived from the roster alone; immutable like it.
#pragma once

#include <Eigen/Core>

#include <vector>

#include "iraqsim/world/roster.hpp"

namespace iraqsim::model {

struct Relations {
    explicit Relations(const world::Roster& roster);

    const world::Roster* roster;
    Eigen::Index government = -1;  // faction index of "government", -1 if the roster has none
    Eigen::Index us = -1;          // sponsor index of "us", -1 if none
    Eigen::Index iran = -1;        // sponsor index of "iran", -1 if none
    Eigen::Index aqi = -1;         // faction index of "aqi", -1 if none
    Eigen::Index sunni_arab = -1;  // community index of "sunni_arab", -1 if none
    // Whether f and g fight each other: f != g and either aims violence (weight > 0) at the other. [faction, faction]
    Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> hostile;
    // Whether faction a lists faction b among its violence targets, at any weight. [faction a, faction b]
    Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> targets;
    // The factions with a community among their targets, in faction order: no other kills one-sidedly.
    std::vector<Eigen::Index> one_sided_killers;
    // Whether each faction draws on each community (its community_base). [community, faction]
    Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> base;
    // Whether each faction fights the US or the government (loyalty_forces.hpp). [faction]
    std::vector<char> fights_security_forces;
    // The resisters: factions that aim violence at US forces (weight > 0), but for splinters, whose
    // supporters come from their parent's (the Special Groups from JAM), not from the community at
    // large (loyalty_forces.hpp, resistance). [faction]
    std::vector<char> resists_us;
};

}  // namespace iraqsim::model
