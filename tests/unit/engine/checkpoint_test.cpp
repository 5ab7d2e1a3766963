// Checkpoint and restart (engine/checkpoint.hpp): a run stopped at a checkpoint and resumed gives
// exactly the series of an uninterrupted run, in aggregate and agents mode; damaged, truncated and
// foreign checkpoints are refused with the file's name.
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../support/small_run.hpp"
#include "../support/temp_dir.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/checkpoint.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/scenario/loader.hpp"

using namespace iraqsim;

namespace {

// Seven months over the surge's start (events fire, triggers watch), 2 replicates.
scenario::Scenario short_scenario(bool agents, std::uint64_t seed = 3) {
    std::vector<std::string> sets{"scenario.start=2006-12-07", "scenario.end=2007-07-05", "scenario.replicates=2",
                                  "scenario.seed=" + std::to_string(seed), "output.incidents=true"};
    if (agents) {
        sets.emplace_back("population.mode=agents");
        sets.emplace_back("population.persons_per_agent=2000");
    }
    return scenario::load_scenario(std::nullopt, sets);
}

engine::EnsembleSettings settings_of(const scenario::Scenario& s, int threads) {
    engine::EnsembleSettings settings;
    settings.seed = s.seed;
    settings.replicates = s.replicates;
    settings.threads = threads;
    settings.check_invariants = true;
    return settings;
}

// Every variable every other week, and the incident log.
output::RecordSpec recorded() {
    output::RecordSpec spec = test::all_variables(2);
    spec.incidents = true;
    return spec;
}

engine::Checkpoint fresh_checkpoint(const scenario::Scenario& s, int every_weeks) {
    engine::Checkpoint c;
    c.run = {s.source, s.text, "out.h5", s.replicates, every_weeks, true};
    c.replicates.resize(static_cast<std::size_t>(s.replicates));
    return c;
}

void require_same(const engine::EnsembleResult& a, const engine::EnsembleResult& b) {
    REQUIRE(a.replicates.size() == b.replicates.size());
    for (std::size_t r = 0; r < a.replicates.size(); ++r) {
        CHECK(a.replicates[r].values == b.replicates[r].values);  // exact float equality
        CHECK(engine::series_fingerprint(a.replicates[r]) == engine::series_fingerprint(b.replicates[r]));
        CHECK(a.replicates[r].incidents.size() == b.replicates[r].incidents.size());
        CHECK(a.replicates[r].policy_log.size() == b.replicates[r].policy_log.size());
    }
}

// Runs with checkpoints every `every` weeks, stopped after `stop` (the file is kept), then resumes
// from the file (re-read, as `iraqsim resume` does) on `threads` threads.
engine::EnsembleResult stop_and_resume(const scenario::Scenario& s, const std::filesystem::path& file, int every,
                                       int stop, int threads) {
    const auto model = engine::compile_model(s, s.world);
    const auto spec = recorded();
    const bool agents = s.population.mode == scenario::PopulationMode::agents;
    {
        engine::Checkpointer checkpointer(file, fresh_checkpoint(s, every), agents, model.week_count, stop);
        const auto stopped = engine::run_ensemble(model, spec, settings_of(s, 1), nullptr, &checkpointer);
        REQUIRE(stopped.stopped);
    }
    engine::Checkpoint saved = engine::read_checkpoint(file);
    REQUIRE(saved.replicates.size() == 2);
    for (const auto& r : saved.replicates) {
        CHECK(r.progress == engine::ReplicateProgress::in_progress);
        CHECK(r.week == stop);
        CHECK(r.citizens.has_value() == agents);
    }
    const scenario::Scenario restored = engine::checkpoint_scenario(saved.run, file);
    CHECK(restored.text == s.text);
    engine::Checkpointer checkpointer(file, std::move(saved), agents, model.week_count, 0);
    return engine::run_ensemble(model, spec, settings_of(s, threads), nullptr, &checkpointer);
}

// A checkpoint file of a run stopped after week `stop`, every variable every week.
void write_stopped(const scenario::Scenario& s, const std::filesystem::path& file, int stop) {
    const auto model = engine::compile_model(s, s.world);
    const bool agents = s.population.mode == scenario::PopulationMode::agents;
    engine::Checkpointer checkpointer(file, fresh_checkpoint(s, 0), agents, model.week_count, stop);
    REQUIRE(engine::run_ensemble(model, test::all_variables(), settings_of(s, 1), nullptr, &checkpointer).stopped);
}

}  // namespace

TEST_CASE("a run stopped at a checkpoint and resumed equals the uninterrupted run, aggregate mode", "[checkpoint]") {
    const auto s = short_scenario(false);
    const auto model = engine::compile_model(s, s.world);
    const auto whole = engine::run_ensemble(model, recorded(), settings_of(s, 1));
    REQUIRE_FALSE(whole.replicates[0].policy_log.empty());
    REQUIRE_FALSE(whole.replicates[0].incidents.empty());
    test::TempDir dir;
    require_same(whole, stop_and_resume(s, dir / "run.checkpoint", 4, 13, 2));
}

TEST_CASE("a run stopped at a checkpoint and resumed equals the uninterrupted run, agents mode", "[checkpoint]") {
    const auto s = short_scenario(true);
    const auto model = engine::compile_model(s, s.world);
    const auto whole = engine::run_ensemble(model, recorded(), settings_of(s, 1));
    test::TempDir dir;
    require_same(whole, stop_and_resume(s, dir / "run.checkpoint", 5, 12, 1));
    // At 2 threads, and stopped at an odd week that is also a checkpoint week.
    require_same(whole, stop_and_resume(s, dir / "again.checkpoint", 3, 9, 2));
}

TEST_CASE("a checkpoint holding finished replicates gives their series back", "[checkpoint]") {
    const auto s = short_scenario(false);
    const auto model = engine::compile_model(s, s.world);
    const auto spec = recorded();
    test::TempDir dir;
    const auto file = dir / "run.checkpoint";
    engine::Checkpointer checkpointer(file, fresh_checkpoint(s, 10), false, model.week_count, 0);
    const auto whole = engine::run_ensemble(model, spec, settings_of(s, 1), nullptr, &checkpointer);
    engine::Checkpoint saved = engine::read_checkpoint(file);
    for (const auto& r : saved.replicates) CHECK(r.progress == engine::ReplicateProgress::done);
    engine::Checkpointer again(file, std::move(saved), false, model.week_count, 0);
    require_same(whole, engine::run_ensemble(model, spec, settings_of(s, 1), nullptr, &again));
    again.remove_file();
    CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("damaged checkpoints are refused with the file's name", "[checkpoint]") {
    const auto s = short_scenario(true);
    test::TempDir dir;
    const auto file = dir / "run.checkpoint";
    write_stopped(s, file, 6);
    const std::string bytes = test::read_bytes(file);
    auto refused = [&](const std::string& damaged, const std::string& why) {
        const auto bad = dir / "bad.checkpoint";
        test::write_bytes(bad, damaged);
        CHECK_THROWS_AS(engine::read_checkpoint(bad), core::IoError);
        CHECK_THROWS_WITH(engine::read_checkpoint(bad), Catch::Matchers::Contains(bad.string()) && Catch::Matchers::Contains(why));
    };
    SECTION("truncated") {
        refused(bytes.substr(0, bytes.size() / 2), "truncated or corrupt");
        refused(bytes.substr(0, bytes.size() - 1), "truncated or corrupt");
        refused(bytes.substr(0, 10), "truncated or corrupt");
    }
    SECTION("a flipped byte") {
        std::string damaged = bytes;
        damaged[damaged.size() * 2 / 3] ^= 0x10;
        refused(damaged, "truncated or corrupt");
    }
    SECTION("another format version") {
        std::string damaged = bytes;
        damaged[std::string("iraqsim checkpoint\n").size()] ^= 0x7f;
        refused(damaged, "format version");
    }
    SECTION("not a checkpoint") { refused("[scenario]\nname = \"x\"\n", "not an iraqsim checkpoint"); }
    SECTION("missing") {
        CHECK_THROWS_AS(engine::read_checkpoint(dir / "none"), core::IoError);
        CHECK_THROWS_WITH(engine::read_checkpoint(dir / "none"), Catch::Matchers::Contains("none"));
    }
}

TEST_CASE("a checkpoint resumed under another model is refused, not silently continued", "[checkpoint]") {
    const auto s = short_scenario(false);
    test::TempDir dir;
    const auto file = dir / "run.checkpoint";
    write_stopped(s, file, 8);
    // The same file, resumed with a model whose replay differs (another seed stands for another build).
    const auto other = short_scenario(false, 4);
    const auto other_model = engine::compile_model(other, other.world);
    engine::Checkpointer checkpointer(file, engine::read_checkpoint(file), false, other_model.week_count, 0);
    CHECK_THROWS_WITH(engine::run_ensemble(other_model, test::all_variables(), settings_of(other, 1), nullptr, &checkpointer),
                      Catch::Matchers::Contains("differs from the run that wrote it"));
    // Agents mode expected, aggregate checkpoint given.
    const auto agents = short_scenario(true);
    const auto agents_model = engine::compile_model(agents, agents.world);
    engine::Checkpointer mismatched(file, engine::read_checkpoint(file), true, agents_model.week_count, 0);
    CHECK_THROWS_WITH(engine::run_ensemble(agents_model, test::all_variables(), settings_of(agents, 1), nullptr, &mismatched),
                      Catch::Matchers::Contains("has no citizens"));
}
