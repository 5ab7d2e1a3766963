// Checkpoint and restart (docs/agents.md, "Checkpoint and restart"): `iraqsim run --checkpoint-every
// N` keeps one file holding, for each replicate, either its finished series, or how far it got, or
// nothing yet; `iraqsim resume FILE` continues and writes the same output as an uninterrupted run.
//
// An unfinished replicate keeps its week, a fingerprint of what it had recorded and, in agents
// mode, the citizens (citizen_checkpoint.hpp). The aggregate core is not saved but replayed from
// week 0: it is deterministic and takes well under a second for the whole period, and replaying
// re-derives everything a run carries besides the world state (the policies in force, conditional
// triggers, the recorded series, the policy log) without a serialiser for each that would fall out
// of date as policies are added. In agents mode the replay writes the citizens' logged loyalty
// instead of stepping them. The fingerprint then checks that the replay reproduced the run that
// wrote the file (the same build and model): a mismatch is an error, never a silently different run.
//
// The file is rewritten whole at each checkpoint, atomically (temporary file, fsync, rename), and
// ends with a hash of its bytes, so a truncated or corrupt file is rejected with its name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "iraqsim/agents/citizen_checkpoint.hpp"
#include "iraqsim/engine/simulation.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace iraqsim::engine {

// Bumped whenever the layout changes; a file of another version is refused.
inline constexpr std::uint32_t checkpoint_format_version = 1;

// What a checkpoint says of the run as a whole.
struct CheckpointRun {
    std::string scenario_source;  // scenario::Scenario::source
    std::string scenario_text;    // the resolved scenario (scenario::Scenario::text)
    std::string output;           // the file the run is to write
    std::int64_t replicates = 1;
    std::int32_t every_weeks = 0;  // checkpoint interval
    bool check_invariants = false;
};

enum class ReplicateProgress : std::uint8_t { not_started = 0, in_progress = 1, done = 2 };

struct ReplicateCheckpoint {
    ReplicateProgress progress = ReplicateProgress::not_started;
    int week = -1;                      // in progress: the last week simulated
    std::uint64_t series_fingerprint = 0;  // in progress: of the series recorded up to `week`
    std::optional<agents::CitizenCheckpoint> citizens;  // in progress, agents mode
    output::ReplicateSeries series;     // done
    // Where the replicate's record lies in the file, to copy it when another replicate rewrites it.
    std::uint64_t offset = 0, length = 0;
};

struct Checkpoint {
    CheckpointRun run;
    std::vector<ReplicateCheckpoint> replicates;
};

// Reads a checkpoint whole. Throws core::IoError naming the file if it cannot be read, is not a
// checkpoint, has another format version, or is truncated or corrupt.
Checkpoint read_checkpoint(const std::filesystem::path& path);

// The scenario a checkpoint was written for (its resolved text, loaded as `iraqsim run` would).
scenario::Scenario checkpoint_scenario(const CheckpointRun& run, const std::filesystem::path& path);

// A hash of everything a replicate has recorded so far.
std::uint64_t series_fingerprint(const output::ReplicateSeries& series);

// Keeps the checkpoint file of one ensemble; run_ensemble asks it for each replicate's hooks.
// Thread-safe: replicates running in parallel write the file in turn.
class Checkpointer {
public:
    // `stop_at_week` > 0 stops every replicate after that week (and its checkpoint), so that a long
    // run can be split into jobs of limited wall time; 0 runs to the end. `state` holds the
    // replicates' progress: all not started for a new run, or a checkpoint read to resume from.
    Checkpointer(std::filesystem::path path, Checkpoint state, bool agents_mode, int week_count, int stop_at_week);

    // The series of replicate r when the checkpoint holds it finished (moved out), else nothing.
    std::optional<output::ReplicateSeries> take_finished(std::size_t r);
    // Hooks for replicate r: replay up to its checkpoint (checking the fingerprint), then write a
    // checkpoint every `every_weeks` weeks and at the stop week.
    RunHooks hooks(std::size_t r);
    // Records replicate r finished (its series) in the file.
    void finish(std::size_t r, const output::ReplicateSeries& series);
    // Deletes the file (after the output is written: a finished run needs no restart).
    void remove_file();

private:
    // Rewrites the file with replicate r's record from `write_record` and the others' copied from
    // the file as it was.
    void rewrite(std::size_t r, const std::function<void(core::BinaryWriter&)>& write_record);

    std::filesystem::path path_;
    Checkpoint state_;
    bool agents_mode_;
    int week_count_;
    int stop_at_week_;
    bool file_exists_ = false;  // whether path_ holds this run's checkpoint (records to copy)
    std::mutex mutex_;
};

}  // namespace iraqsim::engine
