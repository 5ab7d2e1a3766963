// Citizen agents: the population of Iraq as individuals (docs/agents.md, "Citizen agents").
//
// State is structure-of-arrays in one-byte fields. Citizens are stored sorted by home district and
// community, so both are implied by an agent's position (a block per district and community)
// rather than stored per agent. Each field is stored once and updated in place: a citizen's step
// reads only its own fields and the week's tables (built beforehand from last week's counts), never
// another citizen's, so the update is synchronous without a second buffer, and a citizen whose
// state and loyalty do not change is not written at all.
#pragma once

#include <cstdint>
#include <vector>

namespace iraqsim::agents {

enum class CitizenState : std::uint8_t { quiet = 0, supporter = 1, fighter = 2, detained = 3, displaced = 4 };
inline constexpr std::size_t citizen_state_count = 5;

// Loyalty byte of a citizen who supports no faction.
inline constexpr std::uint8_t no_faction = 0xFF;
// Factions a loyalty byte can name (0xFF is "none"; the counts keep one column per faction + none).
inline constexpr std::size_t max_citizen_factions = 64;

// Parameters of the citizens' rules. Each gives default, unit, range and scenario key; rationale
// and sources in docs/agents.md, "Parameters".
struct CitizenParams {
    // Epstein's threshold T: a citizen turns active (supporter) when grievance - net risk > T.
    // Default 0.1 (Epstein 2002, all runs), range [0, 1]; key population.threshold.
    double threshold = 0.1;
    // Net grievance above which an active citizen takes up arms (fighter) rather than only
    // supporting. Assumption (default 0.4, range [0, 1]; key population.fighter_threshold).
    double fighter_threshold = 0.4;
    // Epstein's k in P = 1 - exp(-k C / A): 2.3 makes P = 0.9 at one member of the security
    // forces per active. Default 2.3, range [0, 100]; key population.arrest_constant.
    double arrest_constant = 2.3;
    // Detentions a week per 1,000 members of the security forces (US troops and Iraqi forces),
    // shared among the district's actives (Epstein's rule C, one arrest per cop per step, scaled to
    // a week). Default 1, range [0, 1000]; key population.arrests_per_1000_forces.
    double arrests_per_1000_forces = 1.0;
    // Detention term drawn uniformly from 0 .. max_detention_weeks, plus the week of arrest.
    // Default 104 (a mean of about a year), range [0, 255]; key population.max_detention_weeks.
    int max_detention_weeks = 104;
    // Weekly probability that a citizen at home reconsiders its loyalty. Default 0.1, range
    // [0, 1]; key population.revision_rate.
    double revision_rate = 0.1;
    // Weight of the district's other citizens: log-odds added per unit change of a faction's
    // share of the district since week 0. Default 1, range [0, 50]; key population.conformity.
    double conformity = 1.0;
};

struct CitizenPopulation {
    std::size_t district_count = 0;
    std::size_t community_count = 0;
    std::size_t faction_count = 0;
    double persons_per_agent = 1;
    // Block b = district * community_count + community holds agents [block_begin[b], block_begin[b + 1]).
    std::vector<std::uint64_t> block_begin;
    // Province of each district. [district]
    std::vector<std::uint16_t> district_province;

    // Static traits, quantised: value = (q + 0.5) / 256.
    std::vector<std::uint8_t> hardship;       // Epstein's H, perceived hardship, U(0, 1)
    std::vector<std::uint8_t> risk_aversion;  // Epstein's R, U(0, 1)
    // Rank of the citizen's nationalism in its community: the citizen is hostile to foreign
    // backers when its rank is below the community's nationalism share (state.nationalism).
    std::vector<std::uint8_t> nationalism;

    // Changing fields.
    std::vector<std::uint8_t> state;    // CitizenState
    std::vector<std::uint8_t> loyalty;  // faction index or no_faction
    std::vector<std::uint8_t> timer;    // weeks of detention left (0 unless detained)

    [[nodiscard]] std::size_t size() const { return hardship.size(); }
    [[nodiscard]] std::size_t block_count() const { return block_begin.size() - 1; }
    // Bytes of state per agent (static traits + the changing fields).
    [[nodiscard]] static constexpr std::size_t bytes_per_agent() { return 3 + 3; }
};

// Integer counts of citizens after a step: [block][state][loyalty column], the loyalty column
// being the faction index or faction_count for none. Sums over threads are exact.
struct CitizenCounts {
    std::size_t block_count = 0;
    std::size_t faction_count = 0;
    std::vector<std::uint64_t> n;

    CitizenCounts() = default;
    CitizenCounts(std::size_t blocks, std::size_t factions)
        : block_count(blocks), faction_count(factions), n(blocks * citizen_state_count * (factions + 1), 0) {}

    [[nodiscard]] std::size_t columns() const { return faction_count + 1; }
    [[nodiscard]] std::uint64_t& at(std::size_t block, CitizenState s, std::size_t column) {
        return n[(block * citizen_state_count + static_cast<std::size_t>(s)) * columns() + column];
    }
    [[nodiscard]] std::uint64_t at(std::size_t block, CitizenState s, std::size_t column) const {
        return n[(block * citizen_state_count + static_cast<std::size_t>(s)) * columns() + column];
    }
    // Citizens of the block in a state, over every loyalty.
    [[nodiscard]] std::uint64_t in_state(std::size_t block, CitizenState s) const;
    // Citizens of the block at home (not displaced) with the loyalty column.
    [[nodiscard]] std::uint64_t at_home(std::size_t block, std::size_t column) const;
    [[nodiscard]] std::uint64_t total() const;
};

}  // namespace iraqsim::agents
