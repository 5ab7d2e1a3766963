#include "iraqsim/model/cells.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
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

void CellCensus::read(const Eigen::Ref<const Eigen::ArrayXd>& column) {
    groups_.clear();
    units_ = 0;
    cells_ = 0;
    // Sizes and counts are stored as whole numbers: the cast is exact (no rounding to pay for).
    for (Eigen::Index i = 0; i + 1 < column.size() && column(i) > 0; i += 2) {
        const auto size = static_cast<std::int64_t>(column(i)), count = static_cast<std::int64_t>(column(i + 1));
        groups_.push_back({size, count});
        units_ += size * count;
        cells_ += count;
    }
}

void CellCensus::add(std::int64_t size, std::int64_t count) {
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        if (groups_[i].size == size) return add_at(i, count);
    }
    units_ += size * count;
    cells_ += count;
    groups_.push_back({size, count});
}

void CellCensus::add_at(std::size_t index, std::int64_t count) {
    units_ += groups_[index].size * count;
    cells_ += count;
    groups_[index].count += count;
    if (groups_[index].count == 0) {  // the last cell of this size is gone
        groups_[index] = groups_.back();
        groups_.pop_back();
    }
}

std::int64_t CellCensus::pick_by_cell(engine::RandomStream& rng) const {
    std::int64_t r = below(rng, cells_);
    for (const Group& g : groups_) {
        if (r < g.count) return g.size;
        r -= g.count;
    }
    return groups_.back().size;
}

std::size_t CellCensus::pick_group_by_units(engine::RandomStream& rng) const {
    std::int64_t r = below(rng, units_);
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        const std::int64_t units = groups_[i].size * groups_[i].count;
        if (r < units) return i;
        r -= units;
    }
    return groups_.size() - 1;
}

std::int64_t CellCensus::pick_by_units(engine::RandomStream& rng) const { return groups_[pick_group_by_units(rng)].size; }

CellProcess::CellProcess(Eigen::Ref<Eigen::ArrayXd> column) : CellCensus(column), column_(column.data()), rows_(column.size()) {}

void CellProcess::step(engine::RandomStream& rng, double fragmentation) {
    if (cells_ == 0) return;
    const std::size_t group = pick_group_by_units(rng);
    const std::int64_t picked = groups_[group].size;
    if (rng.uniform() < fragmentation) {
        if (picked > 1) {  // breaks up into single units
            add_at(group, -1);
            add(1, picked);
        }
        return;
    }
    if (cells_ < 2) return;  // one cell holds every unit: nothing to join
    add_at(group, -1);
    const std::size_t other_group = pick_group_by_units(rng);  // among the other cells' units
    const std::int64_t other = groups_[other_group].size;
    add_at(other_group, -1);
    add(picked + other, 1);
}

void CellProcess::store() { store(Eigen::Map<Eigen::ArrayXd>(column_, rows_)); }

void CellProcess::store(Eigen::Ref<Eigen::ArrayXd> column) const {
    if (2 * static_cast<Eigen::Index>(groups_.size()) > column.size())
        throw std::logic_error("cells: more distinct sizes than the units allow");  // cannot happen: they sum to the units
    column.setZero();
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        column(static_cast<Eigen::Index>(2 * i)) = static_cast<double>(groups_[i].size);
        column(static_cast<Eigen::Index>(2 * i + 1)) = static_cast<double>(groups_[i].count);
    }
}

Eigen::ArrayXXd settled_cells(Eigen::Index factions, const CellParams& params) {
    // Settling costs tens of millions of steps' worth of work per faction set: a sweep compiles a
    // model per run with the same cell parameters, so the result is kept.
    // Only the last few parameter sets are kept: a sweep over the cell parameters would otherwise
    // keep one settled table per point for the life of the process.
    using Key = std::tuple<Eigen::Index, std::int64_t, double>;
    constexpr std::size_t kept = 4;
    static std::mutex mutex;
    static std::deque<std::pair<Key, Eigen::ArrayXXd>> cache;  // most recently used first
    const std::int64_t units = unit_count(params);
    const Key key{factions, units, params.fragmentation};
    const std::lock_guard lock(mutex);
    if (auto it = std::find_if(cache.begin(), cache.end(), [&](const auto& entry) { return entry.first == key; }); it != cache.end()) {
        if (it != cache.begin()) {
            auto entry = std::move(*it);
            cache.erase(it);
            cache.push_front(std::move(entry));
        }
        return cache.front().second;
    }
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
    cache.emplace_front(key, cells);
    if (cache.size() > kept) cache.pop_back();
    return cells;
}

void update_cells(const world::Roster& roster, const world::State& prev, world::State& next, const CellParams& params,
                  const engine::StepContext& ctx, CellProcess& scratch) {
    const auto steps = static_cast<std::int64_t>(std::llround(params.steps_per_week));
    if (steps <= 0) return;
    for (Eigen::Index f = 0; f < next.cells.cols(); ++f) {
        if (!kills_civilians(roster.factions[static_cast<std::size_t>(f)])) continue;
        engine::RandomStream rng = ctx.stream(engine::Purpose::cells, static_cast<std::uint64_t>(f));
        scratch.read(prev.cells.col(f));
        for (std::int64_t i = 0; i < steps; ++i) scratch.step(rng, params.fragmentation);
        scratch.store(next.cells.col(f));
    }
}

}  // namespace iraqsim::model
