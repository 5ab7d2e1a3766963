#include "iraqsim/agents/epstein_ensemble.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

namespace iraqsim::agents {

EpsteinValidationResult run_validation(const EpsteinValidation& validation, bool check_invariants,
                                       const std::function<void()>& on_run_done) {
    EpsteinValidationResult result;
    const auto seeds = static_cast<std::size_t>(validation.seeds);
    for (std::size_t s = 0; s < seeds; ++s) result.seeds.push_back(validation.seed + s);
    const std::size_t arms = validation.arms.size();
    result.arms.resize(arms);
    for (EpsteinArmResult& arm : result.arms) {
        arm.runs.resize(seeds);
        arm.metrics.resize(seeds);
    }
    // Every arm runs seed s with the same key, so arms differ only by their parameters (common
    // random numbers: the same citizens start on the same cells).
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, arms * seeds, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t job = r.begin(); job != r.end(); ++job) {
            const std::size_t a = job / seeds, s = job % seeds;
            const EpsteinParams& params = validation.arms[a].params;
            EpsteinArmResult& arm = result.arms[a];
            arm.runs[s] = run_epstein(params, result.seeds[s], 0, check_invariants);
            arm.metrics[s] = measure_run(arm.runs[s], validation.metrics, params.width * params.height);
            if (on_run_done) on_run_done();
        }
    });
    for (std::size_t a = 0; a < arms; ++a) {
        result.arms[a].summary = summarise_arm(validation.arms[a].name, result.arms[a].metrics);
    }
    return result;
}

}  // namespace iraqsim::agents
