// The embedded Iraq world as the model tests use it: the roster, the state at the default
// scenario's start, and the position of a named province, community, faction or sponsor in its
// arrays. An unknown id throws, naming it, rather than dereferencing an empty optional.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/scenario/scenario.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::test {

inline const world::Roster& iraq() { return world::iraq_roster(); }

// A roster position or count as an Eigen index; the embedded world's dimensions.
inline Eigen::Index ix(std::size_t i) { return static_cast<Eigen::Index>(i); }
inline Eigen::Index P() { return ix(iraq().province_count()); }
inline Eigen::Index C() { return ix(iraq().community_count()); }

// The state the default scenario starts from (compiled once).
inline const world::State& iraq_start() {
    static const world::State s = engine::compile_model(scenario::default_scenario(), iraq()).initial_state;
    return s;
}

template <typename Id>
std::size_t index_of(const std::optional<Id>& id, std::string_view kind, std::string_view name) {
    if (!id) throw std::invalid_argument("no " + std::string(kind) + " '" + std::string(name) + "' in the roster");
    return id->index();
}

// Positions as std::size_t, as the roster and std containers count.
inline std::size_t province_index(std::string_view id, const world::Roster& r = iraq()) {
    return index_of(r.find_province(id), "province", id);
}
inline std::size_t community_index(std::string_view id, const world::Roster& r = iraq()) {
    return index_of(r.find_community(id), "community", id);
}
inline std::size_t faction_index(std::string_view id, const world::Roster& r = iraq()) {
    return index_of(r.find_faction(id), "faction", id);
}
inline std::size_t sponsor_index(std::string_view id, const world::Roster& r = iraq()) {
    return index_of(r.find_sponsor(id), "sponsor", id);
}

// The same as Eigen row and column indices, for the state's arrays.
inline Eigen::Index province(std::string_view id, const world::Roster& r = iraq()) {
    return static_cast<Eigen::Index>(province_index(id, r));
}
inline Eigen::Index community(std::string_view id, const world::Roster& r = iraq()) {
    return static_cast<Eigen::Index>(community_index(id, r));
}
inline Eigen::Index faction(std::string_view id, const world::Roster& r = iraq()) {
    return static_cast<Eigen::Index>(faction_index(id, r));
}
inline Eigen::Index sponsor(std::string_view id, const world::Roster& r = iraq()) {
    return static_cast<Eigen::Index>(sponsor_index(id, r));
}

}  // namespace iraqsim::test
