// Running and stitching: the same data whatever the split (threads, workers, sessions), a resumed
// sweep equal to an uninterrupted one, and a stitch that refuses missing or damaged shards.
#include <catch2/catch.hpp>

#include <hdf5.h>

#include <fstream>

#include "../support/small_run.hpp"
#include "../support/temp_dir.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/sweep/runner.hpp"
#include "iraqsim/sweep/stitch.hpp"

using namespace iraqsim;
namespace fs = std::filesystem;
namespace h5 = output::h5;

namespace {

// 3 points x 2 replicates over 12 weeks of 2007.
const char* const small_sweep = R"([sweep]
replicates = 2
seed = 5
design = "latin_hypercube"
points = 3
set = ["scenario.start=2007-01-04", "scenario.end=2007-03-22"]
variables = ["support", "us_troops"]
every_weeks = 2

[[parameter]]
key = "model.loyalty.opinion_noise"
min = 0.0
max = 0.05

[[parameter]]
key = "event.surge_2007.date"
min = 2007-01-04
max = 2007-03-01
)";

sweep::Plan small_plan() {
    sweep::Diagnostics d;
    sweep::SweepSpec spec = sweep::parse_sweep_spec(small_sweep, "small.toml", d);
    REQUIRE(d.empty());
    return sweep::make_plan(std::move(spec));
}

// Every numeric dataset of a file, read whole (through the virtual datasets).
std::map<std::string, std::vector<double>> read_data(const fs::path& path) {
    h5::Handle file = h5::open_file_read_only(path.string());
    std::map<std::string, std::vector<double>> out;
    for (const char* name : {"support", "us_troops", "summary", "unit_sample", "seed", "model.loyalty.opinion_noise",
                             "event.surge_2007.date"}) {
        h5::Handle ds(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, name);
        std::size_t n = 1;
        for (hsize_t d : h5::dataset_shape(ds)) n *= static_cast<std::size_t>(d);
        std::vector<double> values(n);
        h5::read_all(ds, H5T_NATIVE_DOUBLE, values.data());
        out[name] = values;
    }
    return out;
}

sweep::WorkerSettings with_threads(int threads, bool resume = false) {
    sweep::WorkerSettings s;
    s.threads = threads;
    s.resume = resume;
    return s;
}

fs::path run_whole(const sweep::Plan& plan, const fs::path& dir, int threads) {
    sweep::prepare_directory(plan, dir);
    sweep::run_worker(plan, dir, {}, with_threads(threads));
    return sweep::stitch(plan, dir, false).file;
}

}  // namespace

TEST_CASE("A sweep gives the same data on 1 or 2 threads and split over 2 workers", "[sweep][runner]") {
    test::TempDir tmp;
    const sweep::Plan plan = small_plan();
    const auto one = read_data(run_whole(plan, tmp / "one", 1));
    const auto two = read_data(run_whole(plan, tmp / "two", 2));
    CHECK(one == two);

    const fs::path split = tmp / "split";
    sweep::prepare_directory(plan, split);
    const auto first = sweep::run_worker(plan, split, {1, 2}, with_threads(1));
    CHECK(first.runs_done == 3);
    CHECK_THROWS_WITH(sweep::stitch(plan, split, false), Catch::Contains("3 of 6 runs are missing") &&
                                                             Catch::Contains("worker (rank or array task) 0 of 2: 3 runs missing"));
    sweep::run_worker(plan, split, {0, 2}, with_threads(2));
    CHECK(read_data(sweep::stitch(plan, split, false).file) == one);

    // Every value is a real number, and replicates of a point differ (their streams do).
    const auto& support = one.at("support");
    CHECK(std::none_of(support.begin(), support.end(), [](double x) { return std::isnan(x); }));
    const std::size_t per_run = support.size() / 6;
    CHECK(!std::equal(support.begin(), support.begin() + static_cast<std::ptrdiff_t>(per_run),
                      support.begin() + static_cast<std::ptrdiff_t>(per_run)));
}

TEST_CASE("A resumed sweep equals an uninterrupted one - a worker refuses a directory it has run in",
          "[sweep][runner]") {
    test::TempDir tmp;
    const sweep::Plan plan = small_plan();
    const auto whole = read_data(run_whole(plan, tmp / "whole", 1));

    const fs::path dir = tmp / "cut";
    sweep::prepare_directory(plan, dir);
    const auto first = sweep::run_worker(plan, dir, {}, with_threads(1));
    // As if killed: the journal lost its last two lines, one of them torn mid-write.
    const fs::path journal = fs::path(first.shard).replace_extension(".journal");
    std::string text = test::read_bytes(journal);
    for (int i = 0; i < 3; ++i) text.pop_back(), text.erase(text.find_last_of('\n') + 1);
    text += "5 ";
    test::write_bytes(journal, text);
    CHECK(sweep::completed_runs(plan, dir) == std::vector<bool>{true, true, true, false, false, false});
    CHECK_THROWS_WITH(sweep::run_worker(plan, dir, {}, with_threads(1)), Catch::Contains("--resume"));
    const auto resumed = sweep::run_worker(plan, dir, {}, with_threads(2, true));
    CHECK(resumed.runs_skipped == 3);
    CHECK(resumed.runs_done == 3);
    CHECK(read_data(sweep::stitch(plan, dir, false).file) == whole);
    CHECK_THROWS_AS(sweep::stitch(plan, dir, false), core::IoError);  // sweep.h5 exists
    CHECK_NOTHROW(sweep::stitch(plan, dir, true));
}

TEST_CASE("The stitch names a missing, damaged or foreign shard and writes nothing", "[sweep][stitch]") {
    test::QuietHdf5 quiet;
    test::TempDir tmp;
    const sweep::Plan plan = small_plan();
    const fs::path dir = tmp / "s";
    sweep::prepare_directory(plan, dir);
    const auto result = sweep::run_worker(plan, dir, {}, with_threads(1));
    const std::string shard = "shards/" + result.shard.filename().string();

    const std::string bytes = test::read_bytes(result.shard);
    test::write_bytes(result.shard, bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_WITH(sweep::stitch(plan, dir, false), Catch::Contains(shard + " cannot be opened (short or damaged)"));
    fs::remove(result.shard);
    CHECK_THROWS_WITH(sweep::stitch(plan, dir, false),
                      Catch::Contains(shard + " is missing (its journal records 6 runs)"));
    CHECK_FALSE(fs::exists(dir / "sweep.h5"));

    // The directory belongs to its sweep: another one is refused.
    sweep::Diagnostics d;
    sweep::SweepSpec other = sweep::parse_sweep_spec(std::string(small_sweep) + "[[parameter]]\nkey = \"model.loyalty.diffusion_rate\"\nmin = 0.0\nmax = 0.1\n", "o.toml", d);
    REQUIRE(d.empty());
    CHECK_THROWS_WITH(sweep::prepare_directory(sweep::make_plan(std::move(other)), dir), Catch::Contains("holds another sweep"));
}

TEST_CASE("The directory holds the resolved sweep: --stitch reads back the same plan", "[sweep][runner]") {
    test::TempDir tmp;
    const sweep::Plan plan = small_plan();
    sweep::prepare_directory(plan, tmp.path());
    const sweep::Plan again = sweep::load_directory_plan(tmp.path());
    CHECK(again.fingerprint == plan.fingerprint);
    CHECK(again.values == plan.values);
    CHECK(again.time_days == plan.time_days);
}
