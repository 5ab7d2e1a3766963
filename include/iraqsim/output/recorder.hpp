// The recorder says what is kept of a replicate and when; the writer says how it is stored.
#pragma once

#include <string>
#include <vector>

#include "iraqsim/model/violence.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::output {

struct RecordSpec {
    std::vector<const VariableDef*> variables;
    int every_weeks = 1;
    bool incidents = false;  // keep the incident log
    int compression = 1;     // zlib level of the time series in the file (0: none; the data are the same)

    [[nodiscard]] bool records(int week) const { return week % every_weeks == 0; }
    [[nodiscard]] int record_count(int week_count) const { return (week_count + every_weeks - 1) / every_weeks; }
};

// One replicate's recorded time series: per variable, record-major then row-major over dims.
// One firing of a policy, as the policy log records it.
struct PolicyFiring {
    int week;
    std::string id;
    std::string policy;
    std::string target;
};

struct ReplicateSeries {
    std::vector<std::vector<float>> values;  // [variable][record * size + i]
    std::vector<PolicyFiring> policy_log;    // in order of firing
    std::vector<model::Incident> incidents;  // in order of week and province; empty unless logged
};

class Recorder {
public:
    Recorder(const RecordSpec& spec, const world::Roster& roster, int week_count);

    void record(int week, const world::State& state);
    void log_firing(PolicyFiring firing) { series_.policy_log.push_back(std::move(firing)); }
    // Where the violence process writes incidents; nullptr when the log is off.
    std::vector<model::Incident>* incident_sink() { return spec_.incidents ? &series_.incidents : nullptr; }
    [[nodiscard]] const ReplicateSeries& series() const { return series_; }
    ReplicateSeries take() { return std::move(series_); }

private:
    const RecordSpec& spec_;
    const world::Roster& roster_;
    std::vector<std::size_t> sizes_;
    ReplicateSeries series_;
};

}  // namespace iraqsim::output
