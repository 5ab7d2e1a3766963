// The catalogue of recordable variables: name, meaning, units, dimensions and how to read each
// from the state. The HDF5 variable, the [output] key and the state field share one name.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::output {

enum class Dim { province, community, other_community, faction, sponsor, channel };

std::string_view dim_name(Dim d);
std::size_t dim_size(Dim d, const world::Roster& roster);

struct VariableDef {
    std::string_view name;
    std::string_view long_name;
    std::string_view units;
    std::vector<Dim> dims;  // after [replicate, time]
    // Writes the variable's values for one time point, row-major over dims.
    void (*extract)(const world::Roster& roster, const world::State& state, float* out);

    [[nodiscard]] std::size_t size(const world::Roster& roster) const;
};

std::span<const VariableDef> variable_catalogue();
const VariableDef* find_variable(std::string_view name);

}  // namespace iraqsim::output
