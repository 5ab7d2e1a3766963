#include "iraqsim/agents/epstein.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "iraqsim/agents/torus_window.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/random_stream.hpp"

namespace iraqsim::agents {
namespace {

// Sub-purposes of engine::Purpose::epstein, in the top byte of the stream's entity; never reuse one.
enum class Draw : std::uint64_t {
    placement = 1,  // step 0: which cells citizens and cops start on (one stream)
    traits = 2,     // step 0: a citizen's hardship and risk aversion
    arrest = 3,     // which active a cop arrests
    jail_term = 4,  // an arrested citizen's term
    kill = 5,       // Model II: whom an active kills
    move = 6,       // an agent's claim priority, then the empty cell it claims
};

constexpr std::size_t agents_per_task = 256;  // a few microseconds of work per TBB task

// Sub-purpose in the top byte, agent id below: ids stay far below 2^56.
constexpr int draw_shift = 56;

engine::RandomStream stream(std::uint64_t seed, std::uint64_t run, std::int32_t step, Draw draw, std::size_t agent) {
    return engine::RandomStream(seed, run, static_cast<std::uint64_t>(step), engine::Purpose::epstein,
                                (static_cast<std::uint64_t>(draw) << draw_shift) | static_cast<std::uint64_t>(agent));
}

// Uniform on 0..n-1 from the top 32 bits (bias below n / 2^32, negligible for window sizes).
std::uint32_t below(engine::RandomStream& s, std::uint32_t n) {
    return static_cast<std::uint32_t>(((s.next_u64() >> 32) * n) >> 32);
}

// Runs f(i) for i in [0, n) in parallel chunks. Each f(i) writes only slot i and reads only the
// snapshot taken before the loop, so the partition cannot change the result.
template <class F>
void for_each_in_parallel(std::size_t n, F&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, agents_per_task),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) f(i);
                      });
}

// Runs f(agent) for the agent on each occupied cell, in parallel chunks of cells: visiting agents
// in grid order keeps the window tables' reads local on large grids. The agent's id, not the
// visiting order, keys its draws.
template <class F>
void for_each_agent_by_cell(const std::vector<std::int32_t>& occupant, F&& f) {
    for_each_in_parallel(occupant.size(), [&](std::size_t c) {
        if (occupant[c] >= 0) f(static_cast<std::size_t>(occupant[c]));
    });
}

// Python's round (earlier versions of Mesa's example): halves go to the even neighbour.
double round_half_to_even(double x) {
    const double r = std::round(x);
    if (std::fabs(x - std::trunc(x)) == 0.5) return 2.0 * std::round(x / 2.0);
    return r;
}

double ratio_term(double cops_to_actives, ArrestRule rule) {
    switch (rule) {
        case ArrestRule::literal: return cops_to_actives;
        case ArrestRule::rounded: return round_half_to_even(cops_to_actives);
        case ArrestRule::floored: return std::floor(cops_to_actives);
    }
    return cops_to_actives;
}

// A uniform choice among the cells of the window around `centre` (centre excluded) that `accept`,
// given how many there are; -1 when none. Rejection sampling first, then, if every attempt
// missed, the j-th candidate in scan order: each branch is uniform, so their mixture is.
template <class Accept>
std::int64_t pick_in_window(const TorusWindowCounts& grid, std::uint32_t centre, std::int32_t radius,
                            std::int32_t candidates, Accept&& accept, engine::RandomStream& s, std::int32_t width,
                            std::int32_t height) {
    if (candidates <= 0) return -1;
    const std::int32_t side = 2 * radius + 1;
    const std::int32_t cy = grid.row(centre), cx = grid.column(centre);
    const auto cell_at = [&](std::int32_t dy, std::int32_t dx) {
        std::int32_t y = cy + dy, x = cx + dx;  // |dy|, |dx| <= radius < width, height: one wrap at most
        y += y < 0 ? height : (y >= height ? -height : 0);
        x += x < 0 ? width : (x >= width ? -width : 0);
        return static_cast<std::uint32_t>(y * width + x);
    };
    constexpr int max_attempts = 32;  // expected attempts are (side^2 - 1) / candidates
    const auto side_u = static_cast<std::uint32_t>(side);
    std::uint64_t bits = 0;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        // Each 64-bit draw serves two attempts, 16 bits per offset (bias below side / 2^16, nil for
        // any vision that fits a realistic grid); the centre is drawn again.
        if (attempt % 2 == 0) bits = s.next_u64();
        const auto half = static_cast<std::uint32_t>(attempt % 2 == 0 ? bits >> 32 : bits & 0xffffffffu);
        const auto dy = static_cast<std::int32_t>(((half >> 16) * side_u) >> 16) - radius;
        const auto dx = static_cast<std::int32_t>(((half & 0xffffu) * side_u) >> 16) - radius;
        if (dy == 0 && dx == 0) continue;
        const std::uint32_t cell = cell_at(dy, dx);
        if (accept(cell)) return cell;
    }
    std::uint32_t j = below(s, static_cast<std::uint32_t>(candidates));
    for (std::int32_t dy = -radius; dy <= radius; ++dy) {
        for (std::int32_t dx = -radius; dx <= radius; ++dx) {
            if (dy == 0 && dx == 0) continue;
            const std::uint32_t cell = cell_at(dy, dx);
            if (!accept(cell)) continue;
            if (j == 0) return cell;
            --j;
        }
    }
    return -1;
}

}  // namespace

double estimated_arrest_probability(double cops, double actives, double k, ArrestRule rule) {
    return 1.0 - std::exp(-k * ratio_term(cops / actives, rule));
}

double Schedule::at(std::int32_t step) const {
    if (points.empty()) return 0.0;
    if (step <= points.front().first) return points.front().second;
    if (step >= points.back().first) return points.back().second;
    const auto after = std::upper_bound(points.begin(), points.end(), step,
                                        [](std::int32_t s, const auto& p) { return s < p.first; });
    const auto& [s1, v1] = *after;
    const auto& [s0, v0] = *(after - 1);
    return v0 + (v1 - v0) * static_cast<double>(step - s0) / static_cast<double>(s1 - s0);
}

void EpsteinSeries::append(const EpsteinCounts& c, double legitimacy_now) {
    quiet.push_back(c.quiet);
    active.push_back(c.active);
    jailed.push_back(c.jailed);
    cops.push_back(c.cops);
    arrests.push_back(c.arrests);
    for (std::size_t g = 0; g < 2; ++g) {
        population[g].push_back(c.population[g]);
        killed[g].push_back(c.killed[g]);
    }
    legitimacy.push_back(legitimacy_now);
}

EpsteinWorld::EpsteinWorld(const EpsteinParams& params, std::uint64_t seed, std::uint64_t run)
    : params_(params),
      seed_(seed),
      run_(run),
      cops_seen_(params.width, params.height, std::max(params.citizen_vision, params.cop_vision)),
      actives_seen_(params.width, params.height, std::max(params.citizen_vision, params.cop_vision)),
      taken_seen_(params.width, params.height, std::max(params.citizen_vision, params.cop_vision)),
      free_seen_{TorusWindowCounts(params.width, params.height, params.citizen_vision),
                 TorusWindowCounts(params.width, params.height, params.citizen_vision)} {
    const auto cells = static_cast<std::size_t>(params.width) * static_cast<std::size_t>(params.height);
    const auto n_citizens = static_cast<std::size_t>(std::lround(params.citizen_density * static_cast<double>(cells)));
    const auto n_cops = static_cast<std::size_t>(std::lround(params.cop_density.at(0) * static_cast<double>(cells)));
    if (n_citizens + n_cops > cells) {
        throw core::ModelError("epstein: " + std::to_string(n_citizens) + " citizens and " + std::to_string(n_cops) +
                               " cops do not fit " + std::to_string(cells) + " cells");
    }
    // A partial Fisher-Yates shuffle of the cells: citizens take the first, cops the next.
    std::vector<std::uint32_t> order(cells);
    for (std::size_t c = 0; c < cells; ++c) order[c] = static_cast<std::uint32_t>(c);
    engine::RandomStream place = stream(seed_, run_, 0, Draw::placement, 0);
    for (std::size_t i = 0; i < n_citizens + n_cops; ++i) {
        const std::size_t j = i + below(place, static_cast<std::uint32_t>(cells - i));
        std::swap(order[i], order[j]);
    }
    occupant_.assign(cells, empty_cell);
    const auto n_blue = params.model == EpsteinModel::ethnic_violence
                            ? static_cast<std::size_t>(std::lround(params.blue_share * static_cast<double>(n_citizens)))
                            : n_citizens;
    citizens_.cell.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_citizens));
    citizens_.hardship.resize(n_citizens);
    citizens_.risk_aversion.resize(n_citizens);
    citizens_.jail.assign(n_citizens, 0);
    citizens_.active.assign(n_citizens, 0);  // all quiet at first, as in the paper's runs
    citizens_.alive.assign(n_citizens, 1);
    citizens_.group.assign(n_citizens, 0);
    for (std::size_t i = 0; i < n_citizens; ++i) {
        engine::RandomStream traits = stream(seed_, run_, 0, Draw::traits, i);
        citizens_.hardship[i] = static_cast<float>(traits.uniform());
        citizens_.risk_aversion[i] = static_cast<float>(traits.uniform());
        citizens_.group[i] = i < n_blue ? 0 : 1;
        occupant_[citizens_.cell[i]] = static_cast<std::int32_t>(i);
    }
    cops_.cell.assign(order.begin() + static_cast<std::ptrdiff_t>(n_citizens),
                      order.begin() + static_cast<std::ptrdiff_t>(n_citizens + n_cops));
    cops_.on_duty.assign(n_cops, 1);
    for (std::size_t j = 0; j < n_cops; ++j) occupant_[cops_.cell[j]] = static_cast<std::int32_t>(n_citizens + j);

    free_at_start_.assign(n_citizens, 1);
    arrested_now_.assign(n_citizens, 0);
    killed_now_.assign(n_citizens, 0);
    choice_.assign(n_citizens + n_cops, -1);
    priority_.assign(n_citizens + n_cops, 0);
    winner_.assign(cells, -1);
    cop_here_.assign(cells, 0);
    active_here_.assign(cells, 0);
    taken_.assign(cells, 0);
    free_here_ = {std::vector<std::uint8_t>(cells, 0), std::vector<std::uint8_t>(cells, 0)};
    count();
}

void EpsteinWorld::step() {
    ++step_;
    counts_.arrests = 0;
    counts_.killed = {0, 0};
    withdraw_cops();
    // Prisoners serve this step; those whose term ends now act again from the next (as in Mesa).
    for (std::size_t i = 0; i < citizens_.size(); ++i) {
        free_at_start_[i] = citizens_.alive[i] != 0 && citizens_.jail[i] == 0;
        if (citizens_.jail[i] > 0) --citizens_.jail[i];
        arrested_now_[i] = 0;
        killed_now_[i] = 0;
    }
    was_active_ = citizens_.active;
    decide(params_.legitimacy.at(step_));
    arrest();
    if (params_.model == EpsteinModel::ethnic_violence) kill();
    if (params_.movement) move();
    // The killed leave the grid only now, so that every move claimed a cell empty at the start.
    for (std::size_t i = 0; i < citizens_.size(); ++i) {
        if (killed_now_[i] == 0) continue;
        occupant_[citizens_.cell[i]] = empty_cell;
        citizens_.alive[i] = 0;
        citizens_.active[i] = 0;
    }
    count();
}

void EpsteinWorld::withdraw_cops() {
    const auto cells = static_cast<double>(occupant_.size());
    const auto target = static_cast<std::size_t>(std::lround(std::max(0.0, params_.cop_density.at(step_)) * cells));
    std::size_t on_duty = 0;
    for (std::uint8_t d : cops_.on_duty) on_duty += d;
    // The most recently numbered go first: cops start on random cells, so which go does not matter.
    for (std::size_t j = cops_.size(); j-- > 0 && on_duty > target;) {
        if (cops_.on_duty[j] == 0) continue;
        cops_.on_duty[j] = 0;
        occupant_[cops_.cell[j]] = empty_cell;
        --on_duty;
    }
}

void EpsteinWorld::decide(double legitimacy) {
    const std::int32_t v = params_.citizen_vision;
    const std::size_t n = citizens_.size();
    for (std::size_t c = 0; c < occupant_.size(); ++c) {
        const std::int32_t o = occupant_[c];
        const bool citizen = o != empty_cell && static_cast<std::size_t>(o) < n;
        cop_here_[c] = o != empty_cell && !citizen ? 1 : 0;
        active_here_[c] = citizen ? was_active_[static_cast<std::size_t>(o)] : 0;
    }
    cops_seen_.build(cop_here_);
    actives_seen_.build(active_here_);
    const TorusWindowCounts& cops_seen = cops_seen_;
    const TorusWindowCounts& actives_seen = actives_seen_;
    const double k = params_.arrest_constant, threshold = params_.threshold;
    const ArrestRule rule = params_.arrest_rule;
    // The dead hold no cell and are never active; everyone else is visited.
    for_each_agent_by_cell(occupant_, [&](std::size_t i) {
        if (i >= n) return;
        if (free_at_start_[i] == 0) {
            citizens_.active[i] = 0;
            return;
        }
        const std::uint32_t cell = citizens_.cell[i];
        const double cops = cops_seen.count(cell, v);
        // A counts the citizen itself, as if active (paper; Mesa's actives_in_vision = 1 + others).
        const double actives = 1.0 + actives_seen.count(cell, v) - was_active_[i];
        const double arrest_probability = estimated_arrest_probability(cops, actives, k, rule);
        const double grievance = static_cast<double>(citizens_.hardship[i]) * (1.0 - legitimacy);
        const double net_risk = static_cast<double>(citizens_.risk_aversion[i]) * arrest_probability;
        citizens_.active[i] = grievance - net_risk > threshold ? 1 : 0;
    });
}

void EpsteinWorld::arrest() {
    const std::size_t n = citizens_.size();
    // Cops see who was active at the start of the step: the snapshot decide() counted from.
    const auto is_active = [&](std::uint32_t cell) { return active_here_[cell] != 0; };
    for_each_in_parallel(cops_.size(), [&](std::size_t j) {
        choice_[n + j] = -1;
        if (cops_.on_duty[j] == 0) return;
        const std::uint32_t cell = cops_.cell[j];
        engine::RandomStream s = stream(seed_, run_, step_, Draw::arrest, j);
        const std::int64_t target = pick_in_window(actives_seen_, cell, params_.cop_vision,
                                                   actives_seen_.count(cell, params_.cop_vision), is_active, s,
                                                   params_.width, params_.height);
        if (target >= 0) choice_[n + j] = occupant_[static_cast<std::size_t>(target)];
    });
    // Two cops may pick the same active: it is arrested once (the term is keyed by the citizen,
    // so the order of cops does not matter) and the other cop's arrest is lost for this step.
    for (std::size_t j = 0; j < cops_.size(); ++j) {
        if (choice_[n + j] >= 0) arrested_now_[static_cast<std::size_t>(choice_[n + j])] = 1;
    }
    const auto terms = static_cast<std::uint32_t>(params_.max_jail_term + 1);
    for (std::size_t i = 0; i < n; ++i) {
        if (arrested_now_[i] == 0) continue;
        engine::RandomStream s = stream(seed_, run_, step_, Draw::jail_term, i);
        citizens_.jail[i] = static_cast<std::uint16_t>(below(s, terms));
        citizens_.active[i] = 0;
        ++counts_.arrests;
    }
}

void EpsteinWorld::kill() {
    const std::size_t n = citizens_.size();
    const std::int32_t v = params_.citizen_vision;
    for (std::size_t c = 0; c < occupant_.size(); ++c) {
        const std::int32_t o = occupant_[c];
        free_here_[0][c] = free_here_[1][c] = 0;
        if (o == empty_cell || static_cast<std::size_t>(o) >= n) continue;
        const auto i = static_cast<std::size_t>(o);
        free_here_[citizens_.group[i]][c] = free_at_start_[i];
    }
    free_seen_[0].build(free_here_[0]);
    free_seen_[1].build(free_here_[1]);
    // Actives arrested this step were stopped by the peacekeepers; the others each kill one free
    // member of the other community in vision (Epstein 2002, Model II).
    std::fill(choice_.begin(), choice_.begin() + static_cast<std::ptrdiff_t>(n), -1);
    for_each_agent_by_cell(occupant_, [&](std::size_t i) {
        if (i >= n || was_active_[i] == 0 || arrested_now_[i] != 0) return;
        const std::size_t other = 1u - citizens_.group[i];
        const std::uint32_t cell = citizens_.cell[i];
        engine::RandomStream s = stream(seed_, run_, step_, Draw::kill, i);
        const auto is_victim = [&](std::uint32_t c) { return free_here_[other][c] != 0; };
        const std::int64_t target = pick_in_window(free_seen_[other], cell, v, free_seen_[other].count(cell, v), is_victim,
                                                   s, params_.width, params_.height);
        if (target >= 0) choice_[i] = occupant_[static_cast<std::size_t>(target)];
    });
    for (std::size_t i = 0; i < n; ++i) {
        if (choice_[i] >= 0) killed_now_[static_cast<std::size_t>(choice_[i])] = 1;
    }
    for (std::size_t i = 0; i < n; ++i) counts_.killed[citizens_.group[i]] += killed_now_[i];
}

void EpsteinWorld::move() {
    const std::size_t n = citizens_.size();
    for (std::size_t c = 0; c < occupant_.size(); ++c) taken_[c] = occupant_[c] != empty_cell ? 1 : 0;
    taken_seen_.build(taken_);
    const auto is_empty = [&](std::uint32_t c) { return taken_[c] == 0; };
    // Every mover claims a cell empty at the start of the step, with a random priority; no mover
    // can claim a cell another vacates, so claims are the only conflicts.
    std::fill(choice_.begin(), choice_.end(), -1);
    for_each_agent_by_cell(occupant_, [&](std::size_t a) {
        const bool citizen = a < n;
        const bool moves = citizen ? free_at_start_[a] != 0 && arrested_now_[a] == 0 && killed_now_[a] == 0
                                   : cops_.on_duty[a - n] != 0;
        if (!moves) return;
        const std::uint32_t cell = citizen ? citizens_.cell[a] : cops_.cell[a - n];
        const std::int32_t radius = citizen ? params_.citizen_vision : params_.cop_vision;
        const std::int32_t side = 2 * radius + 1;
        engine::RandomStream s = stream(seed_, run_, step_, Draw::move, a);
        priority_[a] = s.next_u64();
        const std::int32_t empties = side * side - taken_seen_.count(cell, radius);
        const std::int64_t target =
            pick_in_window(taken_seen_, cell, radius, empties, is_empty, s, params_.width, params_.height);
        choice_[a] = static_cast<std::int32_t>(target);
    });
    // The highest priority wins each claimed cell (the lower id on a tie); losers stay put.
    for (std::size_t a = 0; a < choice_.size(); ++a) {
        const std::int32_t c = choice_[a];
        if (c < 0) continue;
        std::int32_t& w = winner_[static_cast<std::size_t>(c)];
        if (w < 0 || priority_[a] > priority_[static_cast<std::size_t>(w)]) w = static_cast<std::int32_t>(a);
    }
    for (std::size_t a = 0; a < choice_.size(); ++a) {
        const std::int32_t c = choice_[a];
        if (c < 0 || winner_[static_cast<std::size_t>(c)] != static_cast<std::int32_t>(a)) continue;
        std::uint32_t& cell = a < n ? citizens_.cell[a] : cops_.cell[a - n];
        occupant_[cell] = empty_cell;
        occupant_[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(a);
        cell = static_cast<std::uint32_t>(c);
    }
    for (std::int32_t c : choice_) {
        if (c >= 0) winner_[static_cast<std::size_t>(c)] = -1;
    }
}

void EpsteinWorld::count() {
    EpsteinCounts c;
    c.arrests = counts_.arrests;
    c.killed = counts_.killed;
    for (std::size_t i = 0; i < citizens_.size(); ++i) {
        if (citizens_.alive[i] == 0) continue;
        ++c.population[citizens_.group[i]];
        if (citizens_.jail[i] > 0) {
            ++c.jailed;
        } else if (citizens_.active[i] != 0) {
            ++c.active;
        } else {
            ++c.quiet;
        }
    }
    for (std::uint8_t d : cops_.on_duty) c.cops += d;
    counts_ = c;
}

void EpsteinWorld::check_invariants() const {
    const auto fail = [&](const std::string& what) {
        throw core::ModelError("epstein: step " + std::to_string(step_) + ": " + what);
    };
    const std::size_t n = citizens_.size();
    std::size_t on_grid = 0;
    for (std::int32_t o : occupant_) on_grid += o != empty_cell ? 1 : 0;
    std::size_t expected = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (citizens_.alive[i] == 0) {
            if (citizens_.active[i] != 0) fail("citizen " + std::to_string(i) + " is dead but active");
            continue;
        }
        ++expected;
        if (occupant_[citizens_.cell[i]] != static_cast<std::int32_t>(i)) {
            fail("citizen " + std::to_string(i) + " does not hold its cell " + std::to_string(citizens_.cell[i]));
        }
        if (citizens_.jail[i] > 0 && citizens_.active[i] != 0) fail("citizen " + std::to_string(i) + " is jailed but active");
        if (citizens_.jail[i] > params_.max_jail_term) fail("citizen " + std::to_string(i) + " has a term above J_max");
    }
    for (std::size_t j = 0; j < cops_.size(); ++j) {
        if (cops_.on_duty[j] == 0) continue;
        ++expected;
        if (occupant_[cops_.cell[j]] != static_cast<std::int32_t>(n + j)) {
            fail("cop " + std::to_string(j) + " does not hold its cell " + std::to_string(cops_.cell[j]));
        }
    }
    if (on_grid != expected) fail(std::to_string(on_grid) + " cells occupied for " + std::to_string(expected) + " agents");
    const std::int32_t alive = counts_.population[0] + counts_.population[1];
    if (counts_.quiet + counts_.active + counts_.jailed != alive) fail("quiet + active + jailed differs from the living");
}

EpsteinSeries run_epstein(const EpsteinParams& params, std::uint64_t seed, std::uint64_t run, bool check_invariants) {
    EpsteinWorld world(params, seed, run);
    EpsteinSeries series;
    series.append(world.counts(), params.legitimacy.at(0));
    for (std::int32_t s = 1; s <= params.steps; ++s) {
        world.step();
        if (check_invariants) world.check_invariants();
        series.append(world.counts(), params.legitimacy.at(s));
    }
    return series;
}

}  // namespace iraqsim::agents
