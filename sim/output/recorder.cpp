#include "iraqsim/output/recorder.hpp"

namespace iraqsim::output {

Recorder::Recorder(const RecordSpec& spec, const world::Roster& roster, int week_count)
    : spec_(spec), roster_(roster) {
    const auto records = static_cast<std::size_t>(spec.record_count(week_count));
    for (const VariableDef* v : spec.variables) {
        sizes_.push_back(v->size(roster));
        series_.values.emplace_back();
        series_.values.back().reserve(records * sizes_.back());
    }
}

void Recorder::record(int week, const world::State& state) {
    if (!spec_.records(week)) return;
    for (std::size_t i = 0; i < spec_.variables.size(); ++i) {
        std::vector<float>& out = series_.values[i];
        const std::size_t offset = out.size();
        out.resize(offset + sizes_[i]);
        spec_.variables[i]->extract(roster_, state, out.data() + offset);
    }
}

}  // namespace iraqsim::output
