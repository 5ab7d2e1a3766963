// assassination_campaign: a faction's death squads against another's commanders, members and
// community figures. What one week of killing does to the state, and in paired replicates what a
// campaign does to its target (fewer fighters, a weaker leadership that splits more easily) and
// to the civilian death toll.
#include <catch2/catch.hpp>

#include "../support/policy_run.hpp"
#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/assassination.hpp"
#include "iraqsim/model/forces.hpp"
#include "iraqsim/policy/actions.hpp"
#include "iraqsim/world/state.hpp"

using namespace iraqsim;
using core::Date;
using scenario::Value;
using test::faction_index;
using test::iraq;
using test::province_index;
using test::sponsor_index;

namespace {

scenario::Event campaign(std::vector<std::pair<std::string, Value>> extra, Date date = Date{2006, 7, 6}) {
    std::vector<std::pair<std::string, Value>> fields{{"faction", std::string("isci")}, {"target", std::string("jam")}};
    for (auto& f : extra) fields.push_back(std::move(f));
    return test::policy_event("squads", "assassination_campaign", date, std::move(fields));
}

struct Week {
    world::State next;
    model::Levers levers;
};

// One week of the campaign on a state where ISCI and JAM both hold Baghdad in strength.
Week one_week(const scenario::Event& e, double isci_compliance = 0) {
    const world::Roster& r = iraq();
    world::State prev = world::make_initial_state(r);
    const auto baghdad = static_cast<Eigen::Index>(r.find_province("baghdad")->index());
    const auto isci = static_cast<Eigen::Index>(faction_index("isci")), jam = static_cast<Eigen::Index>(faction_index("jam"));
    prev.militia(baghdad, isci) = 20000;
    prev.militia(baghdad, jam) = 20000;
    Week w{prev, model::Levers(r.faction_count())};
    w.next.fighters_killed.setZero();
    w.next.fighters_detained.setZero();
    w.next.civilians_killed_by.setZero();
    w.next.civilians_killed_one_sided.setZero(prev.militia.rows(), prev.militia.cols());
    w.levers.compliance(isci) = isci_compliance;
    policy::compile_action(e, r)(w.levers, prev, 5);
    const Eigen::ArrayXd armed = Eigen::ArrayXd::Ones(static_cast<Eigen::Index>(r.faction_count()));
    model::update_assassinations(r, prev, w.next, w.levers, armed, model::ViolenceParams{},
                                 engine::StepContext(1, 0, 5, Date{2006, 7, 6}), nullptr);
    return w;
}

}  // namespace

TEST_CASE("death squads kill the target's members and its community's figures, and its cohesion falls with its commanders",
          "[policy][assassination]") {
    const auto isci = static_cast<Eigen::Index>(faction_index("isci")), jam = static_cast<Eigen::Index>(faction_index("jam"));
    const auto P = static_cast<Eigen::Index>(iraq().province_count());
    const auto shia = static_cast<Eigen::Index>(iraq().find_community("shia_arab")->index());
    const auto baghdad = static_cast<Eigen::Index>(iraq().find_province("baghdad")->index());
    const Week w = one_week(campaign({{"provinces", std::vector<std::string>{"baghdad"}}, {"squad_share", 0.5},
                                      {"kills_per_squad_week", 0.01}, {"civilian_share", 0.5}, {"leader_share", 0.2},
                                      {"fighters_per_leader", 50.0}}));
    // 10,000 in squads, reach 20,000 / 20,500: about 98 killings, half of them civilians.
    const double members = w.next.fighters_killed(baghdad, jam);
    const double civilians = w.next.civilians_killed_by(shia * P + baghdad, isci);
    CHECK(members + civilians == Approx(97.6).margin(35));
    CHECK(civilians == Approx(std::round(0.5 * (members + civilians))));
    CHECK(w.next.civilians_killed_one_sided(baghdad, isci) == civilians);
    CHECK(w.next.fighters_killed.col(jam).sum() == members);  // only where the campaign runs
    CHECK(w.next.fighters_killed.col(isci).sum() == 0);
    // Commanders: 0.2 of the members killed, of JAM's fighters / 50.
    const double commanders = world::make_initial_state(iraq()).militia.col(jam).sum() - world::make_initial_state(iraq()).militia(baghdad, jam) + 20000;
    CHECK(w.levers.cohesion_loss(jam) == Approx(0.2 * members / (commanders / 50)));
    CHECK(w.levers.cohesion(static_cast<std::size_t>(jam), 0.35) == Approx(0.35 * (1 - w.levers.cohesion_loss(jam))));
    CHECK(w.levers.cohesion_loss(isci) == 0);
}

TEST_CASE("squads holding fire kill no one, and killing civilians only leaves the leadership intact", "[policy][assassination]") {
    const auto jam = static_cast<Eigen::Index>(faction_index("jam"));
    const Week held = one_week(campaign({{"squad_share", 0.5}}), 1.0);
    CHECK(held.next.fighters_killed.sum() == 0);
    CHECK(held.next.civilians_killed_by.sum() == 0);
    const Week figures = one_week(campaign({{"squad_share", 0.5}, {"civilian_share", 1.0}}));
    CHECK(figures.next.fighters_killed.sum() == 0);
    CHECK(figures.next.civilians_killed_by.sum() > 0);
    CHECK(figures.levers.cohesion_loss(jam) == 0);
}

TEST_CASE("lost cohesion recovers over the campaign's recovery time", "[policy][assassination]") {
    model::Levers levers(iraq().faction_count());
    const auto jam = static_cast<Eigen::Index>(faction_index("jam"));
    levers.cohesion_loss(jam) = 0.4;
    levers.cohesion_recovery_weeks(jam) = 10;
    const world::State state = world::make_initial_state(iraq());
    for (int week = 1; week <= 10; ++week) levers.advance(iraq(), state, engine::StepContext(1, 0, week, Date{2007, 1, 4}));
    CHECK(levers.cohesion_loss(jam) == Approx(0.4 * std::pow(0.9, 10)));
}

TEST_CASE("an ISCI campaign against JAM leaves JAM fewer fighters while it runs, the Special Groups a larger share of "
          "the Sadrists' fighters, and more Shia civilians dead, in every paired replicate",
          "[policy][assassination][engine]") {
    const std::vector<std::string> vars{"militia", "civilian_deaths_by"};
    const Date start{2006, 6, 1}, end{2007, 6, 28};
    const auto base = test::run_policy(start, end, {}, vars);
    const auto hunted = test::run_policy(
        start, end,
        {campaign({{"squad_share", 0.2}, {"kills_per_squad_week", 0.05}, {"leader_share", 0.5}, {"duration_weeks", 52.0}})}, vars);
    const std::size_t F = iraq().faction_count(), jam = faction_index("jam"), sg = faction_index("special_groups"), isci = faction_index("isci");
    auto fighters = [&](const test::PolicyRun& r, std::size_t f, std::size_t week) {
        return test::sum_per_replicate(r, 0, week, week + 1, [&](std::size_t i) { return i % F == f; });
    };
    auto by_isci = [&](const test::PolicyRun& r) { return test::sum_per_replicate(r, 1, 0, 60, [&](std::size_t i) { return i % F == isci; }); };
    // JAM's count while the campaign runs (week 40 of 52): once it ends, JAM regrows towards what its
    // supporters can field, and a year on the two runs can be level.
    const auto jam0 = fighters(base, jam, 40), jam1 = fighters(hunted, jam, 40);
    const auto jam_end0 = fighters(base, jam, 55), jam_end1 = fighters(hunted, jam, 55);
    const auto sg0 = fighters(base, sg, 55), sg1 = fighters(hunted, sg, 55);
    const auto k0 = by_isci(base), k1 = by_isci(hunted);
    for (std::size_t r = 0; r < jam0.size(); ++r) {
        INFO("replicate " << r << ": JAM " << jam0[r] << " -> " << jam1[r] << ", Special Groups " << sg0[r] << " -> " << sg1[r]
                          << ", killed by ISCI " << k0[r] << " -> " << k1[r]);
        CHECK(jam1[r] < jam0[r]);
        // The leaders killed lower JAM's cohesion, so more of its men split off; the Special Groups'
        // own number also depends on the smaller parent they split from, so their share is what rises.
        CHECK(sg1[r] / (jam_end1[r] + sg1[r]) > sg0[r] / (jam_end0[r] + sg0[r]));
        CHECK(k1[r] > k0[r]);
    }
}
