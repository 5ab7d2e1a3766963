#include "iraqsim/model/us_troops.hpp"

#include <algorithm>

#include "iraqsim/core/error.hpp"
#include "iraqsim/model/troop_plan.hpp"
#include "iraqsim/world/embedded_data.hpp"

namespace iraqsim::model {

TroopSeries::TroopSeries(std::vector<Point> points) : points_(std::move(points)) {
    if (points_.empty()) throw core::ModelError("US troop series: no data points");
    for (std::size_t i = 1; i < points_.size(); ++i) {
        if (!(points_[i].day > points_[i - 1].day)) {
            throw core::ModelError("US troop series: dates are not strictly increasing");
        }
    }
}

TroopSeries TroopSeries::from_embedded_data() {
    std::vector<Point> points;
    for (const auto& m : world::data::us_troops_monthly()) {
        // The level is "at the end of the month": its last day.
        const core::Date next_month = m.month == 12 ? core::Date{m.year + 1, 1, 1} : core::Date{m.year, m.month + 1, 1};
        const core::Date end_of_month = next_month.plus_days(-1);
        points.push_back({static_cast<double>(core::days_since_origin(end_of_month)), m.us_troops});
    }
    return TroopSeries(std::move(points));
}

double TroopSeries::at(const core::Date& date) const {
    const auto day = static_cast<double>(core::days_since_origin(date));
    if (day <= points_.front().day) return points_.front().troops;
    if (day >= points_.back().day) return points_.back().troops;
    const auto next = std::upper_bound(points_.begin(), points_.end(), day,
                                       [](double d, const Point& p) { return d < p.day; });
    const Point& b = *next;
    const Point& a = *(next - 1);
    const double w = (day - a.day) / (b.day - a.day);
    return a.troops + w * (b.troops - a.troops);
}

void update_us_troops(const TroopPlan& plan, int week, world::State& next) {
    next.us_troops = plan.troops.row(week).transpose();
    next.us_posture = plan.posture.row(week).transpose();
}

}  // namespace iraqsim::model
