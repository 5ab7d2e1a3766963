#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/engine/step_context.hpp"
#include "iraqsim/model/loyalty.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

#include "../support/iraq_world.hpp"

using iraqsim::test::ix;
using iraqsim::core::Date;
using iraqsim::engine::StepContext;
using iraqsim::model::build_diffusion_operator;
using iraqsim::model::DiffusionOperator;
using iraqsim::model::LoyaltyParams;
using iraqsim::model::update_loyalty;
using iraqsim::world::iraq_roster;
using iraqsim::world::make_initial_state;
using iraqsim::world::Roster;
using iraqsim::world::State;
using SparseRow = Eigen::SparseMatrix<double, Eigen::RowMajor>;

namespace {

StepContext context(int week, std::uint64_t seed = 1, std::uint64_t replicate = 0) {
    return StepContext(seed, replicate, week, Date{2003, 5, 1}.plus_days(7 * week));
}

// One step: next is prev with the loyalty this step writes.
State stepped(const State& prev, const DiffusionOperator& op, const LoyaltyParams& params, const StepContext& ctx) {
    State next = prev;
    update_loyalty(prev, next, op, params, ctx);
    return next;
}

std::set<std::size_t> neighbours_of(const Roster& roster, std::size_t p) {
    std::set<std::size_t> out;
    for (const auto& a : roster.adjacency) {
        if (a.a.index() == p) out.insert(a.b.index());
        if (a.b.index() == p) out.insert(a.a.index());
    }
    return out;
}

// Three provinces in a row, 0 - 1 - 2; Kurds live in 0 and 2 but not in the middle one.
Roster line_roster() {
    Roster r;
    r.communities = {{"shia_arab", "Shia Arab"}, {"sunni_arab", "Sunni Arab"}, {"kurd", "Kurd"}, {"other", "Other"}};
    auto province = [](const char* id, std::vector<double> shares) {
        iraqsim::world::Province p;
        p.id = id;
        p.display_name = id;
        p.population_2007 = 1000;
        p.community_share = std::move(shares);
        p.border_km_with_sponsor = {0, 0, 0, 0};
        return p;
    };
    r.provinces = {province("west", {0.5, 0.0, 0.5, 0.0}), province("middle", {0.6, 0.4, 0.0, 0.0}),
                   province("east", {0.2, 0.0, 0.8, 0.0})};
    r.adjacency = {{iraqsim::core::ProvinceId{0}, iraqsim::core::ProvinceId{1}, 10.0},
                   {iraqsim::core::ProvinceId{1}, iraqsim::core::ProvinceId{2}, 30.0}};
    return r;
}

void require_valid_loyalty(const State& s) {
    for (Eigen::Index row = 0; row < s.loyalty.rows(); ++row) {
        for (Eigen::Index f = 0; f < s.loyalty.cols(); ++f) {
            const double v = s.loyalty(row, f);
            INFO("row " << row << " faction " << f << " value " << v);
            REQUIRE(std::isfinite(v));
            REQUIRE(v >= 0.0);
            REQUIRE(v <= 1.0);
        }
        INFO("row " << row);
        REQUIRE(s.loyalty.row(row).sum() <= 1.0 + 1e-12);
    }
}

}  // namespace

TEST_CASE("the diffusion operator is row-stochastic for every community", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    REQUIRE(op.by_community.size() == roster.community_count());
    const auto P = ix(roster.province_count());
    for (std::size_t c = 0; c < op.by_community.size(); ++c) {
        const SparseRow& w = op.by_community[c];
        INFO("community " << roster.communities[c].id);
        REQUIRE(w.rows() == P);
        REQUIRE(w.cols() == P);
        for (Eigen::Index p = 0; p < P; ++p) {
            double sum = 0;
            for (SparseRow::InnerIterator it(w, p); it; ++it) {
                CHECK(it.value() >= 0.0);
                sum += it.value();
            }
            CHECK(sum == Approx(1.0).margin(1e-12));
        }
    }
}

TEST_CASE("diffusion weights follow the border and where the community lives", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    for (std::size_t c = 0; c < roster.community_count(); ++c) {
        const Eigen::MatrixXd w = Eigen::MatrixXd(op.by_community[c]);
        for (std::size_t p = 0; p < roster.province_count(); ++p) {
            const auto neighbours = neighbours_of(roster, p);
            bool any_neighbour_with_community = false;
            for (std::size_t q : neighbours) any_neighbour_with_community |= roster.provinces[q].community_share[c] > 0;
            INFO(roster.communities[c].id << " in " << roster.provinces[p].id);
            for (std::size_t q = 0; q < roster.province_count(); ++q) {
                const double weight = w(ix(p), ix(q));
                if (!any_neighbour_with_community) {
                    CHECK(weight == (q == p ? 1.0 : 0.0));  // self-loop only
                } else if (neighbours.count(q) == 0 || roster.provinces[q].community_share[c] <= 0) {
                    CHECK(weight == 0.0);
                } else {
                    CHECK(weight > 0.0);
                }
            }
        }
    }
}

TEST_CASE("a province with no Kurdish neighbour keeps a Kurdish self-loop only", "[model][loyalty]") {
    const Roster roster = line_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    REQUIRE(op.by_community.size() == 4);
    const Eigen::MatrixXd kurd = Eigen::MatrixXd(op.by_community[2]);
    // West and east border only the middle province, where no Kurds live.
    CHECK(kurd(0, 0) == 1.0);
    CHECK(kurd(0, 1) == 0.0);
    CHECK(kurd(0, 2) == 0.0);
    CHECK(kurd(2, 2) == 1.0);
    CHECK(kurd(2, 0) == 0.0);
    CHECK(kurd(2, 1) == 0.0);
    // The middle province hears both sides, weighted by border km times Kurdish share.
    const double west = 10.0 * 0.5, east = 30.0 * 0.8;
    CHECK(kurd(1, 1) == 0.0);
    CHECK(kurd(1, 0) == Approx(west / (west + east)).epsilon(1e-14));
    CHECK(kurd(1, 2) == Approx(east / (west + east)).epsilon(1e-14));

    // Sunni Arabs live only in the middle: its row is a self-loop, and the others listen to it.
    const Eigen::MatrixXd sunni = Eigen::MatrixXd(op.by_community[1]);
    CHECK(sunni(1, 1) == 1.0);
    CHECK(sunni(0, 1) == 1.0);
    CHECK(sunni(2, 1) == 1.0);

    // Shia Arabs live everywhere: weights are plain border-times-share proportions.
    const Eigen::MatrixXd shia = Eigen::MatrixXd(op.by_community[0]);
    CHECK(shia(0, 1) == 1.0);
    CHECK(shia(1, 0) == Approx(10.0 * 0.5 / (10.0 * 0.5 + 30.0 * 0.2)).epsilon(1e-14));
}

TEST_CASE("a loyalty field equal in every province is a fixed point of diffusion", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    State prev = make_initial_state(roster);
    for (Eigen::Index f = 0; f < prev.loyalty.cols(); ++f) prev.loyalty.col(f).setConstant(0.015 * static_cast<double>(f + 1));
    const LoyaltyParams params{0.3, 0.0};
    const State next = stepped(prev, op, params, context(1));
    CHECK((next.loyalty - prev.loyalty).abs().maxCoeff() < 1e-15);
}

TEST_CASE("with no diffusion and no noise loyalty is unchanged", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    const State prev = make_initial_state(roster);
    State next = prev;
    next.loyalty.setConstant(0.5);  // stale values must be overwritten
    update_loyalty(prev, next, op, LoyaltyParams{0.0, 0.0}, context(3));
    CHECK((next.loyalty == prev.loyalty).all());
}

TEST_CASE("diffusion without noise is (1 - d) x + d W x", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    const State prev = make_initial_state(roster);
    const double d = 0.25;
    const State next = stepped(prev, op, LoyaltyParams{d, 0.0}, context(2));
    const auto P = ix(roster.province_count());
    for (std::size_t c = 0; c < roster.community_count(); ++c) {
        const Eigen::MatrixXd x = prev.loyalty.middleRows(ix(c) * P, P).matrix();
        const Eigen::MatrixXd expected = (1.0 - d) * x + d * (Eigen::MatrixXd(op.by_community[c]) * x);
        const Eigen::MatrixXd got = next.loyalty.middleRows(ix(c) * P, P).matrix();
        INFO("community " << roster.communities[c].id);
        CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-14);
    }
    // The initial state is not uniform, so diffusion moves something.
    CHECK((next.loyalty - prev.loyalty).abs().maxCoeff() > 1e-6);
}

TEST_CASE("diffusion contracts differences between neighbours", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    State prev = make_initial_state(roster);
    const auto P = ix(roster.province_count());
    const auto shia = ix(roster.find_community("shia_arab")->index());
    const auto isci = ix(roster.find_faction("isci")->index());
    // A gradient over provinces; Shia Arabs live in every province but the Kurdish three.
    for (Eigen::Index p = 0; p < P; ++p) prev.loyalty(shia * P + p, isci) = 0.8 * static_cast<double>(p) / static_cast<double>(P - 1);
    const auto column = [&](const State& s) { return s.loyalty.block(shia * P, isci, P, 1); };
    State s = prev;
    double spread = column(s).maxCoeff() - column(s).minCoeff();
    for (int week = 1; week <= 5; ++week) {
        const State next = stepped(s, op, LoyaltyParams{0.5, 0.0}, context(week));
        const double new_spread = column(next).maxCoeff() - column(next).minCoeff();
        INFO("week " << week);
        CHECK(column(next).maxCoeff() <= column(s).maxCoeff() + 1e-15);
        CHECK(column(next).minCoeff() >= column(s).minCoeff() - 1e-15);
        CHECK(new_spread < spread);
        spread = new_spread;
        s = next;
    }
    CHECK(spread < 0.8 * 0.9);
}

TEST_CASE("500 noisy diffusion steps keep loyalty on the simplex", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    const State initial = make_initial_state(roster);
    State s = initial;
    const LoyaltyParams params{0.2, 0.3};
    for (int week = 1; week <= 500; ++week) s = stepped(s, op, params, context(week, 99, 1));
    require_valid_loyalty(s);
    CHECK((s.loyalty - initial.loyalty).abs().maxCoeff() > 1e-3);
}

TEST_CASE("noise keeps a zero share exactly zero", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    const State initial = make_initial_state(roster);
    const auto P = ix(roster.province_count());
    const auto awakening = ix(roster.find_faction("awakening")->index());
    const auto kurdish = ix(roster.find_faction("kurdish_parties")->index());
    const auto shia = ix(roster.find_community("shia_arab")->index());
    REQUIRE((initial.loyalty.col(awakening) == 0.0).all());
    State s = initial;
    for (int week = 1; week <= 50; ++week) s = stepped(s, op, LoyaltyParams{0.05, 0.2}, context(week));
    CHECK((s.loyalty.col(awakening) == 0.0).all());
    CHECK((s.loyalty.block(shia * P, kurdish, P, 1) == 0.0).all());
    CHECK((s.loyalty != initial.loyalty).any());
}

TEST_CASE("noise leaves rows of communities with no residents alone", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    const State prev = make_initial_state(roster);
    const auto P = ix(roster.province_count());
    const auto kurd = ix(roster.find_community("kurd")->index());
    const auto shia = ix(roster.find_community("shia_arab")->index());
    const auto maysan = ix(roster.find_province("maysan")->index());
    REQUIRE(prev.residents(maysan, kurd) == 0.0);
    const State next = stepped(prev, op, LoyaltyParams{0.0, 0.3}, context(4));
    CHECK((next.loyalty.row(kurd * P + maysan) == prev.loyalty.row(kurd * P + maysan)).all());
    CHECK((next.loyalty.row(shia * P + maysan) != prev.loyalty.row(shia * P + maysan)).any());
}

TEST_CASE("noise is a function of the step context", "[model][loyalty]") {
    const Roster& roster = iraq_roster();
    const DiffusionOperator op = build_diffusion_operator(roster);
    const State prev = make_initial_state(roster);
    const LoyaltyParams params{0.01, 0.05};
    const State a = stepped(prev, op, params, context(10, 5, 2));
    const State b = stepped(prev, op, params, context(10, 5, 2));
    CHECK((a.loyalty == b.loyalty).all());
    const State other_week = stepped(prev, op, params, context(11, 5, 2));
    const State other_seed = stepped(prev, op, params, context(10, 6, 2));
    const State other_replicate = stepped(prev, op, params, context(10, 5, 3));
    CHECK((a.loyalty != other_week.loyalty).any());
    CHECK((a.loyalty != other_seed.loyalty).any());
    CHECK((a.loyalty != other_replicate.loyalty).any());
    require_valid_loyalty(a);
    require_valid_loyalty(other_week);
}
