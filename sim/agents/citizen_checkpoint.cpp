#include "iraqsim/agents/citizen_checkpoint.hpp"

#include "iraqsim/agents/citizen_engine.hpp"

namespace iraqsim::agents {

void write_citizen_checkpoint(core::BinaryWriter& out, const CitizenEngine& engine, int week) {
    const CitizenPopulation& z = engine.citizens();
    out.value<std::int32_t>(week);
    out.value<std::uint64_t>(z.district_count);
    out.value<std::uint64_t>(z.community_count);
    out.value<std::uint64_t>(z.faction_count);
    out.value(z.persons_per_agent);
    out.vector(z.block_begin);
    out.vector(z.district_province);
    out.vector(z.hardship);
    out.vector(z.risk_aversion);
    out.vector(z.nationalism);
    out.vector(z.state);
    out.vector(z.loyalty);
    out.vector(z.timer);
    out.vector(engine.counts().n);
    out.array(engine.memory().forces);
    out.array(engine.memory().nationalist);
    out.vector(engine.district_share0());
    const auto& log = engine.loyalty_log();
    out.value<std::uint64_t>(log.size());
    for (const Eigen::ArrayXXd& loyalty : log) out.array(loyalty);
}

CitizenCheckpoint read_citizen_checkpoint(core::BinaryReader& in) {
    CitizenCheckpoint c;
    CitizenPopulation& z = c.citizens;
    c.week = in.value<std::int32_t>("citizens' week");
    z.district_count = in.value<std::uint64_t>("district count");
    z.community_count = in.value<std::uint64_t>("community count");
    z.faction_count = in.value<std::uint64_t>("faction count");
    z.persons_per_agent = in.value<double>("persons per agent");
    z.block_begin = in.vector<std::uint64_t>("blocks");
    z.district_province = in.vector<std::uint16_t>("district provinces");
    z.hardship = in.vector<std::uint8_t>("hardship");
    z.risk_aversion = in.vector<std::uint8_t>("risk aversion");
    z.nationalism = in.vector<std::uint8_t>("nationalism");
    z.state = in.vector<std::uint8_t>("citizens' states");
    z.loyalty = in.vector<std::uint8_t>("citizens' loyalty");
    z.timer = in.vector<std::uint8_t>("detention timers");
    const std::size_t n = z.hardship.size();
    const std::size_t blocks = z.district_count * z.community_count;
    if (c.week < 0 || z.faction_count >= max_citizen_factions || z.block_begin.size() != blocks + 1 ||
        z.block_begin.back() != n || z.district_province.size() != z.district_count || z.risk_aversion.size() != n ||
        z.nationalism.size() != n || z.state.size() != n || z.loyalty.size() != n || z.timer.size() != n)
        in.corrupt("the citizens' arrays");
    c.counts = CitizenCounts(blocks, z.faction_count);
    const std::vector<std::uint64_t> counts = in.vector<std::uint64_t>("citizen counts");
    if (counts.size() != c.counts.n.size()) in.corrupt("citizen counts");
    c.counts.n = counts;
    c.memory.forces = in.array2("memory of the forces");
    c.memory.nationalist = in.array2("memory of nationalism");
    c.district_share0 = in.vector<double>("district shares at week 0");
    const auto weeks = in.value<std::uint64_t>("loyalty log");
    if (weeks != static_cast<std::uint64_t>(c.week) + 1) in.corrupt("loyalty log");
    for (std::uint64_t w = 0; w < weeks; ++w) c.loyalty_log.push_back(in.array2("loyalty log"));
    return c;
}

}  // namespace iraqsim::agents
