// How each faction's fighters are organised into cells, and so how large its attacks are: the
// coalescence-fragmentation process of Bohorquez, Gourley, Dixon, Spagat and Johnson (Nature 462,
// 2009; docs/model.md, "Cells"). A faction's organisation is `units` units split into cells. Each
// step one cell, picked in proportion to its size, either breaks up into single units (with
// probability `fragmentation`) or joins another cell, also picked in proportion to its size. An
// incident is carried out by a cell picked at random and kills as many as the cell has units, so
// the sizes of incidents follow the cells' sizes, whose distribution the process itself drives to a
// power law with exponent about 2.5: the heavy tail of the violence emerges from how groups form
// and break, not from a law the model draws from.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <vector>

#include "iraqsim/engine/random_stream.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::engine {
class StepContext;
}

namespace iraqsim::model {

struct CellParams {
    // Units in a faction's organisation: the largest cell, and the most deaths one incident can
    // cause. Default 500 (IBC's largest incidents of 2003-2008 killed a few hundred; the Yazidi
    // bombings of August 2007 about 800).
    double units = 500;
    // Chance that the picked cell breaks up rather than joins another. Default 0.1: the baseline's
    // incident sizes then have a tail exponent of 2.5-2.8 (Clauset's method) and their largest are
    // a few hundred deaths; at 0.01 one giant cell forms and incidents of 500 are common.
    double fragmentation = 0.1;
    // Coalescence-fragmentation steps per faction per week. Default 20: a faction's organisation
    // is remade over months, not from one incident to the next.
    double steps_per_week = 20;
};

// A faction's cells are stored in its column of State::cells as (size, count) pairs, one per size
// present, then zeros. Distinct sizes sum to at most the units, so at most floor(sqrt(2 units)) of
// them coexist: the column has room for that many pairs and one more, and reading it costs a few
// dozen entries rather than one per possible size.
Eigen::Index cell_rows(std::int64_t units);
// A column in which every unit is a cell of its own.
Eigen::ArrayXd single_units(std::int64_t units);

// The sizes present in one faction's cells and how many cells have each, read from its column of
// State::cells: a draw scans the few dozen sizes that exist.
class CellCensus {
public:
    CellCensus() = default;
    explicit CellCensus(const Eigen::Ref<const Eigen::ArrayXd>& column) { read(column); }
    // Replaces the census by the column's, keeping the storage (a week's reads allocate nothing).
    void read(const Eigen::Ref<const Eigen::ArrayXd>& column);
    [[nodiscard]] std::int64_t units() const { return units_; }
    [[nodiscard]] std::int64_t cells() const { return cells_; }
    // Mean units per cell: the mean size of the faction's incidents.
    [[nodiscard]] double mean_size() const { return cells_ > 0 ? static_cast<double>(units_) / static_cast<double>(cells_) : 1.0; }
    // The size of a cell picked with equal chance for every cell (the cell an incident comes from).
    std::int64_t pick_by_cell(engine::RandomStream& rng) const;
    // The size of a cell picked in proportion to its size (a random unit's cell).
    std::int64_t pick_by_units(engine::RandomStream& rng) const;

protected:
    void add(std::int64_t size, std::int64_t count);
    // As add, for the group at `index` (a pick's): no search for its size.
    void add_at(std::size_t index, std::int64_t count);
    // The index of a group picked in proportion to its units.
    [[nodiscard]] std::size_t pick_group_by_units(engine::RandomStream& rng) const;
    struct Group {
        std::int64_t size, count;
    };
    std::vector<Group> groups_;  // sizes with at least one cell
    std::int64_t units_ = 0, cells_ = 0;
};

// One faction's cells, moved by the process and written back to its column of State::cells.
class CellProcess : public CellCensus {
public:
    CellProcess() = default;  // read() a column, step, then store() into one
    explicit CellProcess(Eigen::Ref<Eigen::ArrayXd> column);
    void step(engine::RandomStream& rng, double fragmentation);
    // Writes the cells back to the column they were read from at construction.
    void store();
    // Writes the cells to `column` (as long as the one read).
    void store(Eigen::Ref<Eigen::ArrayXd> column) const;

private:
    double* column_ = nullptr;  // the column constructed from (contiguous: the arrays are column-major)
    Eigen::Index rows_ = 0;
};

// The cells of every faction at the start: `units` single units run through the process until
// it forgets that start (the same for every replicate and cached per parameter set), so the first
// week already has the process's own structure. [cell_rows(units), faction]
Eigen::ArrayXXd settled_cells(Eigen::Index factions, const CellParams& params);

// This week's steps for each faction that kills civilians (one with a community among its
// targets): next.cells from prev.cells, next having started as a copy of prev (the step loop's
// next = prev), so that the other factions' columns are already in place. `scratch` holds a
// faction's cells while they move (kept by the caller, so that no week allocates).
void update_cells(const world::Roster& roster, const world::State& prev, world::State& next, const CellParams& params,
                  const engine::StepContext& ctx, CellProcess& scratch);

}  // namespace iraqsim::model
