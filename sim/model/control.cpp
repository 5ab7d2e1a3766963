#include "iraqsim/model/control.hpp"

namespace iraqsim::model {

// Column by column (the arrays are column-major [province, faction]): no row temporaries.
Eigen::ArrayXXd control_balance(const world::Roster& roster, const world::State& state, const Eigen::ArrayXd& armed,
                                const ControlParams& params) {
    const Eigen::ArrayXXd support = world::support_by_province(roster, state);
    const auto P = state.militia.rows(), F = state.militia.cols();
    const Eigen::ArrayXd mean_support = support.rowwise().sum() / static_cast<double>(F);
    Eigen::ArrayXXd strength(P, F);
    for (Eigen::Index f = 0; f < F; ++f) {
        for (Eigen::Index p = 0; p < P; ++p) {
            const double relative = mean_support(p) > 0 ? support(p, f) / mean_support(p) : 1.0;
            strength(p, f) = state.militia(p, f) * armed(f) * (1.0 - params.support_weight + params.support_weight * relative);
        }
    }
    const Eigen::ArrayXd total = strength.rowwise().sum();
    for (Eigen::Index f = 0; f < F; ++f)
        for (Eigen::Index p = 0; p < P; ++p)
            if (total(p) > 0) strength(p, f) /= total(p);
    return strength;
}

void update_control(const world::Roster& roster, const world::State& prev, world::State& next, const Eigen::ArrayXd& armed,
                    const ControlParams& params) {
    const Eigen::ArrayXXd balance = control_balance(roster, next, armed, params);
    const Eigen::ArrayXd balance_total = balance.rowwise().sum();
    const Eigen::ArrayXd held = prev.control.rowwise().sum();
    for (Eigen::Index f = 0; f < balance.cols(); ++f) {
        for (Eigen::Index p = 0; p < balance.rows(); ++p) {
            // No force anywhere: control stays; a province no one held moves straight to the balance.
            if (balance_total(p) <= 0) {
                next.control(p, f) = prev.control(p, f);
            } else {
                next.control(p, f) = held(p) > 0 ? prev.control(p, f) + params.rate * (balance(p, f) - prev.control(p, f)) : balance(p, f);
            }
        }
    }
}

}  // namespace iraqsim::model
