// Observation (docs/model.md, "Observation"): what the data sets would have recorded of the true
// violence, so that calibration compares like with like.
//  - SIGACT-like attack reports are filed by coalition units: coverage rises with US presence in
//    the province; attacks on Iraqi forces and sectarian incidents are under-reported.
//  - IBC-like civilian death counts come from press reports and morgues: a floor, a fixed share of
//    the true deaths.
//  - War Logs-like casualty counts record the enemies the US and Iraqi forces kill, and every
//    detention, of fighters and of the suspects taken with them.
// Reports are expected values (no extra sampling noise): the violence they observe is already drawn.
#pragma once

#include "iraqsim/core/date.hpp"
#include "iraqsim/model/relations.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

struct ObservationParams {
    // SIGACT coverage where no US troops are present; it rises to 1 with presence. Default 0.3.
    double sigact_base_coverage = 0.3;
    // US troops in a province at which SIGACT coverage is half-way to full. Default 2000.
    double sigact_half_troops = 2000;
    // Share of attacks on Iraqi forces that reach the SIGACT record, relative to attacks on US
    // forces. Default 0.6.
    double sigact_isf_share = 0.6;
    // SIGACT records per civilian killed (any perpetrator: murders and bombings reach the record as
    // incidents, not as deaths). Default 0.15.
    double sigact_per_sectarian_death = 0.15;
    // First date whose week's SIGACT-like records hold incidents against civilians; before it they
    // hold attacks on the forces only. Default 2006-04-01: in ESOC's SIGACT data the records
    // against civilians (SIGACT less SIG_1) are under 0.3% of the total until March 2006 and 10%
    // from April 2006, 26% by December.
    core::Date sigact_civilian_records_from{2006, 4, 1};
    // Share of civilian deaths IBC-like counts record. Default 0.6 (IBC is a floor; Iraq Family
    // Health Survey 2008 and IBC's own comparisons put its coverage near one half to two thirds).
    double ibc_coverage = 0.6;
    // Share of the incidents whose deaths IBC-like counts record that they list as incidents of their
    // own: IBC enters bodies found and morgue tallies as one entry for many killings. Default 0.3
    // (assumption, to be calibrated against IBC's incident counts).
    double ibc_incident_share = 0.3;
    // Share of the one-sided killing by Sunni Arab armed groups that the ESOC-coded IBC data would
    // put under "sectarian" (executions, bodies found) rather than "insurgent" (bombings). Default
    // 0.3 (assumption, to be calibrated against the categories).
    double ibc_sectarian_share_sunni = 0.3;
    // Share of the detentions War Logs-like records count ("enemy detained") that are of fighters;
    // the rest are suspects the model does not follow. Default 0.3 (ICRC, February 2004:
    // coalition intelligence officers put those arrested by mistake at 70-90%).
    double detained_fighter_share = 0.3;
};

// Writes next's reported_* from next's violence. IBC categories: victims of the US and the Iraqi
// forces are "coalition"; one-sided killing by the other factions is "sectarian" (for factions of
// the Sunni Arab community, the share ibc_sectarian_share_sunni of it; the rest "insurgent"); every
// other death (bystanders of attacks and battles) is "insurgent". War Logs-like: enemies killed by
// the forces in full; detentions are the fighters detained / detained_fighter_share.
// `week` is the date of next's record, for the records' changes over time.
void update_observation(const world::Roster& roster, world::State& next, const ObservationParams& params,
                        const core::Date& week);
void update_observation(const Relations& relations, world::State& next, const ObservationParams& params,
                        const core::Date& week);

}  // namespace iraqsim::model
