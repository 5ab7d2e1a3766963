#include <catch2/catch.hpp>

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "../support/small_run.hpp"
#include "../support/text.hpp"
#include "../support/temp_dir.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/output/ensemble_file.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace fs = std::filesystem;
namespace h5 = iraqsim::output::h5;
using iraqsim::core::Date;
using iraqsim::core::IoError;
using iraqsim::output::describe_file;
using iraqsim::output::RecordSpec;
using iraqsim::output::write_ensemble_file;
using iraqsim::test::read_bytes;
using iraqsim::test::TempDir;
using iraqsim::test::write_bytes;
using iraqsim::test::QuietHdf5;
using iraqsim::test::Run;
using iraqsim::test::small_run;
using iraqsim::test::contains;

namespace {

void write(const fs::path& target, bool force, const Run& run) {
    write_ensemble_file(target, force, run.scenario, iraqsim::world::iraq_roster(), run.spec, run.result);
}

bool has_partial(const TempDir& dir) {
    const auto names = dir.entries();
    return std::any_of(names.begin(), names.end(), [](const std::string& n) { return contains(n, ".partial"); });
}

std::vector<float> read_floats(const fs::path& file, const char* name) {
    h5::Handle f = h5::open_file_read_only(file.string());
    h5::Handle ds(H5Dopen2(f, name, H5P_DEFAULT), H5Dclose, name);
    std::size_t n = 1;
    for (hsize_t d : h5::dataset_shape(ds)) n *= static_cast<std::size_t>(d);
    std::vector<float> out(n);
    h5::check(H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read", name);
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The ensemble file

TEST_CASE("write_ensemble_file writes an HDF5 file that describe_file summarises", "[output][ensemble_file]") {
    const TempDir dir;
    const Run run = small_run();
    const fs::path target = dir / "run.h5";
    write(target, false, run);
    REQUIRE(fs::is_regular_file(target));
    CHECK(fs::file_size(target) > 0);
    CHECK(H5Fis_hdf5(target.c_str()) > 0);
    CHECK(dir.entries() == std::vector<std::string>{"run.h5"});

    const std::string text = describe_file(target);
    INFO(text);
    const std::string times = std::to_string(run.result.time_days.size());
    CHECK(run.result.time_days.size() == 10);
    CHECK(contains(text, target.string()));
    CHECK(contains(text, "scenario_name: baseline"));
    CHECK(contains(text, "start_date: 2007-01-04"));
    CHECK(contains(text, "end_date: 2007-03-08"));
    CHECK(contains(text, "seed: 1"));
    CHECK(contains(text, "replicates: 2"));
    CHECK(contains(text, "format_version: 1"));
    CHECK(contains(text, "support(replicate=2, time=" + times + ", province=18, faction=10)"));
    CHECK(contains(text, "loyalty(replicate=2, time=" + times + ", province=18, community=4, faction=10)"));
    CHECK(contains(text, "residents(replicate=2, time=" + times + ", province=18, community=4)"));
    CHECK(contains(text, "us_troops(replicate=2, time=" + times + ", province=18)"));
    for (const char* dim : {"replicate(replicate=2)", "province(province=18)", "community(community=4)",
                            "faction(faction=10)", "sponsor(sponsor=4)"}) {
        CHECK(contains(text, dim));
    }
    CHECK(contains(text, "time(time=" + times + ")"));
}

TEST_CASE("the file holds the recorded values", "[output][ensemble_file]") {
    const TempDir dir;
    const Run run = small_run();
    const fs::path target = dir / "run.h5";
    write(target, false, run);
    for (std::size_t v = 0; v < run.spec.variables.size(); ++v) {
        const std::string name(run.spec.variables[v]->name);
        INFO(name);
        const std::vector<float> stored = read_floats(target, name.c_str());
        const auto& r0 = run.result.replicates[0].values[v];
        const auto& r1 = run.result.replicates[1].values[v];
        REQUIRE(stored.size() == r0.size() + r1.size());
        CHECK(std::equal(r0.begin(), r0.end(), stored.begin()));
        CHECK(std::equal(r1.begin(), r1.end(), stored.begin() + static_cast<std::ptrdiff_t>(r0.size())));
    }
    h5::Handle f = h5::open_file_read_only(target.string());
    h5::Handle time(H5Dopen2(f, "time", H5P_DEFAULT), H5Dclose, "time");
    CHECK(h5::read_string_attribute(time, "units") == "days since 2003-01-01");
    std::vector<double> days(run.result.time_days.size());
    h5::check(H5Dread(time, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, days.data()), "read", "time");
    CHECK(days == run.result.time_days);
    h5::Handle support(H5Dopen2(f, "support", H5P_DEFAULT), H5Dclose, "support");
    CHECK(h5::dimension_names(support) == std::vector<std::string>{"replicate", "time", "province", "faction"});
}

TEST_CASE("the time series are deflated at the spec's level, and at level 0 stored plain with the same values",
          "[output][ensemble_file]") {
    const TempDir dir;
    Run run = small_run();
    const auto filters = [](const fs::path& file, const char* name) {
        h5::Handle f = h5::open_file_read_only(file.string());
        h5::Handle ds(H5Dopen2(f, name, H5P_DEFAULT), H5Dclose, name);
        h5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose, "creation properties");
        return H5Pget_nfilters(dcpl);
    };
    write(dir / "deflated.h5", false, run);
    run.spec.compression = 0;
    write(dir / "plain.h5", false, run);
    const std::string name(run.spec.variables.front()->name);
    CHECK(filters(dir / "deflated.h5", name.c_str()) == 1);  // deflate
    CHECK(filters(dir / "plain.h5", name.c_str()) == 0);
    CHECK(fs::file_size(dir / "plain.h5") > fs::file_size(dir / "deflated.h5"));
    for (const auto* v : run.spec.variables) {
        INFO(v->name);
        const std::string n(v->name);
        CHECK(read_floats(dir / "plain.h5", n.c_str()) == read_floats(dir / "deflated.h5", n.c_str()));
    }
}

TEST_CASE("an existing file is not overwritten without force", "[output][ensemble_file]") {
    const TempDir dir;
    const Run first = small_run(1);
    const Run second = small_run(2);
    const fs::path target = dir / "run.h5";
    write(target, false, first);
    const std::string before = read_bytes(target);

    CHECK_THROWS_AS(write(target, false, second), IoError);
    CHECK(read_bytes(target) == before);
    CHECK_FALSE(has_partial(dir));

    REQUIRE_NOTHROW(write(target, true, second));
    const std::string after = read_bytes(target);
    CHECK(after != before);
    CHECK(contains(describe_file(target), "seed: 2"));
    CHECK_FALSE(has_partial(dir));
    CHECK(dir.entries().size() == 1);
}

TEST_CASE("the error for an existing file names it and suggests --force", "[output][ensemble_file]") {
    const TempDir dir;
    const Run run = small_run();
    const fs::path target = dir / "run.h5";
    write_bytes(target, "keep me");
    try {
        write(target, false, run);
        FAIL("no error");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), target.string()));
        CHECK(contains(e.what(), "--force"));
        CHECK(e.exit_code() == iraqsim::core::ExitCode::io);
    }
    CHECK(read_bytes(target) == "keep me");
}

TEST_CASE("a target in a missing directory is refused and nothing is created", "[output][ensemble_file]") {
    const TempDir dir;
    const Run run = small_run();
    const fs::path target = dir / "missing" / "run.h5";
    CHECK_THROWS_AS(write(target, false, run), IoError);
    CHECK_THROWS_AS(write(target, true, run), IoError);
    CHECK_FALSE(fs::exists(dir / "missing"));
    CHECK(dir.entries().empty());
}

TEST_CASE("a directory is never replaced, even with force", "[output][ensemble_file]") {
    const TempDir dir;
    const Run run = small_run();
    const fs::path target = dir / "run.h5";
    fs::create_directory(target);
    CHECK_THROWS_AS(write(target, true, run), IoError);
    CHECK(fs::is_directory(target));
    CHECK_FALSE(has_partial(dir));
}

TEST_CASE("a write that fails midway leaves no partial file and the old result intact", "[output][ensemble_file]") {
    const QuietHdf5 quiet;
    const TempDir dir;
    Run run = small_run();
    // The same variable twice: the second dataset cannot be created, after the file was begun.
    run.spec.variables.push_back(run.spec.variables.front());
    for (auto& r : run.result.replicates) r.values.push_back(r.values.front());
    const fs::path target = dir / "run.h5";

    CHECK_THROWS_AS(write(target, false, run), IoError);
    CHECK(dir.entries().empty());

    write_bytes(target, "previous result");
    CHECK_THROWS_AS(write(target, true, run), IoError);
    CHECK(read_bytes(target) == "previous result");
    CHECK(dir.entries() == std::vector<std::string>{"run.h5"});
}

// Every time series of a file, as the bytes of its float32 values.
std::string series_bytes(const fs::path& path, const RecordSpec& spec) {
    const h5::Handle file = h5::open_file_read_only(path.string());
    std::string bytes;
    for (const iraqsim::output::VariableDef* v : spec.variables) {
        const h5::Handle ds(H5Dopen2(file, std::string(v->name).c_str(), H5P_DEFAULT), H5Dclose, std::string(v->name));
        const h5::Handle space(H5Dget_space(ds), H5Sclose, "dataspace");
        std::vector<float> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
        h5::read_all(ds, H5T_NATIVE_FLOAT, values.data());
        bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    }
    return bytes;
}

TEST_CASE("writing the same ensemble twice gives byte-identical files", "[output][ensemble_file]") {
    // Unfiltered, the files are the same bytes. Deflated by igzip (the default level), the values
    // are the same bytes but the compressed chunks may not be: two writes of one ensemble in one
    // process gave chunks of equal values in different encodings in about 1 of 75 tries under
    // load (never across processes in the command-line tests; docs/output.md, "Compression").
    const TempDir dir;
    Run run = small_run();
    run.spec.compression = 0;
    write(dir / "a.h5", false, run);
    write(dir / "b.h5", false, run);
    const std::string a = read_bytes(dir / "a.h5");
    const std::string b = read_bytes(dir / "b.h5");
    CHECK(a.size() > 1000);
    CHECK(a == b);
    // A rerun of the same seed also gives the same bytes.
    Run again = small_run();
    again.spec.compression = 0;
    write(dir / "c.h5", false, again);
    CHECK(read_bytes(dir / "c.h5") == a);
    // Deflated, the same values, bit for bit.
    run.spec.compression = 1;
    write(dir / "d.h5", false, run);
    write(dir / "e.h5", false, run);
    const std::string d = series_bytes(dir / "d.h5", run.spec);
    CHECK(d.size() > 1000);
    CHECK(d == series_bytes(dir / "e.h5", run.spec));
    CHECK(d == series_bytes(dir / "a.h5", run.spec));
}

TEST_CASE("describe_file refuses files that are not HDF5 or do not exist", "[output][ensemble_file]") {
    const QuietHdf5 quiet;
    const TempDir dir;
    const fs::path text = dir / "notes.txt";
    write_bytes(text, "this is not HDF5\n");
    try {
        (void)describe_file(text);
        FAIL("no error");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), text.string()));
    }
    const fs::path missing = dir / "nothing.h5";
    try {
        (void)describe_file(missing);
        FAIL("no error");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), missing.string()));
    }
}

// ---------------------------------------------------------------------------------------------
// Atomic output

TEST_CASE("check_output_path accepts new files and refuses what it must", "[output][atomic_output]") {
    const TempDir dir;
    using iraqsim::output::check_output_path;
    CHECK_NOTHROW(check_output_path(dir / "new.h5", false));
    CHECK_THROWS_AS(check_output_path(dir / "no" / "new.h5", false), IoError);
    write_bytes(dir / "old.h5", "x");
    CHECK_THROWS_AS(check_output_path(dir / "old.h5", false), IoError);
    CHECK_NOTHROW(check_output_path(dir / "old.h5", true));
    fs::create_directory(dir / "sub");
    CHECK_THROWS_AS(check_output_path(dir / "sub", false), IoError);
    CHECK_THROWS_AS(check_output_path(dir / "sub", true), IoError);
    CHECK(read_bytes(dir / "old.h5") == "x");
}

TEST_CASE("AtomicOutput writes beside the target and renames on commit", "[output][atomic_output]") {
    const TempDir dir;
    const fs::path target = dir / "out.bin";
    {
        iraqsim::output::AtomicOutput out(target, false);
        const fs::path tmp = out.temporary_path();
        CHECK(tmp.parent_path() == target.parent_path());
        CHECK(tmp.filename().string().front() == '.');
        CHECK(contains(tmp.filename().string(), ".partial"));
        CHECK(tmp != target);
        write_bytes(tmp, "payload");
        CHECK_FALSE(fs::exists(target));
        out.commit();
        CHECK_FALSE(fs::exists(tmp));
    }
    CHECK(read_bytes(target) == "payload");
    CHECK(dir.entries() == std::vector<std::string>{"out.bin"});
}

TEST_CASE("AtomicOutput removes its temporary file when not committed", "[output][atomic_output]") {
    const TempDir dir;
    const fs::path target = dir / "out.bin";
    fs::path tmp;
    {
        iraqsim::output::AtomicOutput out(target, false);
        tmp = out.temporary_path();
        write_bytes(tmp, "half");
        REQUIRE(fs::exists(tmp));
    }
    CHECK_FALSE(fs::exists(tmp));
    CHECK_FALSE(fs::exists(target));
    CHECK(dir.entries().empty());
}

TEST_CASE("AtomicOutput refuses a target that appeared while computing", "[output][atomic_output]") {
    const TempDir dir;
    const fs::path target = dir / "out.bin";
    {
        iraqsim::output::AtomicOutput out(target, false);
        write_bytes(out.temporary_path(), "late");
        write_bytes(target, "someone else's");
        CHECK_THROWS_AS(out.commit(), IoError);
    }
    CHECK(read_bytes(target) == "someone else's");
    CHECK(dir.entries() == std::vector<std::string>{"out.bin"});

    CHECK_THROWS_AS(iraqsim::output::AtomicOutput(target, false), IoError);
    {
        iraqsim::output::AtomicOutput out(target, true);
        write_bytes(out.temporary_path(), "replacement");
        out.commit();
    }
    CHECK(read_bytes(target) == "replacement");
}

TEST_CASE("write_text_atomically writes the whole text and keeps an existing file unless forced", "[output][atomic_output]") {
    const TempDir dir;
    using iraqsim::output::write_text_atomically;
    const fs::path target = dir / "notes.csv";
    write_text_atomically(target, "a,b\n1,2\n", false);
    CHECK(read_bytes(target) == "a,b\n1,2\n");
    CHECK_THROWS_AS(write_text_atomically(target, "other", false), IoError);
    CHECK(read_bytes(target) == "a,b\n1,2\n");
    write_text_atomically(target, "", true);
    CHECK(read_bytes(target).empty());
    CHECK(dir.entries() == std::vector<std::string>{"notes.csv"});
}

TEST_CASE("write_text_atomically names the path it cannot write", "[output][atomic_output]") {
    const TempDir dir;
    const fs::path target = dir / "missing" / "notes.csv";
    try {
        iraqsim::output::write_text_atomically(target, "x", true);
        FAIL("no error");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), target.string()));
    }
}

TEST_CASE("write_stream_atomically leaves nothing behind when the writer throws", "[output][atomic_output]") {
    const TempDir dir;
    const fs::path target = dir / "big.csv";
    CHECK_THROWS_AS(iraqsim::output::write_stream_atomically(target, false,
                                                             [](std::ostream& out) {
                                                                 out << "half";
                                                                 throw IoError("the input went away");
                                                             }),
                    IoError);
    CHECK(dir.entries().empty());
}

// ---------------------------------------------------------------------------------------------
// The HDF5 layer

TEST_CASE("h5 attributes round-trip", "[output][h5]") {
    const QuietHdf5 quiet;
    const TempDir dir;
    const fs::path path = dir / "attrs.h5";
    {
        h5::Handle file = h5::create_file(path.string());
        h5::write_attribute(file, "title", std::string_view("iraqsim: ünïcode"));
        h5::write_attribute(file, "empty", std::string_view(""));
        h5::write_attribute(file, "count", std::int64_t{42});
        h5::write_attribute(file, "ratio", 0.25);
    }
    h5::Handle file = h5::open_file_read_only(path.string());
    CHECK(h5::has_attribute(file, "title"));
    CHECK_FALSE(h5::has_attribute(file, "absent"));
    CHECK(h5::read_string_attribute(file, "title") == "iraqsim: ünïcode");
    CHECK(h5::read_string_attribute(file, "empty").empty());
    CHECK_THROWS_AS(h5::read_string_attribute(file, "count"), IoError);
    CHECK_THROWS_AS(h5::read_string_attribute(file, "absent"), IoError);
    h5::Handle attr(H5Aopen(file, "count", H5P_DEFAULT), H5Aclose, "count");
    std::int64_t value = 0;
    h5::check(H5Aread(attr, H5T_NATIVE_INT64, &value), "read", "count");
    CHECK(value == 42);
}

TEST_CASE("h5 files are created exclusively and opened only if present", "[output][h5]") {
    const QuietHdf5 quiet;
    const TempDir dir;
    const fs::path path = dir / "x.h5";
    { h5::Handle file = h5::create_file(path.string()); }
    CHECK_THROWS_AS(h5::create_file(path.string()), IoError);
    CHECK_THROWS_AS(h5::open_file_read_only((dir / "missing.h5").string()), IoError);
    CHECK_THROWS_AS(h5::check(-1, "do the thing", "item"), IoError);
    CHECK_NOTHROW(h5::check(0, "do the thing", "item"));
    try {
        h5::check(-1, "frobnicate", "widget");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), "frobnicate"));
        CHECK(contains(e.what(), "widget"));
    }
}

TEST_CASE("h5 handles move ownership", "[output][h5]") {
    const TempDir dir;
    h5::Handle a = h5::create_file((dir / "m.h5").string());
    const hid_t id = a.id();
    CHECK(id > 0);  // HDF5 identifiers of open objects are positive
    h5::Handle b = std::move(a);
    CHECK(b.id() == id);
    CHECK(a.id() == H5I_INVALID_HID);  // NOLINT: testing the moved-from state
    h5::Handle c;
    c = std::move(b);
    CHECK(c.id() == id);
    CHECK(H5Iis_valid(c) > 0);
}

TEST_CASE("h5 attach_dimensions writes the dimension scale lists HDF5's own API reads", "[output][h5]") {
    // Both directions, as H5DSis_attached checks them, beside scales attached one at a time.
    const TempDir dir;
    const fs::path path = dir / "scales.h5";
    {
        h5::Handle file = h5::create_file(path.string());
        h5::Handle rep = h5::write_coordinate(file, "replicate", std::vector<std::int32_t>{0, 1});
        h5::Handle time = h5::write_coordinate(file, "time", std::vector<double>{120.0, 127.0});
        h5::Handle prov = h5::write_coordinate(file, "province", std::vector<std::string>{"anbar", "babil"});
        h5::Handle a = h5::create_float_variable(file, "a", {2, 2, 2}, {1, 2, 2});
        h5::attach_dimension(a, rep, 0);
        h5::attach_dimension(a, time, 1);
        h5::attach_dimension(a, prov, 2);
        h5::Handle b = h5::create_float_variable(file, "b", {2, 2, 2}, {1, 2, 2});
        h5::attach_dimensions(b, {rep, time, prov});
        h5::Handle c = h5::create_float_variable(file, "c", {2, 2}, {1, 2});
        CHECK_THROWS_AS(h5::attach_dimensions(c, {rep}), IoError);  // one scale per axis
    }
    h5::Handle file = h5::open_file_read_only(path.string());
    for (const char* name : {"a", "b"}) {
        INFO(name);
        h5::Handle v(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, name);
        CHECK(h5::dimension_names(v) == std::vector<std::string>{"replicate", "time", "province"});
        unsigned axis = 0;
        for (const char* scale : {"replicate", "time", "province"}) {
            h5::Handle s(H5Dopen2(file, scale, H5P_DEFAULT), H5Dclose, scale);
            CHECK(H5DSget_num_scales(v, axis) == 1);
            CHECK(H5DSis_attached(v, s, axis++) > 0);
        }
    }
}

TEST_CASE("h5 float slabs span several time chunks and a partial last one at every filter level", "[output][h5]") {
    // The chunks are deflated by ChunkDeflater and written directly: HDF5 must read back the values
    // at each deflate level and unfiltered, the unwritten replicate as the fill value.
    const TempDir dir;
    const fs::path path = dir / "chunks.h5";
    constexpr hsize_t times = 150, row = 3;  // two whole chunks of 64 weeks and one of 22
    std::vector<float> slab(times * row);
    for (std::size_t i = 0; i < slab.size(); ++i) slab[i] = i % 7 == 0 ? 0.f : std::sin(static_cast<float>(i)) * 1e3f;
    // 1 and 2: ISA-L; 3-9: zlib.
    const std::vector<std::pair<const char*, unsigned>> levels{{"x0", 0}, {"x1", 1}, {"x2", 2}, {"x3", 3}, {"x9", 9}};
    {
        h5::Handle file = h5::create_file(path.string());
        for (const auto& [name, level] : levels) {
            h5::Handle v = h5::create_float_variable(file, name, {2, times, row}, {1, 64, row}, level);
            h5::write_floats_slab(v, 1, slab.data());
        }
    }
    for (const auto& [name, level] : levels) {
        INFO(name);
        const std::vector<float> values = read_floats(path, name);
        REQUIRE(values.size() == 2 * slab.size());
        CHECK(std::all_of(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(slab.size()),
                          [](float x) { return std::isnan(x); }));
        CHECK(std::equal(slab.begin(), slab.end(), values.begin() + static_cast<std::ptrdiff_t>(slab.size())));
    }
}

TEST_CASE("h5 variables carry shape, dimension scales and a NaN fill", "[output][h5]") {
    const TempDir dir;
    const fs::path path = dir / "vars.h5";
    {
        h5::Handle file = h5::create_file(path.string());
        h5::Handle rep = h5::write_coordinate(file, "replicate", std::vector<std::int32_t>{0, 1, 2});
        h5::Handle time = h5::write_coordinate(file, "time", std::vector<double>{120.0, 127.0});
        h5::Handle prov = h5::write_coordinate(file, "province", std::vector<std::string>{"anbar", "babil"});
        h5::Handle v = h5::create_float_variable(file, "x", {3, 2, 2}, {1, 2, 2});
        h5::attach_dimension(v, rep, 0);
        h5::attach_dimension(v, time, 1);
        h5::attach_dimension(v, prov, 2);
        const std::vector<float> slab{1.f, 2.f, 3.f, 4.f};
        h5::write_floats_slab(v, 1, slab.data());  // replicates 0 and 2 stay unwritten
    }
    h5::Handle file = h5::open_file_read_only(path.string());
    h5::Handle v(H5Dopen2(file, "x", H5P_DEFAULT), H5Dclose, "x");
    CHECK(h5::dataset_shape(v) == std::vector<hsize_t>{3, 2, 2});
    CHECK(h5::dimension_names(v) == std::vector<std::string>{"replicate", "time", "province"});
    const std::vector<float> values = read_floats(path, "x");
    REQUIRE(values.size() == 12);
    for (std::size_t i = 0; i < 4; ++i) CHECK(std::isnan(values[i]));
    CHECK(values[4] == 1.f);
    CHECK(values[7] == 4.f);
    for (std::size_t i = 8; i < 12; ++i) CHECK(std::isnan(values[i]));
}
