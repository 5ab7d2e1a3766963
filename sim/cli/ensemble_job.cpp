#include "ensemble_job.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/output/ensemble_file.hpp"
#include "progress.hpp"
#include "run_summary.hpp"

namespace iraqsim::cli {

output::RecordSpec record_spec(const scenario::Scenario& scenario) {
    output::RecordSpec spec;
    spec.every_weeks = scenario.output.every_weeks;
    spec.incidents = scenario.output.incidents;
    spec.compression = scenario.output.compression;
    if (scenario.output.variables.empty()) {
        for (const output::VariableDef& v : output::variable_catalogue()) spec.variables.push_back(&v);
    } else {
        for (const std::string& name : scenario.output.variables) {
            const output::VariableDef* v = output::find_variable(name);
            if (v == nullptr) throw core::ScenarioError("output.variables: unknown variable '" + name + "'");
            spec.variables.push_back(v);
        }
    }
    return spec;
}

int run_ensemble_job(const EnsembleJob& job) {
    const scenario::Scenario& scenario = job.scenario;
    const auto started = std::chrono::steady_clock::now();
    const engine::CompiledModel model = engine::compile_model(scenario, scenario.world);
    const output::RecordSpec spec = record_spec(scenario);
    engine::EnsembleResult result;
    {
        Progress progress(std::string("run ").append(scenario.name), scenario.replicates, job.quiet);
        result = engine::run_ensemble(model, spec, job.settings, [&] { progress.advance(); }, job.checkpointer);
    }
    if (result.stopped) {
        if (!job.quiet) {
            std::printf("stopped; checkpoint %s (continue with: iraqsim resume %s)\n", job.checkpoint_path.c_str(),
                        job.checkpoint_path.c_str());
        }
        return 0;
    }
    const auto simulated = std::chrono::steady_clock::now();
    {
        Progress progress(std::string("write ").append(job.output),
                          static_cast<std::int64_t>(spec.variables.size()) * scenario.replicates, job.quiet);
        output::write_ensemble_file(job.output, job.force, scenario, scenario.world, spec, result, [&] { progress.advance(); });
    }
    if (job.checkpointer) job.checkpointer->remove_file();
    const auto written = std::chrono::steady_clock::now();

    if (!job.quiet) {
        const double sim_s = std::chrono::duration<double>(simulated - started).count();
        const double total_s = std::chrono::duration<double>(written - started).count();
        print_run_summary(std::cout, scenario, scenario.world, spec, result);
        std::printf("wrote %s\n", job.output.c_str());
        std::printf("wall time %.3f s (simulation %.3f s, output %.3f s); %.0f weeks/s over %lld replicate(s)\n",
                    total_s, sim_s, total_s - sim_s, static_cast<double>(result.weeks_simulated) / sim_s,
                    static_cast<long long>(scenario.replicates));
    }
    return 0;
}

}  // namespace iraqsim::cli
