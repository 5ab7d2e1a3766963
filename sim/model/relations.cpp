#include "iraqsim/model/relations.hpp"

#include <algorithm>

#include "iraqsim/model/loyalty_forces.hpp"

namespace iraqsim::model {

Relations::Relations(const world::Roster& r) : roster(&r) {
    const auto C = static_cast<Eigen::Index>(r.community_count());
    const auto F = static_cast<Eigen::Index>(r.faction_count());
    if (const auto gov = r.find_faction("government")) government = static_cast<Eigen::Index>(gov->index());
    if (const auto s = r.find_sponsor("us")) us = static_cast<Eigen::Index>(s->index());
    if (const auto s = r.find_sponsor("iran")) iran = static_cast<Eigen::Index>(s->index());
    if (const auto f = r.find_faction("aqi")) aqi = static_cast<Eigen::Index>(f->index());
    if (const auto c = r.find_community("sunni_arab")) sunni_arab = static_cast<Eigen::Index>(c->index());
    auto aims_at = [&](Eigen::Index a, Eigen::Index b) {
        const auto& aimed = r.factions[static_cast<std::size_t>(a)].violence_targets;
        return std::any_of(aimed.begin(), aimed.end(), [b](const world::ViolenceTarget& t) {
            return t.kind == world::ViolenceTarget::Kind::faction && static_cast<Eigen::Index>(t.index) == b && t.weight > 0;
        });
    };
    targets.setConstant(F, F, false);
    for (Eigen::Index a = 0; a < F; ++a)
        for (const world::ViolenceTarget& t : r.factions[static_cast<std::size_t>(a)].violence_targets) {
            if (t.kind == world::ViolenceTarget::Kind::faction) targets(a, static_cast<Eigen::Index>(t.index)) = true;
            if (t.kind == world::ViolenceTarget::Kind::community && (one_sided_killers.empty() || one_sided_killers.back() != a))
                one_sided_killers.push_back(a);
        }
    hostile.resize(F, F);
    for (Eigen::Index f = 0; f < F; ++f)
        for (Eigen::Index g = 0; g < F; ++g) hostile(f, g) = f != g && (aims_at(f, g) || aims_at(g, f));
    base.setConstant(C, F, false);
    for (Eigen::Index f = 0; f < F; ++f)
        for (world::CommunityId c : r.factions[static_cast<std::size_t>(f)].community_base) base(static_cast<Eigen::Index>(c.index()), f) = true;
    fights_security_forces.resize(static_cast<std::size_t>(F));
    for (std::size_t f = 0; f < r.faction_count(); ++f) fights_security_forces[f] = model::fights_security_forces(r, f) ? 1 : 0;
    resists_us.resize(static_cast<std::size_t>(F));
    for (std::size_t f = 0; f < r.faction_count(); ++f) {
        const auto& aimed = r.factions[f].violence_targets;
        resists_us[f] = !r.factions[f].splinter_of && std::any_of(aimed.begin(), aimed.end(), [](const world::ViolenceTarget& t) {
            return t.kind == world::ViolenceTarget::Kind::us_forces && t.weight > 0;
        });
    }
}

}  // namespace iraqsim::model
