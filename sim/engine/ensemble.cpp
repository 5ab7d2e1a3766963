#include "iraqsim/engine/ensemble.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>

#include "iraqsim/engine/checkpoint.hpp"

namespace iraqsim::engine {

EnsembleResult run_ensemble(const CompiledModel& model, const output::RecordSpec& spec,
                            const EnsembleSettings& settings, const std::function<void()>& on_replicate_done,
                            Checkpointer* checkpointer) {
    EnsembleResult result;
    for (int week = 0; week < model.week_count; ++week) {
        if (spec.records(week)) {
            result.time_days.push_back(static_cast<double>(core::days_since_origin(model.start)) + 7.0 * week);
        }
    }
    const auto n = static_cast<std::size_t>(settings.replicates);
    result.replicates.resize(n);
    std::vector<PhaseTimes> times(n);
    std::atomic<bool> stopped{false};

    const int threads = settings.threads > 0 ? settings.threads : tbb::task_arena::automatic;
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t r = range.begin(); r != range.end(); ++r) {
                if (auto finished = checkpointer ? checkpointer->take_finished(r) : std::nullopt) {
                    result.replicates[r] = std::move(*finished);
                    if (on_replicate_done) on_replicate_done();
                    continue;
                }
                Simulation sim(model, settings.seed, r);
                output::Recorder recorder(spec, *model.roster, model.week_count);
                if (!sim.run(recorder, settings.check_invariants, checkpointer ? checkpointer->hooks(r) : RunHooks{})) {
                    stopped = true;
                    continue;
                }
                result.replicates[r] = recorder.take();
                if (checkpointer) checkpointer->finish(r, result.replicates[r]);
                times[r] = sim.phase_times();
                if (on_replicate_done) on_replicate_done();
            }
        });
    });
    for (const PhaseTimes& t : times) result.phase_times += t;
    result.weeks_simulated = static_cast<std::int64_t>(n) * model.week_count;
    result.stopped = stopped;
    return result;
}

}  // namespace iraqsim::engine
