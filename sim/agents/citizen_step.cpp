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

namespace {

// One block's citizens in [begin, end): the per-citizen work. Everything it reads is passed as a
// plain value or a restrict pointer, so that the one-byte stores (which may alias anything in
// C++) do not force the compiler to reload the tables after every citizen, and the rule is written
// without data-dependent branches where the outcome varies from citizen to citizen.
struct Segment {
    const std::uint8_t* __restrict state0;
    const std::uint8_t* __restrict loyalty0;
    const std::uint8_t* __restrict timer0;
    std::uint8_t* __restrict state1;
    std::uint8_t* __restrict loyalty1;
    std::uint8_t* __restrict timer1;
    const std::uint8_t* __restrict hardship;
    const std::uint8_t* __restrict risk_aversion;
    const std::uint8_t* __restrict nationalism;
    const std::uint64_t* __restrict choice;      // the block's two rows
    const std::uint64_t* __restrict defect;      // the district's row, by loyalty column (none: 0)
    const std::uint8_t* __restrict defect_to;    // by loyalty column
    const std::uint8_t* __restrict opposition;   // by loyalty column (none: 0)
    // Counts [lane][state * columns + column], four lanes by citizen index mod 4 so that
    // consecutive citizens with the same state and loyalty do not wait on one counter.
    std::uint32_t* __restrict local;
    std::uint64_t revise, arrest, displace, come_back, terms;
    float g, risk, threshold, fighter_threshold;
    std::uint16_t hostile_below;
    std::size_t F, columns;
};

// The loyalty column of a loyalty byte: the faction, or F for none.
inline std::size_t column_of(std::uint8_t loyal, std::size_t F) { return loyal == no_faction ? F : loyal; }

void step_segment(const Segment& s, std::size_t begin, std::size_t end, std::uint64_t week, std::uint64_t purpose,
                  const r123::Philox4x64::key_type& key) {
    r123::Philox4x64 philox;
    r123::Philox4x64::ctr_type draws{};
    std::size_t drawn_quad = ~std::size_t{0};
    const std::size_t F = s.F, columns = s.columns;
    for (std::size_t i = begin; i < end; ++i) {
        if ((i >> 2) != drawn_quad) {
            drawn_quad = i >> 2;
            draws = philox(r123::Philox4x64::ctr_type{{week, purpose, drawn_quad, 0}}, key);
        }
        const std::uint64_t bits = draws.v[i & 3];
        const std::uint64_t ua = static_cast<std::uint32_t>(bits);
        const std::uint64_t ub = bits >> 32;
        const std::uint8_t st = s.state0[i];
        std::uint8_t loyal = s.loyalty0[i];
        std::uint8_t next;
        std::uint8_t term = 0;
        if (st == detained) {
            // Released when the term runs out, back home and quiet, with the same loyalty.
            const std::uint8_t left = s.timer0[i];
            next = left > 0 ? detained : quiet;
            term = left > 0 ? static_cast<std::uint8_t>(left - 1) : 0;
        } else if (st == displaced) {
            next = ua < s.come_back ? quiet : displaced;
        } else {
            // Loyalty: reconsider (a draw below `revise`), or follow the fighters who realign.
            std::size_t column = column_of(loyal, F);
            if (ub < s.revise) {
                const std::uint64_t* row = s.choice + (s.nationalism[i] < s.hostile_below ? columns : 0);
                std::size_t k = 0;
                while (ub >= row[k]) ++k;
                column = k;
            } else if (ub - s.revise < s.defect[column]) {
                column = column_of(s.defect_to[column], F);
            }
            loyal = column == F ? no_faction : static_cast<std::uint8_t>(column);
            // Detention of last week's actives, else displacement, else Epstein's rule A. When
            // ua < arrested, ua - arrested wraps to a huge value, so `away` is false.
            const std::uint64_t arrested = (st == supporter || st == fighter) ? s.arrest : 0;
            const bool caught = ua < arrested;
            const bool away = ua - arrested < s.displace;
            const float net = (static_cast<float>(s.hardship[i]) + 0.5F) * s.g -
                              (static_cast<float>(s.risk_aversion[i]) + 0.5F) * s.risk;
            const auto level = static_cast<std::uint8_t>(
                s.opposition[column] * (static_cast<int>(net > s.threshold) + static_cast<int>(net > s.fighter_threshold)));
            next = caught ? detained : (away ? displaced : level);
            // Given ua < arrested, ua is uniform on [0, arrested): a uniform term.
            if (caught) term = static_cast<std::uint8_t>((ua * s.terms) / arrested);
        }
        s.state1[i] = next;
        s.loyalty1[i] = loyal;
        s.timer1[i] = term;
        ++s.local[(i & 3) * citizen_state_count * columns + next * columns + column_of(loyal, F)];
    }
}

}  // namespace

CitizenCounts step_citizens(CitizenPopulation& citizens, const CitizenTables& tables, const StepKeys& keys) {
    const std::size_t n = citizens.size();
    const std::size_t F = citizens.faction_count;
    const std::size_t columns = F + 1;
    const std::size_t C = citizens.community_count;
    CitizenCounts counts(citizens.block_count(), F);
    const auto now = static_cast<std::size_t>(citizens.current), then = 1 - now;

    // Per-column copies of the per-faction tables, with none as column F.
    std::vector<std::uint8_t> opposition(columns, 0), defect_to(columns, no_faction);
    for (std::size_t f = 0; f < F; ++f) {
        opposition[f] = tables.opposition[f];
        defect_to[f] = tables.defect_to[f];
    }
    std::vector<std::uint64_t> defect(citizens.district_count * columns, 0);
    for (std::size_t d = 0; d < citizens.district_count; ++d)
        for (std::size_t f = 0; f < F; ++f) defect[d * columns + f] = tables.defect[d * F + f];

    const r123::Philox4x64::key_type key{{keys.seed, keys.replicate}};
    const auto purpose = static_cast<std::uint64_t>(engine::Purpose::citizens);

    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, agents_per_task), [&](const tbb::blocked_range<std::size_t>& r) {
        constexpr std::size_t lanes = 4;
        const std::size_t cells = citizen_state_count * columns;
        std::vector<std::uint32_t> local(lanes * cells);
        Segment s{citizens.state[now].data(), citizens.loyalty[now].data(), citizens.timer[now].data(),
                  citizens.state[then].data(), citizens.loyalty[then].data(), citizens.timer[then].data(),
                  citizens.hardship.data(), citizens.risk_aversion.data(), citizens.nationalism.data(),
                  nullptr, nullptr, defect_to.data(), opposition.data(), local.data(),
                  tables.revise, 0, 0, 0, static_cast<std::uint64_t>(tables.max_detention_weeks) + 1,
                  0.0F, 0.0F, tables.threshold, tables.fighter_threshold, 0, F, columns};
        // The block holding the chunk's first agent; blocks are contiguous and ordered.
        std::size_t b = static_cast<std::size_t>(
            std::upper_bound(citizens.block_begin.begin(), citizens.block_begin.end(), r.begin()) -
            citizens.block_begin.begin()) - 1;
        for (std::size_t i = r.begin(); i < r.end(); ++b) {
            const std::size_t segment_end = std::min<std::size_t>(r.end(), citizens.block_begin[b + 1]);
            if (i == segment_end) continue;
            const std::size_t d = b / C;
            s.g = tables.grievance[b];
            s.risk = tables.risk[d];
            s.arrest = tables.arrest[d];
            s.displace = tables.displace[b];
            s.come_back = tables.come_back[b];
            s.hostile_below = tables.hostile_below[b];
            s.choice = tables.choice.data() + b * 2 * columns;
            s.defect = defect.data() + d * columns;
            std::fill(local.begin(), local.end(), 0U);
            step_segment(s, i, segment_end, keys.week, purpose, key);
            i = segment_end;
            // Integer sums: exact whatever the order in which tasks add them.
            std::uint64_t* const out = counts.n.data() + b * citizen_state_count * columns;
            for (std::size_t k = 0; k < cells; ++k) {
                const std::uint64_t sum = std::uint64_t{local[k]} + local[cells + k] + local[2 * cells + k] + local[3 * cells + k];
                if (sum != 0) std::atomic_ref<std::uint64_t>(out[k]).fetch_add(sum, std::memory_order_relaxed);
            }
        }
    });
    citizens.current = static_cast<int>(then);
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
