#include "iraqsim/model/partition.hpp"

#include <algorithm>

namespace iraqsim::model {

void relocate_for_partition(world::State& next, PopulationFlows& flows, const Levers& levers) {
    const Eigen::Index P = next.residents.rows(), C = next.residents.cols();
    for (const Partition& partition : levers.partitions) {
        if (partition.progress <= 0) continue;
        for (Eigen::Index c = 0; c < C; ++c) {
            if (!partition.has_region[static_cast<std::size_t>(c)]) continue;
            for (Eigen::Index p = 0; p < P; ++p) {
                if (partition.region[static_cast<std::size_t>(p)] == c) continue;
                const double blocked = std::min(partition.progress * flows.returned(p, c), next.residents(p, c));
                const double leaving =
                    std::min(partition.progress * partition.relocation_per_week * (next.residents(p, c) - blocked),
                             next.residents(p, c) - blocked);
                next.residents(p, c) -= blocked + leaving;
                next.displaced(p, c) += blocked + leaving;
                flows.returned(p, c) -= blocked;
                flows.newly_displaced(p, c) += leaving;
            }
        }
    }
}

}  // namespace iraqsim::model
