// US troops by province: the national level is forcing (the monthly series in data/, extended to
// the December 2011 withdrawal), allocated to provinces by a documented rule (docs/model.md,
// "US troops"; docs/world.md for the data and its sources).
#pragma once

#include <vector>

#include "iraqsim/core/date.hpp"
#include "iraqsim/world/roster.hpp"
#include "iraqsim/world/state.hpp"

namespace iraqsim::model {

// The national US troop level as a function of date: end-of-month levels joined linearly, held
// at the first level before it and at the last after it.
class TroopSeries {
public:
    struct Point {
        double day;  // days since the time origin
        double troops;
    };

    explicit TroopSeries(std::vector<Point> points);
    static TroopSeries from_embedded_data();

    [[nodiscard]] double at(const core::Date& date) const;
    [[nodiscard]] const std::vector<Point>& points() const { return points_; }

private:
    std::vector<Point> points_;
};

struct TroopPlan;

// Writes next.us_troops and next.us_posture for a week from the compiled plan.
void update_us_troops(const TroopPlan& plan, int week, world::State& next);

}  // namespace iraqsim::model
