#include "iraqsim/model/cells.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include "iraqsim/engine/step_context.hpp"

namespace iraqsim::model {
namespace {

// An integer uniform on 0 .. n - 1.
std::int64_t below(engine::RandomStream& rng, std::int64_t n) {
    return std::min(n - 1, static_cast<std::int64_t>(rng.uniform() * static_cast<double>(n)));
}

std::int64_t unit_count(const CellParams& params) { return std::max<std::int64_t>(1, std::llround(params.units)); }

bool kills_civilians(const world::Faction& f) {
    return std::any_of(f.violence_targets.begin(), f.violence_targets.end(),
                       [](const world::ViolenceTarget& t) { return t.kind == world::ViolenceTarget::Kind::community && t.weight > 0; });
}

}  // namespace

Eigen::Index cell_rows(std::int64_t units) {
    const auto distinct = static_cast<Eigen::Index>(std::floor(std::sqrt(2.0 * static_cast<double>(units))));
    return 2 * (distinct + 1);
}

Eigen::ArrayXd single_units(std::int64_t units) {
    Eigen::ArrayXd column = Eigen::ArrayXd::Zero(cell_rows(units));
    column(0) = 1;
    column(1) = static_cast<double>(units);
    return column;
}

CellCensus::CellCensus(const Eigen::Ref<const Eigen::ArrayXd>& column) {
    for (Eigen::Index i = 0; i + 1 < column.size() && column(i) > 0; i += 2) {
        const std::int64_t size = std::llround(column(i)), count = std::llround(column(i + 1));
        groups_.push_back({size, count});
        units_ += size * count;
        cells_ += count;
    }
}

void CellCensus::add(std::int64_t size, std::int64_t count) {
    units_ += size * count;
    cells_ += count;
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        if (groups_[i].size != size) continue;
        groups_[i].count += count;
        if (groups_[i].count == 0) {  // the last cell of this size is gone
            groups_[i] = groups_.back();
            groups_.pop_back();
        }
        return;
    }
    groups_.push_back({size, count});
}

std::int64_t CellCensus::pick_by_cell(engine::RandomStream& rng) const {
    std::int64_t r = below(rng, cells_);
    for (const Group& g : groups_) {
        if (r < g.count) return g.size;
        r -= g.count;
    }
    return groups_.back().size;
}

std::int64_t CellCensus::pick_by_units(engine::RandomStream& rng) const {
    std::int64_t r = below(rng, units_);
    for (const Group& g : groups_) {
        if (r < g.size * g.count) return g.size;
        r -= g.size * g.count;
    }
    return groups_.back().size;
}

CellProcess::CellProcess(Eigen::Ref<Eigen::ArrayXd> column) : CellCensus(column), column_(column) {}

void CellProcess::step(engine::RandomStream& rng, double fragmentation) {
    if (cells_ == 0) return;
    const std::int64_t picked = pick_by_units(rng);
    if (rng.uniform() < fragmentation) {
        if (picked > 1) {  // breaks up into single units
            add(picked, -1);
            add(1, picked);
        }
        return;
    }
    if (cells_ < 2) return;  // one cell holds every unit: nothing to join
    add(picked, -1);
    const std::int64_t other = pick_by_units(rng);  // among the other cells' units
    add(other, -1);
    add(picked + other, 1);
}

void CellProcess::store() {
    if (2 * static_cast<Eigen::Index>(groups_.size()) > column_.size())
        throw std::logic_error("cells: more distinct sizes than the units allow");  // cannot happen: they sum to the units
    column_.setZero();
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        column_(static_cast<Eigen::Index>(2 * i)) = static_cast<double>(groups_[i].size);
        column_(static_cast<Eigen::Index>(2 * i + 1)) = static_cast<double>(groups_[i].count);
    }
}

Eigen::ArrayXXd settled_cells(Eigen::Index factions, const CellParams& params) {
    // Settling costs tens of millions of steps' worth of work per faction set: a sweep compiles a
    // model per run with the same cell parameters, so the result is kept.
    using Key = std::tuple<Eigen::Index, std::int64_t, double>;
    static std::mutex mutex;
    static std::map<Key, Eigen::ArrayXXd> cache;
    const std::int64_t units = unit_count(params);
    const Key key{factions, units, params.fragmentation};
    const std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    Eigen::ArrayXXd cells(cell_rows(units), factions);
    // Enough steps for every unit to have been through several fragmentations.
    const std::int64_t steps = 40 * units + static_cast<std::int64_t>(20.0 / std::max(params.fragmentation, 1e-3));
    for (Eigen::Index f = 0; f < factions; ++f) {
        cells.col(f) = single_units(units);
        // A key of its own, outside any run's weeks: the start is the same for every seed.
        engine::RandomStream rng(0, 0, ~std::uint64_t{0}, engine::Purpose::cells, static_cast<std::uint64_t>(f));
        CellProcess process(cells.col(f));
        for (std::int64_t i = 0; i < steps; ++i) process.step(rng, params.fragmentation);
        process.store();
    }
    cache.emplace(key, cells);
    return cells;
}

void update_cells(const world::Roster& roster, const world::State& prev, world::State& next, const CellParams& params,
                  const engine::StepContext& ctx) {
    next.cells = prev.cells;
    const auto steps = static_cast<std::int64_t>(std::llround(params.steps_per_week));
    if (steps <= 0) return;
    for (Eigen::Index f = 0; f < next.cells.cols(); ++f) {
        if (!kills_civilians(roster.factions[static_cast<std::size_t>(f)])) continue;
        engine::RandomStream rng = ctx.stream(engine::Purpose::cells, static_cast<std::uint64_t>(f));
        CellProcess process(next.cells.col(f));
        for (std::int64_t i = 0; i < steps; ++i) process.step(rng, params.fragmentation);
        process.store();
    }
}

}  // namespace iraqsim::model
