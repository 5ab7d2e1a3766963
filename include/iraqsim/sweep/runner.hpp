// Running a sweep's runs. Run i belongs to worker i mod W, whether the W workers are one local
// process, MPI ranks or job-array tasks; within a worker the runs spread over TBB threads. Every
// run's data depends only on the plan and its index, so any split gives the same data.
//
// The sweep directory holds the resolved sweep (sweep.toml and base.toml, which `--stitch` and
// `--resume` read back), shards/ (each worker's shard and journal per session) and sweep.h5.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "iraqsim/sweep/plan.hpp"
#include "iraqsim/sweep/shard.hpp"

namespace iraqsim::sweep {

struct Worker {
    std::int64_t index = 0;
    std::int64_t count = 1;

    [[nodiscard]] bool owns(std::int64_t run) const { return run % count == index; }
};

// Creates the directory (its parent must exist) and writes the resolved sweep into it, or checks
// that the sweep it already holds is this one (core::IoError if not).
void prepare_directory(const Plan& plan, const std::filesystem::path& dir);

// The plan of the sweep a directory holds (its sweep.toml and base.toml).
Plan load_directory_plan(const std::filesystem::path& dir);

// Which runs the journals in the directory record as complete.
std::vector<bool> completed_runs(const Plan& plan, const std::filesystem::path& dir);

struct WorkerSettings {
    int threads = 0;  // 0: all cores
    bool check_invariants = false;
    bool resume = false;  // skip completed runs; without it, a worker refuses a directory holding its runs
    int session = 0;      // 0: the next free session number
    FailureInjection failure;
    std::function<void()> on_run_done;  // once per finished run, from worker threads
};

struct WorkerResult {
    std::int64_t runs_done = 0;
    std::int64_t runs_skipped = 0;  // already complete (resume)
    std::filesystem::path shard;    // empty when there was nothing to do
};

WorkerResult run_worker(const Plan& plan, const std::filesystem::path& dir, Worker worker, const WorkerSettings& settings);

}  // namespace iraqsim::sweep
