#include "iraqsim/model/observation.hpp"

namespace iraqsim::model {

void update_observation(world::State& next, const ObservationParams& params) {
    const Eigen::ArrayXd deaths = world::civilian_deaths(next);
    for (Eigen::Index p = 0; p < next.us_troops.size(); ++p) {
        const double troops = next.us_troops(p);
        const double coverage =
            params.sigact_base_coverage + (1.0 - params.sigact_base_coverage) * troops / (troops + params.sigact_half_troops);
        const double on_isf = next.attacks_by.row(p).sum() - next.attacks_on_us(p);
        next.reported_attacks(p) = coverage * (next.attacks_on_us(p) + params.sigact_isf_share * on_isf +
                                               params.sigact_per_sectarian_death * deaths(p));
        next.reported_civilian_deaths(p) = params.ibc_coverage * deaths(p);
    }
}

}  // namespace iraqsim::model
