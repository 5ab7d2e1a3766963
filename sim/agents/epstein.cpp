#include "iraqsim/agents/epstein.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "iraqsim/agents/cell_claims.hpp"
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
    move = 6,       // retired (an agent's claim priority, then the empty cell it claims); never reuse
    moves = 7,      // four neighbouring cells' movers: one word each, their claims' priorities and choices
};

// Bits of a cell's state at the start of a step (EpsteinWorld::start_). The first three are the
// lanes of the window table `seen_`, the last two those of Model II's `free_seen_`.
constexpr std::uint8_t cop_bit = 1U << 0;         // a cop on duty
constexpr std::uint8_t active_bit = 1U << 1;      // an active citizen
constexpr std::uint8_t taken_bit = 1U << 2;       // any agent (not empty)
constexpr std::uint8_t free_bit = 1U << 3;        // a free citizen (not jailed)
constexpr std::uint8_t free_blue_bit = 1U << 4;   // Model II: a free blue citizen
constexpr std::uint8_t free_green_bit = 1U << 5;  // Model II: a free green citizen
constexpr std::uint8_t free_blue = free_bit | free_blue_bit, free_green = free_bit | free_green_bit;
constexpr int seen_first_bit = 0, free_seen_first_bit = 4;
enum SeenLane : std::int32_t { cops_lane = 0, actives_lane = 1, taken_lane = 2 };

constexpr std::int32_t cells_per_task = 2048;  // a few microseconds of work per TBB task

// Sub-purpose in the top byte, agent id below: ids stay far below 2^56.
constexpr int draw_shift = 56;

engine::RandomStream stream(std::uint64_t seed, std::uint64_t run, std::int32_t step, Draw draw, std::size_t agent) {
    return engine::RandomStream(seed, run, static_cast<std::uint64_t>(step), engine::Purpose::epstein,
                                (static_cast<std::uint64_t>(draw) << draw_shift) | static_cast<std::uint64_t>(agent));
}

// The move draws of the movers on cells 4g .. 4g + 3 come from one Philox block, a word per cell,
// so that a mover costs a quarter of a block; the block is computed once for the four.
class MoveWords {
public:
    MoveWords(std::uint64_t seed, std::uint64_t run, std::int32_t step) : seed_(seed), run_(run), step_(step) {}
    std::uint64_t at(std::size_t cell) {
        const std::size_t group = cell / 4;
        if (group != group_) {
            engine::RandomStream s = stream(seed_, run_, step_, Draw::moves, group);
            for (std::uint64_t& w : words_) w = s.next_u64();
            group_ = group;
        }
        return words_[cell % 4];
    }

private:
    std::uint64_t seed_, run_;
    std::int32_t step_;
    std::size_t group_ = std::numeric_limits<std::size_t>::max();
    std::array<std::uint64_t, 4> words_{};
};

// A mover's further bits, as many as its choice needs, from its word: SplitMix64 (Steele, Lea and
// Flood 2014, as in Java's SplittableRandom) seeded by the word, a few instructions a draw where
// another Philox block would cost about 140.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next_u64() {
        state_ += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t state_;
};

// A claim's key: the higher wins a cell. The priority's top 32 bits, then the claimant's cell, the
// lower first (cells stay below 2^31), so that resolving claims is a maximum, and the winner's cell
// can be read off the key; 0 is no claim.
constexpr std::uint64_t low_half = 0xffffffffU;
std::uint64_t claim_key(std::uint64_t priority, std::size_t claimant_cell) {
    return (priority & ~low_half) | (low_half - claimant_cell);
}
std::size_t claimant_cell(std::uint64_t key) { return static_cast<std::size_t>(low_half - (key & low_half)); }

// Uniform on 0..n-1 from the top 32 bits (bias below n / 2^32, negligible for window sizes).
template <class Bits>
std::uint32_t below(Bits& s, std::uint32_t n) {
    return static_cast<std::uint32_t>(((s.next_u64() >> 32) * n) >> 32);
}

// Runs f(first_row, end_row) over parallel chunks of whole rows covering the grid.
template <class F>
void for_each_row_chunk(std::int32_t width, std::int32_t height, F&& f) {
    const std::int32_t rows_per_task = std::max(1, cells_per_task / width);
    tbb::parallel_for(
        tbb::blocked_range<std::int32_t>(0, height, static_cast<std::size_t>(rows_per_task)),
        [&](const tbb::blocked_range<std::int32_t>& rows) { f(rows.begin(), rows.end()); }, tbb::simple_partitioner());
}

// Integer sums, so the order in which chunks' counts are added cannot change them.
EpsteinCounts add_counts(EpsteinCounts a, const EpsteinCounts& b) {
    a.quiet += b.quiet;
    a.active += b.active;
    a.jailed += b.jailed;
    a.cops += b.cops;
    a.arrests += b.arrests;
    for (std::size_t g = 0; g < 2; ++g) {
        a.population[g] += b.population[g];
        a.killed[g] += b.killed[g];
    }
    return a;
}

// Runs f(first_row, end_row, counts) over parallel chunks of whole rows covering the grid, and
// returns the sum of what the chunks counted.
template <class F>
EpsteinCounts count_over_row_chunks(std::int32_t width, std::int32_t height, F&& f) {
    const std::int32_t rows_per_task = std::max(1, cells_per_task / width);
    return tbb::parallel_reduce(
        tbb::blocked_range<std::int32_t>(0, height, static_cast<std::size_t>(rows_per_task)), EpsteinCounts{},
        [&](const tbb::blocked_range<std::int32_t>& rows, EpsteinCounts counts) {
            f(rows.begin(), rows.end(), counts);
            return counts;
        },
        add_counts, tbb::simple_partitioner());
}

// Runs f(cell, row, column) for every cell, in parallel chunks of whole rows. Each f writes only
// its own cell (or raises flags, which only ever go from 0 to 1) and reads the snapshots taken
// before the loop, so the chunks cannot change the result; the agent's id or its cell, not the
// visiting order, keys its draws.
template <class F>
void for_each_cell(std::int32_t width, std::int32_t height, F&& f) {
    for_each_row_chunk(width, height, [&](std::int32_t first_row, std::int32_t end_row) {
        for (std::int32_t y = first_row; y != end_row; ++y) {
            const auto first = static_cast<std::size_t>(y) * static_cast<std::size_t>(width);
            for (std::int32_t x = 0; x < width; ++x) f(first + static_cast<std::size_t>(x), y, x);
        }
    });
}

// Sets a flag that several threads may set at once (all to 1).
void raise_flag(std::vector<std::uint8_t>& flags, std::size_t i) {
    std::atomic_ref<std::uint8_t>(flags[i]).store(1, std::memory_order_relaxed);
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

// Which cells a choice may fall on: those whose state at the start of the step has `bit` set (or
// clear, if not `set`).
struct CellTest {
    const std::uint8_t* state;
    std::uint8_t bit;
    bool set;

    bool operator()(std::uint32_t cell) const { return ((state[cell] & bit) != 0) == set; }
    // How many of the `count` cells from `first` on pass: eight bytes at a time, the bit of each
    // byte moved to its lowest place and the eight summed by one multiplication.
    std::int32_t count_in(std::uint32_t first, std::int32_t count) const {
        constexpr std::uint64_t low_bits = 0x0101010101010101ULL;
        const int shift = __builtin_ctz(bit);
        const auto bits_in = [&](std::uint64_t bytes) {
            return static_cast<std::int32_t>((((bytes >> shift) & low_bits) * low_bits) >> 56);
        };
        const std::uint8_t* p = state + first;
        std::int32_t with_bit = 0, i = 0;
        for (; i + 8 <= count; i += 8) {
            std::uint64_t bytes;
            std::memcpy(&bytes, p + i, 8);
            with_bit += bits_in(bytes);
        }
        if (i < count && count >= 8) {
            // The last eight bytes, less those already counted (the low ones, little-endian).
            std::uint64_t bytes;
            std::memcpy(&bytes, p + count - 8, 8);
            with_bit += bits_in(bytes >> (8 * (8 - (count - i))));
        } else {
            for (; i < count; ++i) with_bit += (p[i] >> shift) & 1;
        }
        return set ? with_bit : count - with_bit;
    }
};

// A uniform choice among the cells of the window around row cy, column cx (centre excluded) that
// `accept`, given how many there are; -1 when none. Rejection sampling first, then, if every
// attempt missed, the j-th candidate in scan order: each branch is uniform, so their mixture is.
template <class Bits>
std::int64_t pick_in_window(std::int32_t cy, std::int32_t cx, std::int32_t radius, std::int32_t candidates,
                            const CellTest& accept, Bits& s, std::int32_t width, std::int32_t height) {
    if (candidates <= 0) return -1;
    const std::int32_t side = 2 * radius + 1;
    const auto cell_at = [&](std::int32_t dy, std::int32_t dx) {
        std::int32_t y = cy + dy, x = cx + dx;  // |dy|, |dx| <= radius < width, height: one wrap at most
        y += y < 0 ? height : (y >= height ? -height : 0);
        x += x < 0 ? width : (x >= width ? -width : 0);
        return static_cast<std::uint32_t>(y * width + x);
    };
    constexpr int max_attempts = 32;  // expected attempts are (side^2 - 1) / candidates
    const auto side_u = static_cast<std::uint32_t>(side);
    // Four attempts at a time, without a branch among them, the first that hits taken: the same
    // cell as one at a time, with one hard-to-predict branch per four attempts instead of one per
    // hit. Each 64-bit draw serves two attempts, 16 bits per offset (bias below side / 2^16, nil
    // for any vision that fits a realistic grid); the centre is drawn again.
    for (int attempt = 0; attempt < max_attempts; attempt += 4) {
        const std::uint64_t first = s.next_u64(), second = s.next_u64();
        const std::array<std::uint32_t, 4> halves{static_cast<std::uint32_t>(first >> 32), static_cast<std::uint32_t>(first),
                                                  static_cast<std::uint32_t>(second >> 32), static_cast<std::uint32_t>(second)};
        std::array<std::uint32_t, 4> cells{};
        unsigned hits = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const auto dy = static_cast<std::int32_t>(((halves[k] >> 16) * side_u) >> 16) - radius;
            const auto dx = static_cast<std::int32_t>(((halves[k] & 0xffffu) * side_u) >> 16) - radius;
            cells[k] = cell_at(dy, dx);
            const bool hit = static_cast<unsigned>((dy | dx) != 0) & static_cast<unsigned>(accept(cells[k]));  // no &&: no branch
            hits |= static_cast<unsigned>(hit) << k;
        }
        if (hits != 0) return cells[static_cast<std::size_t>(__builtin_ctz(hits))];
    }
    std::uint32_t j = below(s, static_cast<std::uint32_t>(candidates));
    // Whole rows of the window are skipped by their counts where they do not wrap around (a cop
    // among few actives scans most of its window).
    const bool rows_in_one_piece = cx - radius >= 0 && cx + radius < width;
    const std::uint32_t centre = cell_at(0, 0);
    for (std::int32_t dy = -radius; dy <= radius; ++dy) {
        if (rows_in_one_piece) {
            const auto in_row = static_cast<std::uint32_t>(accept.count_in(cell_at(dy, -radius), side) -
                                                           (dy == 0 && accept(centre) ? 1 : 0));
            if (j >= in_row) {
                j -= in_row;
                continue;
            }
        }
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
      taken_in_seen_(TorusWindowCounts::fits(std::max(params.citizen_vision, params.cop_vision), 3)),
      seen_(params.width, params.height, std::max(params.citizen_vision, params.cop_vision), taken_in_seen_ ? 3 : 2) {
    if (!taken_in_seen_) taken_seen_.emplace(params.width, params.height, std::max(params.citizen_vision, params.cop_vision));
    if (params.model == EpsteinModel::ethnic_violence) free_seen_.emplace(params.width, params.height, params.citizen_vision, 2);
    const auto cells = static_cast<std::size_t>(params.width) * static_cast<std::size_t>(params.height);
    const auto n_citizens = static_cast<std::size_t>(std::lround(params.citizen_density * static_cast<double>(cells)));
    const auto n_cops = static_cast<std::size_t>(std::lround(params.cop_density.at(0) * static_cast<double>(cells)));
    if (n_citizens + n_cops > cells) {
        throw core::ModelError("epstein: " + std::to_string(n_citizens) + " citizens and " + std::to_string(n_cops) +
                               " cops do not fit " + std::to_string(cells) + " cells");
    }
    citizens_placed_ = n_citizens;
    // A partial Fisher-Yates shuffle of the cells: citizens take the first, cops the next.
    std::vector<std::uint32_t> order(cells);
    for (std::size_t c = 0; c < cells; ++c) order[c] = static_cast<std::uint32_t>(c);
    engine::RandomStream place = stream(seed_, run_, 0, Draw::placement, 0);
    for (std::size_t i = 0; i < n_citizens + n_cops; ++i) {
        const std::size_t j = i + below(place, static_cast<std::uint32_t>(cells - i));
        std::swap(order[i], order[j]);
    }
    grid_.agent.assign(cells, empty_cell);
    grid_.hardship.assign(cells, 0.0F);
    grid_.risk_aversion.assign(cells, 0.0F);
    grid_.jail.assign(cells, 0);
    grid_.active.assign(cells, 0);  // all quiet at first, as in the paper's runs
    grid_.group.assign(cells, 0);
    const auto n_blue = params.model == EpsteinModel::ethnic_violence
                            ? static_cast<std::size_t>(std::lround(params.blue_share * static_cast<double>(n_citizens)))
                            : n_citizens;
    for (std::size_t i = 0; i < n_citizens; ++i) {
        const std::uint32_t cell = order[i];
        engine::RandomStream traits = stream(seed_, run_, 0, Draw::traits, i);
        grid_.agent[cell] = static_cast<std::int32_t>(i);
        grid_.hardship[cell] = static_cast<float>(traits.uniform());
        grid_.risk_aversion[cell] = static_cast<float>(traits.uniform());
        grid_.group[cell] = i < n_blue ? 0 : 1;
    }
    cops_.cell.assign(order.begin() + static_cast<std::ptrdiff_t>(n_citizens),
                      order.begin() + static_cast<std::ptrdiff_t>(n_citizens + n_cops));
    cops_.on_duty.assign(n_cops, 1);
    for (std::size_t j = 0; j < n_cops; ++j) grid_.agent[cops_.cell[j]] = static_cast<std::int32_t>(n_citizens + j);

    for (auto* flags : {&start_, &next_start_, &arrested_now_, &killed_now_}) flags->assign(cells, 0);
    claim_.assign(cells, 0);
    claim_key_.assign(cells, 0);
    best_claim_.assign(cells, 0);
    // C and A are whole numbers of at most (2v + 1)^2, so for the usual visions P is a table look-up
    // (the same function, computed once); beyond half a million entries it is computed as needed.
    const auto window = static_cast<std::size_t>(2 * params.citizen_vision + 1) * static_cast<std::size_t>(2 * params.citizen_vision + 1);
    if ((window + 1) * (window + 1) <= std::size_t{1} << 19) {
        arrest_probability_.assign((window + 1) * (window + 1), 0.0);
        for (std::size_t cops = 0; cops <= window; ++cops) {
            for (std::size_t actives = 1; actives <= window; ++actives) {
                arrest_probability_[cops * (window + 1) + actives] =
                    estimated_arrest_probability(static_cast<double>(cops), static_cast<double>(actives),
                                                 params.arrest_constant, params.arrest_rule);
            }
        }
    }
    count_at_step_0();
}

void EpsteinWorld::step() {
    ++step_;
    withdraw_cops();
    build_window_tables();
    // Every rule reads the state at the start of the step, so arrests and killings may come
    // before the citizens decide; deciding and choosing moves then share one sweep.
    arrest();
    if (params_.model == EpsteinModel::ethnic_violence) kill();
    // The killed leave the grid in this sweep, but their cells were taken at the start of the
    // step, so no move claims them.
    counts_ = decide_choose_moves_and_count(params_.legitimacy.at(step_));
    if (params_.movement) move();
    start_.swap(next_start_);
}

void EpsteinWorld::clear_cell(std::size_t cell) {
    grid_.agent[cell] = empty_cell;
    grid_.hardship[cell] = grid_.risk_aversion[cell] = 0.0F;
    grid_.jail[cell] = 0;
    grid_.active[cell] = 0;
    grid_.group[cell] = 0;
}

void EpsteinWorld::withdraw_cops() {
    const auto cells = static_cast<double>(grid_.size());
    const auto target = static_cast<std::size_t>(std::lround(std::max(0.0, params_.cop_density.at(step_)) * cells));
    std::size_t on_duty = 0;
    for (std::uint8_t d : cops_.on_duty) on_duty += d;
    // The most recently numbered go first: cops start on random cells, so which go does not matter.
    for (std::size_t j = cops_.size(); j-- > 0 && on_duty > target;) {
        if (cops_.on_duty[j] == 0) continue;
        cops_.on_duty[j] = 0;
        clear_cell(cops_.cell[j]);
        // The snapshot of the step was taken at the end of the last one, with this cop in it.
        start_[cops_.cell[j]] = 0;
        --on_duty;
    }
}

void EpsteinWorld::build_window_tables() {
    seen_.build(start_, seen_first_bit);
    if (taken_seen_ && params_.movement) taken_seen_->build(start_, seen_first_bit + taken_lane);
    if (free_seen_) free_seen_->build(start_, free_seen_first_bit);
}

EpsteinCounts EpsteinWorld::decide_choose_moves_and_count(double legitimacy) {
    const std::int32_t v = params_.citizen_vision;
    const auto n = static_cast<std::int32_t>(citizens_placed_);
    const double k = params_.arrest_constant, threshold = params_.threshold;
    const ArrestRule rule = params_.arrest_rule;
    const std::size_t window = static_cast<std::size_t>(2 * v + 1) * static_cast<std::size_t>(2 * v + 1);
    const bool movement = params_.movement;
    const auto terms = static_cast<std::uint32_t>(params_.max_jail_term + 1);
    const std::int32_t width = params_.width, height = params_.height;
    // Local pointers: the byte arrays' stores could alias any member, which would reload them all.
    std::int32_t* const agent = grid_.agent.data();
    const float* const hardship = grid_.hardship.data();
    const float* const risk_aversion = grid_.risk_aversion.data();
    std::uint16_t* const jail = grid_.jail.data();
    std::uint8_t* const active = grid_.active.data();
    const std::uint8_t* const start = start_.data();
    std::uint32_t* const claim = claim_.data();
    std::uint64_t* const claim_key_of = claim_key_.data();
    const CellTest is_empty{start, taken_bit, false};
    // Agents in the window, from the counts of it already read when they are in `seen_`.
    const auto taken_in_window = [&](std::uint64_t seen, std::int32_t y, std::int32_t x, std::int32_t radius) {
        return taken_in_seen_ ? seen_.lane(seen, taken_lane) : taken_seen_->count(y, x, radius);
    };
    // Every mover claims a cell empty at the start of the step, with a random priority; no mover
    // can claim a cell another vacates, so claims are the only conflicts.
    const auto choose_move = [&](MoveWords& words, std::size_t c, std::int32_t y, std::int32_t x,
                                 std::int32_t radius, std::int32_t taken) {
        const std::int32_t side = 2 * radius + 1;
        const std::uint64_t word = words.at(c);
        SplitMix64 bits(word);
        const std::int32_t empties = side * side - taken;
        const std::int64_t target = pick_in_window(y, x, radius, empties, is_empty, bits, width, height);
        if (target < 0) return;
        claim[c] = static_cast<std::uint32_t>(target);
        claim_key_of[c] = claim_key(word, c);
    };
    std::uint8_t* const next_start = next_start_.data();
    std::uint8_t* const arrested = arrested_now_.data();
    std::uint8_t* const killed = killed_now_.data();
    std::uint8_t* const group = grid_.group.data();
    // A citizen's step; returns the state its cell starts the next step with (before moves).
    const auto citizen_step = [&](MoveWords& words, std::size_t c, std::int32_t y, std::int32_t x, std::int32_t id,
                                  EpsteinCounts& counts) -> std::uint8_t {
        counts.arrests += arrested[c];
        if (killed[c] != 0) {
            ++counts.killed[group[c]];
            arrested[c] = killed[c] = 0;
            clear_cell(c);
            return 0;
        }
        ++counts.population[group[c]];
        // Prisoners serve this step; those whose term ends now act again from the next (as in
        // Mesa). Those arrested in this step were free at its start.
        if ((start[c] & free_bit) == 0) {
            --jail[c];
        } else if (arrested[c] != 0) {
            engine::RandomStream term = stream(seed_, run_, step_, Draw::jail_term, static_cast<std::size_t>(id));
            jail[c] = static_cast<std::uint16_t>(below(term, terms));
            active[c] = 0;
            arrested[c] = 0;
        } else {
            // Cops, actives and agents in vision, in one read of the table.
            const std::uint64_t seen = seen_.packed(y, x, v);
            if (movement) choose_move(words, c, y, x, v, taken_in_window(seen, y, x, v));
            const double grievance = static_cast<double>(hardship[c]) * (1.0 - legitimacy);
            // Net risk is never negative, so at or below the threshold no risk needs weighing.
            if (!(grievance > threshold)) {
                active[c] = 0;
            } else {
                const std::int32_t cops = seen_.lane(seen, cops_lane);
                // A counts the citizen itself, as if active (paper; Mesa's actives_in_vision = 1 + others).
                const std::int32_t actives = 1 + seen_.lane(seen, actives_lane) - ((start[c] & active_bit) != 0 ? 1 : 0);
                const double arrest_probability =
                    arrest_probability_.empty()
                        ? estimated_arrest_probability(cops, actives, k, rule)
                        : arrest_probability_[static_cast<std::size_t>(cops) * (window + 1) + static_cast<std::size_t>(actives)];
                const double net_risk = static_cast<double>(risk_aversion[c]) * arrest_probability;
                active[c] = grievance - net_risk > threshold ? 1 : 0;
            }
        }
        if (jail[c] > 0) {
            ++counts.jailed;
            return taken_bit;
        }
        if (active[c] != 0) {
            ++counts.active;
        } else {
            ++counts.quiet;
        }
        return static_cast<std::uint8_t>(taken_bit | (active[c] != 0 ? active_bit : 0) |
                                         (group[c] == 0 ? free_blue : free_green));
    };
    return count_over_row_chunks(width, height, [&](std::int32_t first_row, std::int32_t end_row, EpsteinCounts& counts) {
        MoveWords words(seed_, run_, step_);
        std::size_t c = static_cast<std::size_t>(first_row) * static_cast<std::size_t>(width);
        for (std::int32_t y = first_row; y != end_row; ++y) {
            for (std::int32_t x = 0; x < width; ++x, ++c) {
                // No claim: the cell's own, with the lowest key (see move()).
                claim[c] = static_cast<std::uint32_t>(c);
                claim_key_of[c] = 0;
                const std::int32_t id = agent[c];
                std::uint8_t next = 0;
                if (id >= n) {
                    ++counts.cops;
                    next = cop_bit | taken_bit;
                    if (movement) {
                        const std::int32_t radius = params_.cop_vision;
                        choose_move(words, c, y, x, radius, taken_in_window(seen_.packed(y, x, radius), y, x, radius));
                    }
                } else if (id >= 0) {
                    next = citizen_step(words, c, y, x, id, counts);
                }
                next_start[c] = next;
            }
        }
    });
}

void EpsteinWorld::arrest() {
    const auto n = static_cast<std::int32_t>(citizens_placed_);
    const std::int32_t v = params_.cop_vision;
    // Cops see who was active at the start of the step: the snapshot decide() counted from.
    const CellTest is_active{start_.data(), active_bit, true};
    // Two cops may pick the same active: it is arrested once (the term is keyed by the citizen,
    // so the order of cops does not matter) and the other cop's arrest is lost for this step.
    for_each_cell(params_.width, params_.height, [&](std::size_t c, std::int32_t y, std::int32_t x) {
        const std::int32_t id = grid_.agent[c];
        if (id < n) return;
        engine::RandomStream s = stream(seed_, run_, step_, Draw::arrest, static_cast<std::size_t>(id - n));
        const std::int64_t target = pick_in_window(y, x, v, seen_.count(y, x, v, actives_lane), is_active, s,
                                                   params_.width, params_.height);
        if (target >= 0) raise_flag(arrested_now_, static_cast<std::size_t>(target));
    });
    // The arrested are jailed, and their terms drawn, in decide_choose_moves_and_count's sweep.
}

void EpsteinWorld::kill() {
    const auto n = static_cast<std::int32_t>(citizens_placed_);
    const std::int32_t v = params_.citizen_vision;
    // Actives arrested this step were stopped by the peacekeepers; the others each kill one free
    // member of the other community in vision (Epstein 2002, Model II).
    for_each_cell(params_.width, params_.height, [&](std::size_t c, std::int32_t y, std::int32_t x) {
        const std::int32_t id = grid_.agent[c];
        if (id < 0 || id >= n || (start_[c] & active_bit) == 0 || arrested_now_[c] != 0) return;
        const std::int32_t other = 1 - grid_.group[c];
        engine::RandomStream s = stream(seed_, run_, step_, Draw::kill, static_cast<std::size_t>(id));
        const std::uint8_t victim_bit = other == 0 ? free_blue_bit : free_green_bit;
        const CellTest is_victim{start_.data(), victim_bit, true};
        const std::int64_t target = pick_in_window(y, x, v, free_seen_->count(y, x, v, other), is_victim, s,
                                                   params_.width, params_.height);
        if (target >= 0) raise_flag(killed_now_, static_cast<std::size_t>(target));
    });
}

void EpsteinWorld::move() {
    const auto n = static_cast<std::int32_t>(citizens_placed_);
    const std::int32_t width = params_.width;
    // The highest key wins each claimed cell; losers stay put. A cell without a claim claims itself
    // with key 0, which changes nothing (it is in the band's own rows), so the loop has no branch.
    const std::uint32_t* const claim = claim_.data();
    const std::uint64_t* const claim_key_of = claim_key_.data();
    std::uint64_t* const best = best_claim_.data();
    const std::int32_t reach = std::max(params_.citizen_vision, params_.cop_vision);
    const std::size_t cells = best_claim_.size();
    const std::size_t claims_ahead = static_cast<std::size_t>(reach + 1) * static_cast<std::size_t>(width);
    for_each_band_in_two_waves(params_.height, reach,
                               [&](std::int32_t first_row, std::int32_t end_row) {
                                   const auto first = static_cast<std::size_t>(first_row) * static_cast<std::size_t>(width);
                                   const auto end = static_cast<std::size_t>(end_row) * static_cast<std::size_t>(width);
                                   for (std::size_t c = first; c < end; ++c) {
                                       // Claims reach `reach` rows ahead: that row's next cells
                                       // are fetched before the sweep gets there.
                                       if (c % 8 == 0) __builtin_prefetch(best + (c + claims_ahead) % cells);
                                       std::uint64_t& b = best[claim[c]];
                                       b = std::max(b, claim_key_of[c]);
                                   }
                               });
    // Claimed cells were empty and movers' cells were not, so each winner's record moves from a
    // cell only it reads to a cell only it writes. Swept by the claimed cell, whose key names the
    // winner: a claimed cell is a predictable branch where a claimant's win would not be.
    std::int32_t* const agent = grid_.agent.data();
    float* const hardship = grid_.hardship.data();
    float* const risk_aversion = grid_.risk_aversion.data();
    std::uint16_t* const jail = grid_.jail.data();
    std::uint8_t* const active = grid_.active.data();
    std::uint8_t* const group = grid_.group.data();
    std::uint32_t* const cop_cell = cops_.cell.data();
    std::uint8_t* const next_start = next_start_.data();
    const std::int32_t height = params_.height;
    const auto move_winner = [&](std::size_t to) {
        const std::uint64_t key = best[to];
        if (key == 0) return;
        best[to] = 0;  // ready for the next step's claims
        const std::size_t c = claimant_cell(key);
        next_start[to] = next_start[c];
        next_start[c] = 0;
        const std::int32_t id = agent[c];
        agent[to] = id;
        hardship[to] = hardship[c];
        risk_aversion[to] = risk_aversion[c];
        jail[to] = jail[c];
        active[to] = active[c];
        group[to] = group[c];
        if (id >= n) cop_cell[static_cast<std::size_t>(id - n)] = static_cast<std::uint32_t>(to);
        agent[c] = empty_cell;
        hardship[c] = risk_aversion[c] = 0.0F;
        jail[c] = 0;
        active[c] = 0;
        group[c] = 0;
    };
    for_each_row_chunk(width, height, [&](std::int32_t first_row, std::int32_t end_row) {
        for (std::int32_t y = first_row; y != end_row; ++y) {
            // Winners come from up to `reach` rows away, mostly from rows not yet in cache: the
            // row that will be the farthest ahead when the sweep reaches the next one is fetched
            // as this one is swept, sixteen cells at a time.
            const auto row = static_cast<std::size_t>(y) * static_cast<std::size_t>(width);
            const auto row_ahead = static_cast<std::size_t>((y + reach + 1) % height) * static_cast<std::size_t>(width);
            for (std::int32_t x = 0; x < width; ++x) {
                if (x % 16 == 0) {
                    const std::size_t a = row_ahead + static_cast<std::size_t>(x);
                    __builtin_prefetch(agent + a);
                    __builtin_prefetch(hardship + a);
                    __builtin_prefetch(risk_aversion + a);
                    if (x % 32 == 0) __builtin_prefetch(jail + a);
                    if (x % 64 == 0) {
                        __builtin_prefetch(active + a);
                        __builtin_prefetch(group + a);
                        __builtin_prefetch(next_start + a);
                    }
                }
                move_winner(row + static_cast<std::size_t>(x));
            }
        }
    });
}

void EpsteinWorld::count_at_step_0() {
    const auto n = static_cast<std::int32_t>(citizens_placed_);
    const std::int32_t width = params_.width;
    // Every citizen quiet and free, as placed.
    counts_ = count_over_row_chunks(width, params_.height, [&](std::int32_t first_row, std::int32_t end_row, EpsteinCounts& c) {
        for (auto cell = static_cast<std::size_t>(first_row) * static_cast<std::size_t>(width);
             cell < static_cast<std::size_t>(end_row) * static_cast<std::size_t>(width); ++cell) {
            const std::int32_t id = grid_.agent[cell];
            if (id >= n) {
                ++c.cops;
                start_[cell] = cop_bit | taken_bit;
            } else if (id >= 0) {
                ++c.population[grid_.group[cell]];
                ++c.quiet;
                start_[cell] = grid_.group[cell] == 0 ? taken_bit | free_blue : taken_bit | free_green;
            }
        }
    });
}

std::size_t EpsteinWorld::bytes_touched_per_cell() const {
    const bool two_communities = params_.model == EpsteinModel::ethnic_violence;
    const std::size_t flags = 4;  // the state at the start and the next, arrested, killed
    const std::size_t claims = sizeof(std::uint32_t) + sizeof(std::uint64_t) + sizeof(std::uint64_t);
    const std::size_t tables = sizeof(std::uint64_t) * (taken_seen_ ? 2U : 1U) + (two_communities ? sizeof(std::uint64_t) : 0U);
    return EpsteinGrid::bytes_per_cell + flags + (params_.movement ? claims : 0) + tables;
}

void EpsteinWorld::check_invariants() const {
    const auto fail = [&](const std::string& what) {
        throw core::ModelError("epstein: step " + std::to_string(step_) + ": " + what);
    };
    const std::size_t n = citizens_placed_;
    std::vector<std::uint8_t> seen(n + cops_.size(), 0);
    std::int32_t citizens_on_grid = 0;
    for (std::size_t c = 0; c < grid_.size(); ++c) {
        const std::int32_t id = grid_.agent[c];
        const std::string where = "cell " + std::to_string(c);
        if (id == empty_cell) {
            if (grid_.active[c] != 0 || grid_.jail[c] != 0) fail(where + " is empty but holds an active or jailed state");
            continue;
        }
        if (id < 0 || static_cast<std::size_t>(id) >= seen.size()) fail(where + " holds unknown agent " + std::to_string(id));
        const auto a = static_cast<std::size_t>(id);
        if (seen[a] != 0) fail("agent " + std::to_string(id) + " stands on two cells, one of them " + std::to_string(c));
        seen[a] = 1;
        if (a >= n) {
            if (cops_.on_duty[a - n] == 0 || cops_.cell[a - n] != c) fail("cop " + std::to_string(a - n) + " on " + where + " is withdrawn or elsewhere");
            if (grid_.active[c] != 0 || grid_.jail[c] != 0) fail("cop " + std::to_string(a - n) + " is active or jailed");
            continue;
        }
        ++citizens_on_grid;
        if (grid_.jail[c] > 0 && grid_.active[c] != 0) fail("citizen " + std::to_string(id) + " is jailed but active");
        if (grid_.jail[c] > params_.max_jail_term) fail("citizen " + std::to_string(id) + " has a term above J_max");
    }
    for (std::size_t j = 0; j < cops_.size(); ++j) {
        if (cops_.on_duty[j] != 0 && seen[n + j] == 0) fail("cop " + std::to_string(j) + " is on duty but on no cell");
    }
    const std::int32_t alive = counts_.population[0] + counts_.population[1];
    if (citizens_on_grid != alive) fail(std::to_string(citizens_on_grid) + " citizens on the grid for " + std::to_string(alive) + " alive");
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
