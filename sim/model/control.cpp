#include "iraqsim/model/control.hpp"

namespace iraqsim::model {

Eigen::ArrayXXd control_balance(const world::Roster& roster, const world::State& state, const Eigen::ArrayXd& armed,
                                const ControlParams& params) {
    const Eigen::ArrayXXd support = world::support_by_province(roster, state);
    const auto P = state.militia.rows(), F = state.militia.cols();
    Eigen::ArrayXXd strength(P, F);
    for (Eigen::Index p = 0; p < P; ++p) {
        const double mean_support = support.row(p).sum() / static_cast<double>(F);
        for (Eigen::Index f = 0; f < F; ++f) {
            const double relative = mean_support > 0 ? support(p, f) / mean_support : 1.0;
            strength(p, f) = state.militia(p, f) * armed(f) * (1.0 - params.support_weight + params.support_weight * relative);
        }
        const double total = strength.row(p).sum();
        if (total > 0) strength.row(p) /= total;
    }
    return strength;
}

void update_control(const world::Roster& roster, const world::State& prev, world::State& next, const Eigen::ArrayXd& armed,
                    const ControlParams& params) {
    const Eigen::ArrayXXd balance = control_balance(roster, next, armed, params);
    for (Eigen::Index p = 0; p < balance.rows(); ++p) {
        if (balance.row(p).sum() <= 0) {
            next.control.row(p) = prev.control.row(p);
            continue;
        }
        // A province no one held moves straight to the balance.
        const double held = prev.control.row(p).sum();
        next.control.row(p) = held > 0 ? (prev.control.row(p) + params.rate * (balance.row(p) - prev.control.row(p))).eval()
                                       : balance.row(p).eval();
    }
}

}  // namespace iraqsim::model
