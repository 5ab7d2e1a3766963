#include "iraqsim/agents/citizen_population.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "iraqsim/agents/citizen_step.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/random_stream.hpp"
#include "iraqsim/world/embedded_data.hpp"

namespace iraqsim::agents {
namespace {

void check_world(const world::Roster& roster) {
    const auto provinces = world::data::provinces();
    if (roster.province_count() != provinces.size()) {
        throw core::ModelError("citizen agents: the world has " + std::to_string(roster.province_count()) +
                               " provinces; districts are known only for the embedded Iraq world's " +
                               std::to_string(provinces.size()));
    }
    for (std::size_t p = 0; p < provinces.size(); ++p) {
        if (roster.provinces[p].id != provinces[p].id) {
            throw core::ModelError("citizen agents: province " + std::to_string(p) + " is '" + roster.provinces[p].id +
                                   "', the embedded world's is '" + std::string(provinces[p].id) + "'");
        }
    }
    if (roster.faction_count() >= max_citizen_factions || roster.community_count() > 255) {
        throw core::ModelError("citizen agents: at most " + std::to_string(max_citizen_factions - 1) +
                               " factions and 255 communities");
    }
}

// Splits `total` into integers proportional to `weights` by largest remainders (ties to the
// lower index), so the parts sum to `total` exactly.
std::vector<std::uint64_t> split(std::uint64_t total, const std::vector<double>& weights) {
    std::vector<std::uint64_t> parts(weights.size(), 0);
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (total == 0 || sum <= 0) {
        if (!parts.empty()) parts[0] = total;
        return parts;
    }
    std::vector<std::pair<double, std::size_t>> remainders;
    std::uint64_t given = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const double exact = static_cast<double>(total) * weights[k] / sum;
        parts[k] = static_cast<std::uint64_t>(std::floor(exact));
        given += parts[k];
        remainders.emplace_back(exact - std::floor(exact), k);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total; ++k, ++given) ++parts[remainders[k % remainders.size()].second];
    return parts;
}

}  // namespace

std::vector<std::uint64_t> allocate_citizens(const world::Roster& roster, const world::State& initial,
                                             double persons_per_agent) {
    check_world(roster);
    const auto districts = world::data::districts();
    const std::size_t D = districts.size(), C = roster.community_count();
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    std::vector<std::uint64_t> agents(D * C, 0);
    for (Eigen::Index p = 0; p < P; ++p) {
        std::vector<std::size_t> in_province;
        for (std::size_t d = 0; d < D; ++d)
            if (districts[d].province == p) in_province.push_back(d);
        for (std::size_t c = 0; c < C; ++c) {
            const auto ci = static_cast<Eigen::Index>(c);
            const double persons = initial.residents(p, ci) + initial.displaced(p, ci);
            const auto total = static_cast<std::uint64_t>(std::llround(persons / persons_per_agent));
            std::vector<double> weights;
            for (const std::size_t d : in_province) {
                const double share = c < world::data::community_count ? districts[d].community_share[c] : 0.0;
                weights.push_back(districts[d].population_2007 * share);
            }
            const std::vector<std::uint64_t> parts = split(total, weights);
            for (std::size_t k = 0; k < in_province.size(); ++k) agents[in_province[k] * C + c] = parts[k];
        }
    }
    return agents;
}

CitizenPopulation make_citizens(const world::Roster& roster, const world::State& initial, double persons_per_agent,
                       std::uint64_t seed, std::uint64_t replicate) {
    const std::vector<std::uint64_t> per_block = allocate_citizens(roster, initial, persons_per_agent);
    const auto districts = world::data::districts();
    const std::size_t C = roster.community_count(), F = roster.faction_count();
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    CitizenPopulation z;
    z.district_count = districts.size();
    z.community_count = C;
    z.faction_count = F;
    z.persons_per_agent = persons_per_agent;
    z.block_begin.assign(per_block.size() + 1, 0);
    std::partial_sum(per_block.begin(), per_block.end(), z.block_begin.begin() + 1);
    for (const auto& d : districts) z.district_province.push_back(d.province);
    const std::size_t n = z.block_begin.back();
    z.hardship.resize(n);
    z.risk_aversion.resize(n);
    z.nationalism.resize(n);
    z.state.assign(n, 0);
    z.loyalty.assign(n, no_faction);
    z.timer.assign(n, 0);

    // Per block: cumulative loyalty thresholds (factions, then none) and the displaced share.
    std::vector<std::uint64_t> loyal_cum(per_block.size() * F);
    std::vector<std::uint64_t> away(per_block.size());
    for (std::size_t b = 0; b < per_block.size(); ++b) {
        const Eigen::Index p = districts[b / C].province;
        const auto c = static_cast<Eigen::Index>(b % C);
        double cum = 0;
        for (std::size_t f = 0; f < F; ++f) {
            cum += initial.loyalty(c * P + p, static_cast<Eigen::Index>(f));
            loyal_cum[b * F + f] = probability_threshold(cum);
        }
        const double people = initial.residents(p, c) + initial.displaced(p, c);
        away[b] = probability_threshold(people > 0 ? initial.displaced(p, c) / people : 0.0);
    }

    auto& state = z.state;
    auto& loyalty = z.loyalty;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, per_block.size()), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b < r.end(); ++b) {
            for (std::uint64_t i = z.block_begin[b]; i < z.block_begin[b + 1]; ++i) {
                engine::RandomStream rng(seed, replicate, 0, engine::Purpose::citizen_traits, i);
                const std::uint64_t traits = rng.next_u64();
                z.hardship[i] = static_cast<std::uint8_t>(traits);
                z.risk_aversion[i] = static_cast<std::uint8_t>(traits >> 8);
                z.nationalism[i] = static_cast<std::uint8_t>(traits >> 16);
                const auto u_loyal = static_cast<std::uint32_t>(rng.next_u64() >> 32);
                std::uint8_t loyal = no_faction;
                for (std::size_t f = 0; f < F; ++f) {
                    if (u_loyal < loyal_cum[b * F + f]) {
                        loyal = static_cast<std::uint8_t>(f);
                        break;
                    }
                }
                loyalty[i] = loyal;
                const auto u_away = static_cast<std::uint32_t>(rng.next_u64() >> 32);
                state[i] = static_cast<std::uint8_t>(u_away < away[b] ? CitizenState::displaced : CitizenState::quiet);
            }
        }
    });
    return z;
}

}  // namespace iraqsim::agents
