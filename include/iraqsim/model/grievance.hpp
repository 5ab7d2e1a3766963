// Grievance and revenge: the cycle of sectarian killing (docs/model.md, "Grievance and revenge").
// A community whose civilians are killed by the factions of other communities remembers its dead;
// its own armed factions then kill more of the others (Kalyvas 2006, ch. 8 on revenge; the
// tit-for-tat of Baghdad's death squads and car bombs in 2006, ICG Middle East Report 52, 2006).
// The feedback is bounded: revenge saturates at (1 + revenge_max) times the killing at rest.
#pragma once

#include "iraqsim/model/violence.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

// next.grievance from prev.grievance and this week's killing of each community's civilians by the
// factions not based in it and by the US (next.civilians_killed_by, next.civilians_killed_by_us),
// per 100,000 of last week's members, smoothed over grievance_weeks.
void update_grievance(const world::Roster& roster, const world::State& prev, world::State& next,
                      const ViolenceParams& params);
void update_grievance(const Relations& relations, const world::State& prev, world::State& next, const ViolenceParams& params);

// The factor on one-sided killing by a faction based in community `home` of province p:
// 1 + revenge_max * g / (g + revenge_half_per_100k), g = grievance[p, home].
double revenge_factor(const world::State& state, Eigen::Index p, Eigen::Index home, const ViolenceParams& params);

}  // namespace iraqsim::model
