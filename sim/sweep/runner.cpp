#include "iraqsim/sweep/runner.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <fstream>
#include <sstream>

#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/simulation.hpp"
#include "iraqsim/output/atomic_output.hpp"

namespace iraqsim::sweep {
namespace fs = std::filesystem;
namespace {

constexpr const char* sweep_file_name = "sweep.toml";
constexpr const char* base_file_name = "base.toml";

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::IoError("cannot read " + path.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Worker tag in shard names ("-w0001of0004."), to find a worker's earlier shards.
std::string worker_tag(Worker worker) {
    const std::string name = shard_name(0, worker.index, worker.count);
    return name.substr(name.find('-'), name.find('.') - name.find('-') + 1);
}

ShardLayout layout_for(const Plan& plan, std::vector<std::int64_t> runs) {
    ShardLayout layout;
    layout.runs = std::move(runs);
    const world::Roster& roster = plan.base.world;
    for (const output::VariableDef* v : plan.output.variables) {
        ShardLayout::Variable variable{std::string(v->name), {static_cast<hsize_t>(plan.time_days.size())}};
        for (output::Dim d : v->dims) variable.shape.push_back(output::dim_size(d, roster));
        layout.variables.push_back(std::move(variable));
    }
    layout.metric_count = plan.metrics.size();
    return layout;
}

// One run, recorded as the plan says; the kept series (every N-th record) and the metrics.
void run_one(const Plan& plan, const engine::CompiledModel& model, std::int64_t run, const ShardLayout& layout,
             std::vector<std::vector<float>>& kept, std::vector<double>& metrics, bool check_invariants) {
    const std::int64_t point = plan.point_of(run);
    engine::Simulation simulation(model, plan.seed_of(point), static_cast<std::uint64_t>(plan.replicate_of(run)));
    output::Recorder recorder(plan.simulated, *model.roster, model.week_count);
    simulation.run(recorder, check_invariants);
    output::ReplicateSeries series = recorder.take();
    const auto stride = static_cast<std::size_t>(plan.output.every_weeks / plan.simulated.every_weeks);
    kept.resize(layout.variables.size());
    for (std::size_t v = 0; v < layout.variables.size(); ++v) {
        std::vector<float>& source = series.values[plan.output_in_simulated[v]];
        const std::size_t width = layout.variables[v].size() / plan.time_days.size();
        if (stride == 1 && plan.flows_in_simulated.empty()) {
            kept[v] = std::move(source);  // no flow reads it later
            continue;
        }
        kept[v].clear();
        for (std::size_t record = 0; (record + 1) * width <= source.size(); record += stride) {
            kept[v].insert(kept[v].end(), source.begin() + static_cast<std::ptrdiff_t>(record * width),
                           source.begin() + static_cast<std::ptrdiff_t>((record + 1) * width));
        }
    }
    std::vector<const std::vector<float>*> flows;
    for (std::size_t i : plan.flows_in_simulated) flows.push_back(&series.values[i]);
    metrics.assign(plan.metrics.size(), 0.0);
    compute_metrics(plan.metrics, *model.roster, simulation.state(), flows, metrics);
}

}  // namespace

void prepare_directory(const Plan& plan, const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
        if (!fs::is_directory(parent, ec)) {
            throw core::IoError("cannot create " + dir.string() + ": directory " + parent.string() + " does not exist");
        }
        fs::create_directory(dir, ec);  // another worker may have made it meanwhile
        if (!fs::is_directory(dir)) throw core::IoError("cannot create " + dir.string() + ": " + ec.message());
    } else if (!fs::is_directory(dir, ec)) {
        throw core::IoError("cannot use " + dir.string() + " for a sweep: it exists and is not a directory");
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) throw core::IoError("cannot write in " + dir.string() + ": not writable");
    fs::create_directories(dir / "shards", ec);
    const fs::path sweep_path = dir / sweep_file_name, base_path = dir / base_file_name;
    if (fs::exists(sweep_path) && fs::exists(base_path)) {
        if (sweep_fingerprint(read_text(sweep_path), read_text(base_path)) != plan.fingerprint) {
            throw core::IoError(dir.string() + " holds another sweep (" + sweep_path.string() +
                                "): give another -o, or the same sweep file and --set");
        }
        return;
    }
    std::error_code none;
    if (fs::exists(dir / "shards") && !fs::is_empty(dir / "shards", none)) {
        throw core::IoError(dir.string() + " holds shards but no " + sweep_file_name + ": it is not a sweep directory iraqsim can continue");
    }
    // Workers that start together write the same text, so whichever rename lands last is right.
    output::write_text_atomically(base_path, "# The base scenario of sweep '" + plan.spec.name + "', resolved from " +
                                                 plan.base.source + ".\n" + plan.base_toml, true);
    output::write_text_atomically(sweep_path, plan.sweep_toml, true);
}

Plan load_directory_plan(const fs::path& dir) {
    if (!fs::is_regular_file(dir / sweep_file_name)) {
        throw core::IoError("cannot stitch " + dir.string() + ": no " + sweep_file_name +
                            " (not a sweep directory, or no worker has started)");
    }
    return load_plan(dir / sweep_file_name, {});
}

std::vector<bool> completed_runs(const Plan& plan, const fs::path& dir) {
    std::vector<bool> done(static_cast<std::size_t>(plan.run_count()), false);
    for (const Journal& journal : read_journals(dir / "shards")) {
        for (const JournalEntry& e : journal.entries) {
            if (e.run < plan.run_count()) done[static_cast<std::size_t>(e.run)] = true;
        }
    }
    return done;
}

WorkerResult run_worker(const Plan& plan, const fs::path& dir, Worker worker, const WorkerSettings& settings) {
    if (worker.count < 1 || worker.index < 0 || worker.index >= worker.count) {
        throw core::UsageError("worker " + std::to_string(worker.index) + " of " + std::to_string(worker.count) +
                               ": the index must be in [0, count)");
    }
    WorkerResult result;
    const std::vector<bool> done = completed_runs(plan, dir);
    std::vector<std::int64_t> mine;
    for (std::int64_t run = worker.index; run < plan.run_count(); run += worker.count) {
        if (done[static_cast<std::size_t>(run)]) {
            ++result.runs_skipped;
        } else {
            mine.push_back(run);
        }
    }
    if (!settings.resume) {
        bool earlier_shard = false;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir / "shards", ec)) {
            if (entry.path().filename().string().find(worker_tag(worker)) != std::string::npos) earlier_shard = true;
        }
        if (result.runs_skipped > 0 || earlier_shard) {
            throw core::IoError(dir.string() + " already holds runs of this sweep for this worker: add --resume to "
                                "continue it, or give another -o");
        }
    }
    if (mine.empty()) return result;

    const int session = settings.session > 0 ? settings.session : next_session(dir / "shards");
    result.shard = dir / "shards" / shard_name(session, worker.index, worker.count);
    const ShardLayout layout = layout_for(plan, mine);
    ShardWriter writer(result.shard, layout, plan.fingerprint, settings.failure);

    // The worker's runs grouped by point: a point's model is compiled once for its replicates.
    std::vector<std::pair<std::int64_t, std::vector<std::size_t>>> points;
    for (std::size_t slot = 0; slot < mine.size(); ++slot) {
        const std::int64_t point = plan.point_of(mine[slot]);
        if (points.empty() || points.back().first != point) points.emplace_back(point, std::vector<std::size_t>{});
        points.back().second.push_back(slot);
    }
    tbb::task_arena arena(settings.threads > 0 ? settings.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(std::size_t{0}, points.size(), [&](std::size_t g) {
            const auto& [point, slots] = points[g];
            const scenario::Scenario scenario = point_scenario(plan, point);
            const engine::CompiledModel model = engine::compile_model(scenario, scenario.world);
            tbb::parallel_for(std::size_t{0}, slots.size(), [&](std::size_t i) {
                std::vector<std::vector<float>> kept;
                std::vector<double> metrics;
                run_one(plan, model, mine[slots[i]], layout, kept, metrics, settings.check_invariants);
                writer.write(slots[i], kept, metrics);
                if (settings.on_run_done) settings.on_run_done();
            });
        });
    });
    writer.commit();
    result.runs_done = static_cast<std::int64_t>(mine.size());
    return result;
}

}  // namespace iraqsim::sweep
