#include "iraqsim/model/troop_plan.hpp"

#include <algorithm>
#include <cmath>

#include "iraqsim/scenario/event_fields.hpp"

namespace iraqsim::model {
namespace {

using scenario::Event;

double number(const Event& e, const std::string& name) { return scenario::event_number(e, name); }

bool has(const Event& e, const std::string& name) { return e.fields.contains(name); }

std::string text(const Event& e, const std::string& name) { return scenario::event_text(e, name); }

std::optional<core::Date> date_field(const Event& e, const std::string& name) { return scenario::event_date(e, name); }

const Event* find(const std::vector<Event>& events, const std::string& id) {
    for (const Event& e : events)
        if (e.id == id) return &e;
    return nullptr;
}

// Linear from 1 at `from` to 0 at `to`, clamped.
double fall(double day, double from, double to) {
    if (day <= from) return 1.0;
    if (day >= to) return 0.0;
    return 1.0 - (day - from) / (to - from);
}

struct Weeks {
    core::Date start;
    int count;
    [[nodiscard]] double day(int k) const { return static_cast<double>(core::days_since_origin(start)) + 7.0 * k; }
    // The first week whose start is on or after the date (count when none).
    [[nodiscard]] int index_of(const core::Date& d) const {
        const double day_of = static_cast<double>(core::days_since_origin(d));
        for (int k = 0; k < count; ++k)
            if (day(k) >= day_of) return k;
        return count;
    }
};

}  // namespace

TroopPlan build_troop_plan(const TroopSeries& data, const world::Roster& roster, const core::Date& start,
                           int week_count, const std::vector<Event>& events, const std::vector<Event>& history,
                           const TroopPolicyParams& params) {
    const Weeks weeks{start, week_count};
    const auto K = static_cast<Eigen::Index>(week_count);
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    auto data_at = [&](const core::Date& d) { return data.at(d); };

    // 1. The base level: the data without the historical surges' rise above their start level.
    Eigen::ArrayXd observed(K), base(K);
    for (int k = 0; k < week_count; ++k) observed(k) = data_at(start.plus_days(7 * static_cast<std::int64_t>(k)));
    base = observed;
    for (const Event& h : history) {
        if (h.policy != "surge" || !h.date) continue;
        const double level = data_at(*h.date);
        for (int k = weeks.index_of(*h.date); k < week_count; ++k) base(k) -= std::max(0.0, observed(k) - level);
    }

    // 2. Historical drawdowns that the scenario removes or resizes: hold the level of their date
    //    until the final withdrawal.
    const Event* final_withdrawal = nullptr;
    for (const Event& h : history)
        if (h.policy == "withdrawal" && text(h, "scope") == "all") final_withdrawal = &h;
    const int final_week = final_withdrawal && final_withdrawal->date ? weeks.index_of(*final_withdrawal->date) : week_count;
    for (const Event& h : history) {
        if (h.policy != "drawdown" || !h.date) continue;
        const Event* now = find(events, h.id);
        if (now && now->enabled && !has(*now, "target")) continue;  // history as it was
        const int k0 = weeks.index_of(*h.date);
        if (k0 >= week_count) continue;
        for (int k = k0; k < std::min(final_week, week_count); ++k) base(k) = std::max(base(k), base(k0));
    }

    // 3. Surge increments, each split over its provinces.
    // Shares may be edited in a scenario: renormalise so the provinces hold the national level.
    double share_total = 0;
    for (const world::Province& p : roster.provinces) share_total += p.us_troop_share;
    Eigen::ArrayXXd troops(K, P);
    for (Eigen::Index p = 0; p < P; ++p) {
        const double share = share_total > 0 ? roster.provinces[static_cast<std::size_t>(p)].us_troop_share / share_total
                                             : 1.0 / static_cast<double>(P);
        troops.col(p) = base * share;
    }
    Eigen::ArrayXXd posture = Eigen::ArrayXXd::Constant(K, P, params.base_posture);
    for (const Event& e : events) {
        if (!e.enabled || e.policy != "surge" || !e.date) continue;
        const auto& to = std::get<std::vector<std::string>>(e.fields.at("to"));
        const auto& split = std::get<std::vector<double>>(e.fields.at("troops"));
        double split_total = 0;
        for (double x : split) split_total += x;
        const int k0 = weeks.index_of(*e.date);
        const double ramp = number(e, "ramp_weeks"), duration = number(e, "duration_weeks");
        const double level = data_at(*e.date);
        for (int k = k0; k < week_count; ++k) {
            const double weeks_in = k - k0;
            double increment = 0;
            if (has(e, "total")) {
                const double up = std::min(1.0, weeks_in / ramp);
                const double down = std::clamp(1.0 - (weeks_in - ramp - duration) / ramp, 0.0, 1.0);
                increment = number(e, "total") * std::min(up, down);
            } else {
                increment = std::max(0.0, observed(k) - level);
            }
            const double ramp_share = std::min(1.0, weeks_in / ramp);
            for (std::size_t i = 0; i < to.size() && i < split.size(); ++i) {
                const auto p = static_cast<Eigen::Index>(roster.find_province(to[i])->index());
                if (split_total > 0) troops(k, p) += increment * split[i] / split_total;
                posture(k, p) = params.base_posture + (number(e, "posture") - params.base_posture) * ramp_share;
            }
        }
    }

    // 4. Explicit drawdowns: the whole level falls linearly to the target (surge troops included).
    for (const Event& e : events) {
        if (!e.enabled || e.policy != "drawdown" || !e.date || !has(e, "target")) continue;
        const int k0 = weeks.index_of(*e.date);
        if (k0 >= week_count) continue;
        const double from = troops.row(k0).sum(), target = number(e, "target");
        const core::Date by = date_field(e, "by").value_or(*e.date);
        for (int k = k0; k < week_count; ++k) {
            const double w = fall(weeks.day(k), static_cast<double>(core::days_since_origin(*e.date)),
                                  static_cast<double>(core::days_since_origin(by)));
            const double total = troops.row(k).sum(), cap = target + (from - target) * w;
            if (total > cap && total > 0) troops.row(k) *= cap / total;
        }
    }

    // 5. Withdrawals: out of the cities (posture), or to zero by a date; a removed historical final
    //    withdrawal holds the level of its date.
    for (const Event& e : events) {
        if (!e.enabled || e.policy != "withdrawal" || !e.date) continue;
        const int k0 = weeks.index_of(*e.date);
        if (k0 >= week_count) continue;
        if (text(e, "scope") == "cities") {
            posture.bottomRows(K - k0) = number(e, "posture");
            continue;
        }
        const Eigen::ArrayXd at_start = troops.row(k0).transpose();
        const core::Date by = date_field(e, "by").value_or(*e.date);
        for (int k = k0; k < week_count; ++k) {
            const double w = fall(weeks.day(k), static_cast<double>(core::days_since_origin(*e.date)),
                                  static_cast<double>(core::days_since_origin(by)));
            troops.row(k) = troops.row(k).min((at_start * w).transpose());
        }
    }
    for (const Event& h : history) {
        if (h.policy != "withdrawal" || text(h, "scope") != "all" || !h.date) continue;
        const Event* now = find(events, h.id);
        if (now && now->enabled) continue;
        const int k0 = weeks.index_of(*h.date);
        for (int k = k0; k < week_count; ++k) troops.row(k) = troops.row(k0);
    }
    return {std::move(troops), std::move(posture)};
}

}  // namespace iraqsim::model
