#include "iraqsim/agents/citizen_step.hpp"

#include <Random123/philox.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "iraqsim/engine/random_stream.hpp"

namespace iraqsim::agents {
namespace {

// Agents per parallel task: large enough that the per-task flush of counts and the block lookup
// are negligible, small enough for load balance at a million agents on two cores. A multiple of 4,
// so that no Philox block straddles two tasks (it would not change the draws, only waste one).
constexpr std::size_t agents_per_task = 1 << 16;

constexpr auto quiet = static_cast<std::uint8_t>(CitizenState::quiet);
constexpr auto supporter = static_cast<std::uint8_t>(CitizenState::supporter);
constexpr auto fighter = static_cast<std::uint8_t>(CitizenState::fighter);
constexpr auto detained = static_cast<std::uint8_t>(CitizenState::detained);
constexpr auto displaced = static_cast<std::uint8_t>(CitizenState::displaced);

}  // namespace

std::uint64_t probability_threshold(double p) {
    if (!(p > 0)) return 0;
    if (p >= 1) return 1ULL << 32;
    return static_cast<std::uint64_t>(std::llround(p * threshold_scale));
}

CitizenCounts step_citizens(CitizenPopulation& citizens, const CitizenTables& tables, const StepKeys& keys) {
    const std::size_t n = citizens.size();
    const std::size_t F = citizens.faction_count;
    const std::size_t columns = F + 1;
    const std::size_t C = citizens.community_count;
    CitizenCounts counts(citizens.block_count(), F);

    const std::uint8_t* const state0 = citizens.state[static_cast<std::size_t>(citizens.current)].data();
    const std::uint8_t* const loyalty0 = citizens.loyalty[static_cast<std::size_t>(citizens.current)].data();
    const std::uint8_t* const timer0 = citizens.timer[static_cast<std::size_t>(citizens.current)].data();
    std::uint8_t* const state1 = citizens.state[static_cast<std::size_t>(1 - citizens.current)].data();
    std::uint8_t* const loyalty1 = citizens.loyalty[static_cast<std::size_t>(1 - citizens.current)].data();
    std::uint8_t* const timer1 = citizens.timer[static_cast<std::size_t>(1 - citizens.current)].data();
    const std::uint8_t* const hardship = citizens.hardship.data();
    const std::uint8_t* const risk_aversion = citizens.risk_aversion.data();
    const std::uint8_t* const nationalism = citizens.nationalism.data();
    const std::uint64_t revise = tables.revise;
    const float threshold = tables.threshold;
    const float fighter_threshold = tables.fighter_threshold;
    const auto terms = static_cast<std::uint64_t>(tables.max_detention_weeks) + 1;

    const r123::Philox4x64::key_type key{{keys.seed, keys.replicate}};
    const auto purpose = static_cast<std::uint64_t>(engine::Purpose::citizens);

    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, agents_per_task), [&](const tbb::blocked_range<std::size_t>& r) {
        r123::Philox4x64 philox;
        std::vector<std::uint32_t> local(citizen_state_count * columns);
        // The block holding the chunk's first agent; blocks are contiguous and ordered.
        std::size_t b = static_cast<std::size_t>(
            std::upper_bound(citizens.block_begin.begin(), citizens.block_begin.end(), r.begin()) -
            citizens.block_begin.begin()) - 1;
        std::size_t i = r.begin();
        r123::Philox4x64::ctr_type draws{};
        std::size_t drawn_quad = ~std::size_t{0};
        while (i < r.end()) {
            const std::size_t segment_end = std::min<std::size_t>(r.end(), citizens.block_begin[b + 1]);
            if (i == segment_end) {
                ++b;
                continue;
            }
            const std::size_t d = b / C;
            const float g = tables.grievance[b];
            const float risk = tables.risk[d];
            const std::uint64_t arrest = tables.arrest[d];
            const std::uint64_t displace = tables.displace[b];
            const std::uint64_t come_back = tables.come_back[b];
            const std::uint16_t hostile_below = tables.hostile_below[b];
            const std::uint64_t* const choice = tables.choice.data() + b * 2 * columns;
            const std::uint64_t* const defect = tables.defect.data() + d * F;
            std::fill(local.begin(), local.end(), 0U);
            for (; i < segment_end; ++i) {
                if ((i >> 2) != drawn_quad) {
                    drawn_quad = i >> 2;
                    draws = philox(r123::Philox4x64::ctr_type{{keys.week, purpose, drawn_quad, 0}}, key);
                }
                const std::uint64_t bits = draws.v[i & 3];
                const auto ua = static_cast<std::uint32_t>(bits);
                const auto ub = static_cast<std::uint32_t>(bits >> 32);
                const std::uint8_t st = state0[i];
                std::uint8_t loyal = loyalty0[i];
                std::uint8_t next = st;
                std::uint8_t term = 0;
                if (st == detained) {
                    // Released when the term runs out, back home and quiet, with the same loyalty.
                    if (timer0[i] > 0) {
                        term = static_cast<std::uint8_t>(timer0[i] - 1);
                    } else {
                        next = quiet;
                    }
                } else if (st == displaced) {
                    if (ua < come_back) next = quiet;
                } else {
                    // Loyalty: reconsider (a draw below `revise`), or follow the fighters who realign.
                    if (ub < revise) {
                        const std::uint64_t* row = choice + (nationalism[i] < hostile_below ? columns : 0);
                        std::size_t k = 0;
                        while (ub >= row[k]) ++k;
                        loyal = k == F ? no_faction : static_cast<std::uint8_t>(k);
                    } else if (loyal != no_faction && ub - revise < defect[loyal]) {
                        loyal = tables.defect_to[loyal];
                    }
                    // Detention of last week's actives, else displacement, else Epstein's rule A.
                    const std::uint64_t arrested = (st == supporter || st == fighter) ? arrest : 0;
                    if (ua < arrested) {
                        next = detained;
                        // Given ua < arrested, ua is uniform on [0, arrested): a uniform term.
                        term = static_cast<std::uint8_t>((static_cast<std::uint64_t>(ua) * terms) / arrested);
                    } else if (ua - arrested < displace) {
                        next = displaced;
                    } else if (loyal != no_faction && tables.opposition[loyal] != 0) {
                        const float net = (static_cast<float>(hardship[i]) + 0.5F) * g -
                                          (static_cast<float>(risk_aversion[i]) + 0.5F) * risk;
                        next = net > fighter_threshold ? fighter : (net > threshold ? supporter : quiet);
                    } else {
                        next = quiet;
                    }
                }
                state1[i] = next;
                loyalty1[i] = loyal;
                timer1[i] = term;
                ++local[next * columns + (loyal == no_faction ? F : loyal)];
            }
            // Integer sums: exact whatever the order in which tasks add them.
            std::uint64_t* const out = counts.n.data() + b * citizen_state_count * columns;
            for (std::size_t k = 0; k < local.size(); ++k) {
                if (local[k] != 0) std::atomic_ref<std::uint64_t>(out[k]).fetch_add(local[k], std::memory_order_relaxed);
            }
        }
    });
    citizens.current = 1 - citizens.current;
    return counts;
}

CitizenCounts count_citizens(const CitizenPopulation& citizens) {
    const std::size_t F = citizens.faction_count;
    CitizenCounts counts(citizens.block_count(), F);
    const auto& state = citizens.state[static_cast<std::size_t>(citizens.current)];
    const auto& loyalty = citizens.loyalty[static_cast<std::size_t>(citizens.current)];
    for (std::size_t b = 0; b < citizens.block_count(); ++b) {
        for (std::uint64_t i = citizens.block_begin[b]; i < citizens.block_begin[b + 1]; ++i) {
            const std::size_t column = loyalty[i] == no_faction ? F : loyalty[i];
            ++counts.at(b, static_cast<CitizenState>(state[i]), column);
        }
    }
    return counts;
}

}  // namespace iraqsim::agents
