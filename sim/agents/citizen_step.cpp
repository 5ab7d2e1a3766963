#include "iraqsim/agents/citizen_step.hpp"

#include <Random123/philox.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "iraqsim/engine/random_stream.hpp"

namespace iraqsim::agents {
namespace {

// Agents per parallel task: large enough that the per-task flush of counts and the block lookup
// are negligible, small enough for load balance at a million agents on two cores. (A Philox block
// that straddles two tasks, or two blocks of citizens, is computed twice: the same draws, a little waste.)
constexpr std::size_t agents_per_task = 1 << 16;

constexpr auto quiet = static_cast<std::uint8_t>(CitizenState::quiet);
constexpr auto supporter = static_cast<std::uint8_t>(CitizenState::supporter);
constexpr auto fighter = static_cast<std::uint8_t>(CitizenState::fighter);
constexpr auto detained = static_cast<std::uint8_t>(CitizenState::detained);
constexpr auto displaced = static_cast<std::uint8_t>(CitizenState::displaced);
static_assert(quiet == 0, "step_segment's quiet test ORs the state with the opposition");

}  // namespace

std::uint64_t probability_threshold(double p) {
    if (!(p > 0)) return 0;
    if (p >= 1) return 1ULL << 32;
    return static_cast<std::uint64_t>(std::llround(p * threshold_scale));
}

namespace {

// One block's citizens in [begin, end): the per-citizen work. Everything it reads is passed as a
// plain value or a restrict pointer, so that the one-byte stores (which may alias anything in
// C++) do not force the compiler to reload the tables after every citizen, and the rule is written
// without data-dependent branches where the outcome varies from citizen to citizen.
struct Segment {
    std::uint8_t* __restrict state;
    std::uint8_t* __restrict loyalty;
    std::uint8_t* __restrict timer;
    const std::uint8_t* __restrict hardship;
    const std::uint8_t* __restrict risk_aversion;
    const std::uint8_t* __restrict nationalism;
    const std::uint64_t* __restrict choice;      // the block's two rows
    const std::uint64_t* __restrict defect;      // the district's row, by loyalty column (none: 0)
    const std::uint8_t* __restrict defect_to;    // the receiving loyalty byte, by loyalty column
    const std::uint8_t* __restrict opposition;   // by loyalty byte, 256 entries (none: 0)
    // Changes of the counts, [state * columns + column] (wrapping arithmetic: exact once summed).
    std::uint32_t* __restrict local;
    std::uint64_t revise, arrest, displace, come_back, terms;
    // Epstein's rule A for the block, by hardship h: a citizen is active (supporter) if its risk
    // aversion r is below the low 16 bits of rule_a[h], a fighter if also below the high 16 bits
    // (rule_a_bounds; one load for both).
    const std::uint32_t* __restrict rule_a;
    bool defecting;  // whether any faction's fighters realign or split in the district this week
    std::uint16_t hostile_below;
    std::size_t F, columns;
};

// Epstein's rule A, net = G - N = H (1 - L) - R P > threshold, with H = (h + 0.5) / 256 and
// R = (r + 0.5) / 256 the quantised traits, holds for the r below a bound that depends on h only
// (net decreases in r). So per block the rule is a table of 256 bounds per threshold, and per
// citizen a comparison. `g` = (1 - L) / 256 and `p` = P / 256 are the tables' per-quantum factors.
void rule_a_bounds(double g, double p, double threshold, std::uint16_t* below) {
    if (!(p > 0)) {
        for (int h = 0; h < 256; ++h) below[h] = (h + 0.5) * g - threshold > 0 ? 256 : 0;
        return;
    }
    // Integers r with (r + 0.5) p < slack = (h + 0.5) g - threshold: r < slack / p - 0.5, linear in h.
    const double at0 = (0.5 * g - threshold) / p - 0.5, per_h = g / p;
    for (int h = 0; h < 256; ++h) {
        double x = at0 + per_h * h;
        x = x < 0 ? 0 : (x > 256 ? 256 : x);
        const auto whole = static_cast<std::uint16_t>(x);  // ceil(x), without a call to libm
        below[h] = static_cast<std::uint16_t>(whole + (whole < x ? 1 : 0));
    }
}

// The loyalty column of a loyalty byte: the faction, or F for none. A minimum (factions are below
// F), not a test, which the compiler makes a mispredicted branch.
inline std::size_t column_of(std::uint8_t loyal, std::size_t F) { return std::min<std::size_t>(loyal, F); }

constexpr std::uint64_t certain = std::uint64_t{1} << 32;  // the threshold of probability 1

// The part of an interval of width w of 32-bit uniforms that a probability threshold p (of 2^32)
// takes: round down of p w / 2^32, exact at p = 1 (where p w would overflow).
inline std::uint64_t scaled(std::uint64_t p, std::uint64_t w) { return p >= certain ? w : (p * w) >> 32; }

// Citizens per Philox4x64-10 block: eight 32-bit uniforms, one per citizen.
constexpr std::size_t citizens_per_draw = 8;

// `s` by value: a copy whose address never escapes cannot be aliased by the one-byte stores, so
// its pointers and constants stay in registers instead of being reloaded after every store.
void step_segment(const Segment s, std::size_t begin, std::size_t end, std::uint64_t week, std::uint64_t purpose,
                  const r123::Philox4x64::key_type& key) {
    r123::Philox4x64 philox;
    const std::size_t F = s.F, columns = s.columns;
    std::uint32_t uniforms[citizens_per_draw];
    // Most citizens at home keep their loyalty (u in [revise, 2^32)) where no faction realigns: the
    // state event's thresholds scaled to that interval are the segment's constants.
    const std::uint64_t keep_width = certain - s.revise;
    const std::uint64_t keep_arrest = scaled(s.arrest, keep_width), keep_displace = scaled(s.displace, keep_width);
    // A quiet citizen who keeps its loyalty and stays home (u at or above `quiet_keep`), loyal to
    // a faction that does not fight (or to none), stays quiet whatever its traits: nothing changes,
    // and rule A need not be evaluated. Most citizens, most weeks; not taken where a faction realigns.
    const std::uint64_t quiet_keep = s.defecting ? certain : s.revise + keep_displace;
#if defined(__SSE2__)
    // quiet_keep as a signed 32-bit lane (u >= quiet_keep as a signed comparison of biased values);
    // at 2^32 no uniform reaches it.
    const bool never_keeps = quiet_keep >= certain;
    const __m128i keep_from = _mm_set1_epi32(static_cast<std::int32_t>(static_cast<std::uint32_t>(quiet_keep) ^ 0x80000000U));
    const bool all_revise = s.revise >= certain;
    const __m128i revise_from = _mm_set1_epi32(static_cast<std::int32_t>(static_cast<std::uint32_t>(s.revise) ^ 0x80000000U));
#endif
    for (std::size_t first = begin; first < end;) {
        const std::size_t group = first / citizens_per_draw;
        const r123::Philox4x64::ctr_type draws = philox(r123::Philox4x64::ctr_type{{week, purpose, group, 0}}, key);
        for (std::size_t k = 0; k < 4; ++k) {
            uniforms[2 * k] = static_cast<std::uint32_t>(draws.v[k]);
            uniforms[2 * k + 1] = static_cast<std::uint32_t>(draws.v[k] >> 32);
        }
        const std::size_t group_end = std::min(end, (group + 1) * citizens_per_draw);
        // The group's citizens who may change, as a bit mask: whether a citizen keeps everything
        // is random from citizen to citizen, so one branch per citizen on it is mispredicted
        // often; the loop over the mask's bits takes one hard branch per group instead.
        const auto keeps = [&](std::size_t j) {
            return (uniforms[j % citizens_per_draw] >= quiet_keep) & ((s.state[j] | s.opposition[s.loyalty[j]]) == 0);
        };
        unsigned may_change = 0, reconsiders = 0;
        if (group_end - first == citizens_per_draw) {
            // A whole group (nearly always).
#if defined(__SSE2__)
            // Uniforms and states eight at a time (SSE2 is in every x86-64); the opposition is a
            // lookup by loyalty byte, one per citizen.
            const __m128i bias = _mm_set1_epi32(INT32_MIN);  // unsigned order by signed comparison
            // From the draws, not from `uniforms`: a 16-byte load of what two 8-byte stores just
            // wrote cannot be forwarded from the store buffer and waits for the stores.
            const auto lanes = [&](std::size_t w) {
                return _mm_set_epi64x(static_cast<long long>(draws.v[w + 1]), static_cast<long long>(draws.v[w]));
            };
            const __m128i lo = _mm_xor_si128(lanes(0), bias);  // uniforms 0-3 (low half of each word first)
            const __m128i hi = _mm_xor_si128(lanes(2), bias);  // uniforms 4-7
            const auto below = static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(keep_from, lo))) |
                                                     (_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(keep_from, hi))) << 4));
            const __m128i states = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.state + first));
            const auto at_quiet = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(states, _mm_setzero_si128()))) & 0xFFU;
            unsigned fights = 0;
            for (std::size_t k = 0; k < citizens_per_draw; ++k)
                fights |= static_cast<unsigned>(s.opposition[s.loyalty[first + k]] != 0) << k;
            may_change = ((never_keeps ? 0xFFU : below) | fights | ~at_quiet) & 0xFFU;
            const auto below_revise = static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(revise_from, lo))) |
                                                            (_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(revise_from, hi))) << 4));
            const auto at_home = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(states, _mm_set1_epi8(detained)))) & 0xFFU;
            reconsiders = (all_revise ? 0xFFU : below_revise) & at_home;
#else
            for (std::size_t k = 0; k < citizens_per_draw; ++k) may_change |= static_cast<unsigned>(!keeps(first + k)) << k;
#endif
        } else {
            for (std::size_t j = first; j < group_end; ++j) may_change |= static_cast<unsigned>(!keeps(j)) << (j % citizens_per_draw);
        }
        first = group_end;
        // The citizens at home who reconsider (`reconsiders`, when known) in a loop of their own, so
        // that the branches on the state and on reconsidering are predictable in both loops: the
        // order does not matter, each citizen writes only its own fields and sums of counts.
        const auto update = [&](std::size_t i, auto reconsidering) {
            // One uniform decides everything (below): the loyalty outcome takes an interval
            // [lo, hi) of it, and the state event, independent of the loyalty outcome, uses the
            // uniform's position within that interval (uniform on it), with thresholds scaled to its width.
            const std::uint64_t u = uniforms[i % citizens_per_draw];
            const std::uint8_t st = s.state[i], was = s.loyalty[i];
            std::uint8_t loyal = was, next;
            if (!reconsidering && st == detained) {
                // Released when the term runs out, back home and quiet, with the same loyalty.
                const std::uint8_t left = s.timer[i];
                next = left > 0 ? detained : quiet;
                s.timer[i] = left > 0 ? static_cast<std::uint8_t>(left - 1) : 0;
            } else if (!reconsidering && st == displaced) {
                next = u < s.come_back ? quiet : displaced;
            } else {
                // Loyalty: reconsider (u below `revise`; the choice's cumulative thresholds split
                // [0, revise)), else follow the fighters who realign ([revise, revise + defect)),
                // else keep it. Then detention of last week's actives on [lo, lo + arrested) and
                // displacement on the next `away` of the outcome's interval [lo, hi).
                std::uint64_t lo, arrested, away;
                if (!reconsidering && u >= s.revise && !s.defecting) {
                    lo = s.revise;
                    arrested = keep_arrest;
                    away = keep_displace;
                } else {
                    std::uint64_t hi;
                    if (reconsidering || u < s.revise) {
                        const std::uint64_t* row = s.choice + (s.nationalism[i] < s.hostile_below ? columns : 0);
                        std::size_t k = 0;
                        while (u >= row[k]) ++k;
                        lo = k > 0 ? row[k - 1] : 0;
                        hi = row[k];
                        loyal = k == F ? no_faction : static_cast<std::uint8_t>(k);
                    } else {
                        const std::size_t column = column_of(was, F);
                        const std::uint64_t defect = s.defect[column];
                        const bool follows = u - s.revise < defect;
                        lo = follows ? s.revise : s.revise + defect;
                        hi = follows ? s.revise + defect : certain;
                        loyal = follows ? s.defect_to[column] : was;
                    }
                    arrested = scaled(s.arrest, hi - lo);
                    away = scaled(s.displace, hi - lo);
                }
                // When v < arrested, v - arrested wraps to a huge value, so `leaves` is false.
                const std::uint64_t v = u - lo;
                // A mask, not a branch: whether the citizen was active is random from citizen to citizen.
                arrested &= std::uint64_t{0} - static_cast<std::uint64_t>(st != quiet);
                const bool caught = v < arrested;
                const bool leaves = v - arrested < away;
                const std::uint8_t h = s.hardship[i], r = s.risk_aversion[i];
                const std::uint32_t bound = s.rule_a[h];
                const auto level = static_cast<std::uint8_t>(
                    s.opposition[loyal] * (static_cast<int>(r < (bound & 0xFFFF)) + static_cast<int>(r < (bound >> 16))));
                next = caught ? detained : (leaves ? displaced : level);
                // Given caught, v is uniform on [0, arrested): a uniform term.
                if (caught) s.timer[i] = static_cast<std::uint8_t>((v * s.terms) / arrested);
            }
            // The counts start from last week's: one in, one out (the same cell if nothing changed,
            // which cancels). Written without a test for a change: most citizens who get here have
            // some chance to change, so the test would be mispredicted often, and a citizen who
            // changes is in nearly every cache line anyway.
            s.state[i] = next;
            s.loyalty[i] = loyal;
            ++s.local[next * columns + column_of(loyal, F)];
            --s.local[st * columns + column_of(was, F)];
        };
        const std::size_t base = group * citizens_per_draw;
        for (unsigned m = may_change & ~reconsiders; m != 0; m &= m - 1)
            update(base + static_cast<std::size_t>(std::countr_zero(m)), std::false_type{});
        for (unsigned m = reconsiders; m != 0; m &= m - 1) update(base + static_cast<std::size_t>(std::countr_zero(m)), std::true_type{});
    }
}

}  // namespace

void step_citizens(CitizenPopulation& citizens, const CitizenTables& tables, const StepKeys& keys, CitizenCounts& counts) {
    const std::size_t n = citizens.size();
    const std::size_t F = citizens.faction_count;
    const std::size_t columns = F + 1;
    const std::size_t C = citizens.community_count;
#ifndef NDEBUG
    if (counts.n != count_citizens(citizens).n) throw std::logic_error("step_citizens: counts are not the citizens' own");
#endif

    // Per-column copies of the per-faction tables, with none as column F; opposition by loyalty byte.
    std::vector<std::uint8_t> opposition(256, 0), defect_to(columns, no_faction);
    for (std::size_t f = 0; f < F; ++f) {
        opposition[f] = tables.opposition[f];
        defect_to[f] = tables.defect_to[f];
    }
    std::vector<std::uint64_t> defect(citizens.district_count * columns, 0);
    for (std::size_t d = 0; d < citizens.district_count; ++d)
        for (std::size_t f = 0; f < F; ++f) defect[d * columns + f] = tables.defect[d * F + f];

    // Rule A's bounds per block ([block][hardship], fighter << 16 | active), in parallel: at a few hundred
    // citizens a block they would cost as much as the citizens.
    std::vector<std::uint32_t> bounds(citizens.block_count() * 256);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, citizens.block_count(), 16), [&](const tbb::blocked_range<std::size_t>& r) {
        std::uint16_t active[256], fighter[256];
        for (std::size_t b = r.begin(); b < r.end(); ++b) {
            if (citizens.block_begin[b] == citizens.block_begin[b + 1]) continue;  // no one lives there
            const double g = tables.grievance[b], p = tables.risk[b / C];
            rule_a_bounds(g, p, tables.threshold, active);
            rule_a_bounds(g, p, tables.fighter_threshold, fighter);
            for (std::size_t h = 0; h < 256; ++h) bounds[b * 256 + h] = active[h] | (std::uint32_t{fighter[h]} << 16);
        }
    });
    std::vector<std::uint8_t> defecting(citizens.district_count, 0);
    for (std::size_t d = 0; d < citizens.district_count; ++d)
        for (std::size_t f = 0; f < F; ++f)
            if (tables.defect[d * F + f] != 0) defecting[d] = 1;
    const r123::Philox4x64::key_type key{{keys.seed, keys.replicate}};
    const auto purpose = static_cast<std::uint64_t>(engine::Purpose::citizens);

    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, agents_per_task), [&](const tbb::blocked_range<std::size_t>& r) {
        const std::size_t cells = citizen_state_count * columns;
        std::vector<std::uint32_t> local(cells);
        Segment s{citizens.state.data(), citizens.loyalty.data(), citizens.timer.data(),
                  citizens.hardship.data(), citizens.risk_aversion.data(), citizens.nationalism.data(),
                  nullptr, nullptr, defect_to.data(), opposition.data(), local.data(),
                  tables.revise, 0, 0, 0, static_cast<std::uint64_t>(tables.max_detention_weeks) + 1,
                  nullptr, false, 0, F, columns};
        // The block holding the chunk's first agent; blocks are contiguous and ordered.
        std::size_t b = static_cast<std::size_t>(
            std::upper_bound(citizens.block_begin.begin(), citizens.block_begin.end(), r.begin()) -
            citizens.block_begin.begin()) - 1;
        for (std::size_t i = r.begin(); i < r.end(); ++b) {
            const std::size_t segment_end = std::min<std::size_t>(r.end(), citizens.block_begin[b + 1]);
            if (i == segment_end) continue;
            const std::size_t d = b / C;
            s.rule_a = bounds.data() + b * 256;
            s.defecting = defecting[d] != 0;
            s.arrest = tables.arrest[d];
            s.displace = tables.displace[b];
            s.come_back = tables.come_back[b];
            s.hostile_below = tables.hostile_below[b];
            s.choice = tables.choice.data() + b * 2 * columns;
            s.defect = defect.data() + d * columns;
            std::fill(local.begin(), local.end(), 0U);
            step_segment(s, i, segment_end, keys.week, purpose, key);
            i = segment_end;
            // Integer sums of the changes (negative ones wrap): exact whatever the order in which
            // tasks add them.
            std::uint64_t* const out = counts.n.data() + b * citizen_state_count * columns;
            for (std::size_t k = 0; k < cells; ++k) {
                const auto change = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(local[k])));
                if (change != 0) std::atomic_ref<std::uint64_t>(out[k]).fetch_add(change, std::memory_order_relaxed);
            }
        }
    });
}

CitizenCounts count_citizens(const CitizenPopulation& citizens) {
    const std::size_t F = citizens.faction_count;
    CitizenCounts counts(citizens.block_count(), F);
    const auto& state = citizens.state;
    const auto& loyalty = citizens.loyalty;
    for (std::size_t b = 0; b < citizens.block_count(); ++b) {
        for (std::uint64_t i = citizens.block_begin[b]; i < citizens.block_begin[b + 1]; ++i) {
            const std::size_t column = loyalty[i] == no_faction ? F : loyalty[i];
            ++counts.at(b, static_cast<CitizenState>(state[i]), column);
        }
    }
    return counts;
}

}  // namespace iraqsim::agents
