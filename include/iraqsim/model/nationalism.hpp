// Iraqi nationalism and its focus: the share of each community hostile to foreign presence, and
// how that hostility divides among the foreign powers it sees (docs/model.md, "Nationalism").
// The article's second paradox: a nationalism hostile to both occupiers, whose focus moves to Iran
// when the US presence that held it recedes ("removing the US occupation as the focus of
// nationalism will almost certainly lead to a renewal of that nationalism's focus on Iran").
#pragma once

#include <vector>

#include "iraqsim/model/levers.hpp"
#include "iraqsim/model/relations.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct NationalismParams {
    // Share of each community hostile to foreign presence, [community]: the PIPA poll of January
    // 2006 (approval of attacks on US-led forces: Shia 41%, Sunni 88%, Kurds 16%; "other" as Shia).
    // Keys model.nationalism.level_<community>, range [0, 1].
    std::vector<double> level{0.41, 0.88, 0.16, 0.41};
    // Standing hostility toward Iran that needs no presence to be seen (the 1980-88 war; Freeman:
    // "the default position tends to be one of hostility toward Iran"), in units of a typical
    // foreign presence. Default 0.5, range [0, 10]; key model.nationalism.iran_prior.
    double iran_prior = 0.5;
    // US troops per 1,000 residents that count as a typical presence: 140,000 troops among about
    // 28 million Iraqis in 2004-2006. Default 5, range (0, 100]; key model.nationalism.us_reference_per_1000.
    double us_reference_per_1000 = 5.0;
    // Material backing by a foreign power's clients, in US dollars per 1,000 residents per week,
    // that counts as a typical presence: Iran's budget ($1.5 million a week) spread over about 29
    // million Iraqis. Default 50, range (0, 1e6]; key model.nationalism.backing_reference_usd_per_1000.
    double backing_reference_usd_per_1000 = 50.0;
    // Weekly rate at which the focus moves toward what is seen now. Default 0.05 (half-life about
    // 14 weeks), range [0, 1]; key model.nationalism.focus_rate. Assumption, to be calibrated.
    double focus_rate = 0.05;
};

// Writes next.nationalism and next.nationalism_focus from prev's focus and next's troops, backing
// and residents (this week's presence).
// Partitions in force (levers, when given) raise the level and their backers' salience.
void update_nationalism(const world::Roster& roster, const world::State& prev, world::State& next,
                        const NationalismParams& params, const Levers* levers = nullptr);
void update_nationalism(const Relations& relations, const world::State& prev, world::State& next,
                        const NationalismParams& params, const Levers* levers = nullptr);

}  // namespace iraqsim::model
