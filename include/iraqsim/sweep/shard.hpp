// A worker's shard: one HDF5 file holding the runs one worker (a process: the local run, an MPI
// rank or a job-array task) does in one session, and its journal.
//
// The shard is laid out whole before any run is written: contiguous datasets, allocated and filled
// at creation, flushed and synced, so that writing a run afterwards only writes raw data at fixed
// offsets and never touches the file's metadata. A process killed at any moment (kill -9, a node
// failure) therefore leaves a shard that still opens, whose earlier runs are intact. A run counts
// only once its data is flushed and synced and a line in the journal (append, then fsync) records
// it; `--resume` and the stitch believe the journals alone.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "iraqsim/output/h5.hpp"

namespace iraqsim::sweep {

struct ShardLayout {
    std::vector<std::int64_t> runs;  // slot -> run index, increasing
    struct Variable {
        std::string name;
        std::vector<hsize_t> shape;  // of one run: [time, dims...]
        [[nodiscard]] std::size_t size() const;
    };
    std::vector<Variable> variables;
    std::size_t metric_count = 0;
};

// Test-only failure injection (docs/sweeps.md, "Testing"): the process kills itself with SIGKILL
// after committing `kill_after_runs` runs, or in the middle of writing run number
// `kill_mid_write_run` (counting from 1 in this session), after its first variable is written.
struct FailureInjection {
    std::int64_t kill_after_runs = 0;
    std::int64_t kill_mid_write_run = 0;
};

// Commits happen at most this often (and at the end): a kill loses at most this much work.
inline constexpr double commit_period_seconds = 1.0;

class ShardWriter {
public:
    // Creates `path` (and `path` with extension .journal); both must not exist.
    ShardWriter(const std::filesystem::path& path, ShardLayout layout, const std::string& fingerprint,
                FailureInjection failure = {});
    ~ShardWriter();
    ShardWriter(const ShardWriter&) = delete;
    ShardWriter& operator=(const ShardWriter&) = delete;

    // Writes one run into its slot: `series[v]` holds variable v record-major, `metrics` the
    // summary. Safe to call from any thread. Returns the number of runs committed by this call
    // (a commit is due every commit_period_seconds).
    std::int64_t write(std::size_t slot, std::span<const std::vector<float>> series, std::span<const double> metrics);
    // Flushes and syncs the shard, then journals every run written since the last commit.
    // Returns the number of runs committed.
    std::int64_t commit();

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::int64_t commit_locked();

    std::filesystem::path path_;
    ShardLayout layout_;
    FailureInjection failure_;
    std::mutex mutex_;
    output::h5::Handle file_;
    std::vector<output::h5::Handle> datasets_;  // one per variable
    output::h5::Handle summary_;
    int journal_fd_ = -1;
    std::vector<std::size_t> pending_;  // slots written, not yet committed
    std::int64_t written_ = 0;
    double last_commit_ = 0;
};

struct JournalEntry {
    std::int64_t run;
    std::int64_t slot;
};

struct Journal {
    std::filesystem::path shard;  // the .h5 the entries refer to
    std::vector<JournalEntry> entries;
};

// Every journal in a shard directory, in name order. A last line cut short by a kill is ignored.
std::vector<Journal> read_journals(const std::filesystem::path& shard_dir);

// Names: shards/s<session>-w<worker>of<workers>.h5, so that sessions and workers never collide.
std::string shard_name(int session, std::int64_t worker, std::int64_t workers);
// One more than the highest session in the directory (1 for an empty or absent one).
int next_session(const std::filesystem::path& shard_dir);

}  // namespace iraqsim::sweep
