#include <catch2/catch.hpp>

#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../support/small_run.hpp"
#include "../support/text.hpp"
#include "../support/temp_dir.hpp"
#include "iraqsim/core/csv_fields.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/engine/compiled_model.hpp"
#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/csv_export.hpp"
#include "iraqsim/output/ensemble_file.hpp"
#include "iraqsim/output/h5.hpp"
#include "iraqsim/output/variables.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace fs = std::filesystem;
namespace h5 = iraqsim::output::h5;
using iraqsim::core::Date;
using iraqsim::core::IoError;
using iraqsim::core::UsageError;
using iraqsim::output::export_csv;
using iraqsim::output::exportable_variables;
using iraqsim::output::RecordSpec;
using iraqsim::test::TempDir;
using iraqsim::test::write_bytes;
using iraqsim::test::QuietHdf5;
using iraqsim::test::Run;
using iraqsim::test::contains;

namespace {

// 2 replicates of 10 weeks from 2007-01-04, every variable, written to `target`.
const Run& export_run() {
    static const Run run = iraqsim::test::small_run(3);
    return run;
}

fs::path write_small_file(const TempDir& dir) {
    const Run& run = export_run();
    const fs::path target = dir / "run.h5";
    iraqsim::output::write_ensemble_file(target, false, run.scenario, iraqsim::world::iraq_roster(), run.spec,
                                         run.result);
    return target;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

std::string g9(float v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(v));
    return buffer;
}

std::string export_to_string(const fs::path& file, const std::vector<std::string>& variables) {
    std::ostringstream out;
    export_csv(file, variables, out);
    return out.str();
}

std::size_t elements_of(const iraqsim::output::VariableDef& def) {
    std::size_t n = 1;
    for (auto d : def.dims) n *= iraqsim::output::dim_size(d, iraqsim::world::iraq_roster());
    return n;
}

}  // namespace

TEST_CASE("export_csv writes the fixed header and one row per value", "[output][csv_export]") {
    const TempDir dir;
    const fs::path file = write_small_file(dir);
    const Run& run = export_run();
    const std::vector<std::string> lines = lines_of(export_to_string(file, {}));
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.front() ==
          "replicate,date,province,community,other_community,faction,sponsor,channel,variable,value,units");
    CHECK(lines.front() == iraqsim::output::csv_header);

    std::size_t expected = 0;
    for (const auto* def : run.spec.variables) expected += 2 * 10 * elements_of(*def);
    CHECK(lines.size() == expected + 1);
    for (std::size_t i = 1; i < lines.size(); i += 997) {
        INFO(lines[i]);
        CHECK(iraqsim::core::csv_fields(lines[i]).size() == 11);
    }
}

TEST_CASE("exportable_variables lists the time series in the file's order", "[output][csv_export]") {
    const TempDir dir;
    const fs::path file = write_small_file(dir);
    std::vector<std::string> expected;
    for (const auto* def : export_run().spec.variables) expected.emplace_back(def->name);
    CHECK(exportable_variables(file) == expected);
}

TEST_CASE("every exported value equals the ensemble's, in replicate, time, dimension order", "[output][csv_export]") {
    const TempDir dir;
    const fs::path file = write_small_file(dir);
    const Run& run = export_run();
    for (std::size_t v = 0; v < run.spec.variables.size(); ++v) {
        const std::string name(run.spec.variables[v]->name);
        INFO(name);
        const std::vector<std::string> lines = lines_of(export_to_string(file, {name}));
        const std::size_t per_replicate = run.result.replicates[0].values[v].size();
        REQUIRE(lines.size() == 1 + 2 * per_replicate);
        for (std::size_t r = 0; r < 2; ++r) {
            const auto& values = run.result.replicates[r].values[v];
            for (std::size_t i = 0; i < per_replicate; ++i) {
                const auto fields = iraqsim::core::csv_fields(lines[1 + r * per_replicate + i]);
                REQUIRE(fields.size() == 11);
                REQUIRE(fields[0] == std::to_string(r));
                REQUIRE(fields[8] == name);
                REQUIRE(fields[9] == (std::isnan(values[i]) ? std::string() : g9(values[i])));
                if (!std::isnan(values[i])) REQUIRE(std::stof(fields[9]) == values[i]);  // round-trips float32
                REQUIRE(fields[10] == run.spec.variables[v]->units);
            }
        }
    }
}

TEST_CASE("rows carry ISO dates and entity ids in their own columns", "[output][csv_export]") {
    const TempDir dir;
    const fs::path file = write_small_file(dir);
    const Run& run = export_run();
    const auto& roster = iraqsim::world::iraq_roster();

    const std::vector<std::string> troops = lines_of(export_to_string(file, {"us_troops"}));
    REQUIRE(troops.size() == 1 + 2 * 10 * 18);
    auto f = iraqsim::core::csv_fields(troops[1]);
    CHECK(f[0] == "0");
    CHECK(f[1] == "2007-01-04");
    CHECK(f[2] == roster.provinces[0].id);
    for (const std::size_t c : {std::size_t{3}, std::size_t{4}, std::size_t{5}, std::size_t{6}, std::size_t{7}}) CHECK(f[c].empty());
    CHECK(f[8] == "us_troops");
    CHECK(f[10] == "persons");
    f = iraqsim::core::csv_fields(troops[1 + 18]);  // the second week
    CHECK(f[1] == "2007-01-11");
    CHECK(f[2] == roster.provinces[0].id);
    f = iraqsim::core::csv_fields(troops[18 * 10]);  // the last province of the last week of replicate 0
    CHECK(f[0] == "0");
    CHECK(f[1] == "2007-03-08");
    CHECK(f[2] == roster.provinces[17].id);
    CHECK(iraqsim::core::csv_fields(troops[1 + 18 * 10])[0] == "1");

    // loyalty [province, community, faction]: faction varies fastest, then community.
    std::size_t loyalty = 0;
    while (run.spec.variables[loyalty]->name != "loyalty") ++loyalty;
    const std::vector<std::string> rows = lines_of(export_to_string(file, {"loyalty"}));
    const std::size_t factions = roster.factions.size(), communities = roster.communities.size();
    const std::size_t week = 2, province = 5, community = 1, faction = 3;
    const std::size_t index =
        ((week * roster.provinces.size() + province) * communities + community) * factions + faction;
    const std::size_t replicate = 1;
    const auto& values = run.result.replicates[replicate].values[loyalty];
    const auto row = iraqsim::core::csv_fields(rows[1 + replicate * values.size() + index]);
    CHECK(row[0] == "1");
    CHECK(row[1] == "2007-01-18");
    CHECK(row[2] == roster.provinces[province].id);
    CHECK(row[3] == roster.communities[community].id);
    CHECK(row[4].empty());
    CHECK(row[5] == roster.factions[faction].id);
    CHECK(row[6].empty());
    CHECK(row[7].empty());
    CHECK(row[9] == g9(values[index]));
    CHECK(row[10] == "1");
}

TEST_CASE("a selection of variables is exported in the order given, once each", "[output][csv_export]") {
    const TempDir dir;
    const fs::path file = write_small_file(dir);
    const std::vector<std::string> lines =
        lines_of(export_to_string(file, {"refugees", "us_troops", "refugees"}));
    const std::size_t communities = iraqsim::world::iraq_roster().communities.size();
    REQUIRE(lines.size() == 1 + 2 * 10 * communities + 2 * 10 * 18);
    CHECK(iraqsim::core::csv_fields(lines[1])[8] == "refugees");
    CHECK(iraqsim::core::csv_fields(lines[2 * 10 * communities])[8] == "refugees");
    CHECK(iraqsim::core::csv_fields(lines[1 + 2 * 10 * communities])[8] == "us_troops");
    CHECK(iraqsim::core::csv_fields(lines.back())[8] == "us_troops");
}

TEST_CASE("an unknown variable is a usage error that lists the valid ones", "[output][csv_export]") {
    const TempDir dir;
    const fs::path file = write_small_file(dir);
    for (const char* bad : {"suport", "time", "province_name", "event_id", "replicate"}) {
        INFO(bad);
        std::ostringstream out;
        try {
            export_csv(file, {"support", bad}, out);
            FAIL("no error");
        } catch (const UsageError& e) {
            CHECK(contains(e.what(), std::string("'") + bad + "'"));
            CHECK(contains(e.what(), "support, loyalty"));
            CHECK(contains(e.what(), "us_troops"));
            CHECK(e.exit_code() == iraqsim::core::ExitCode::usage);
        }
        CHECK(out.str().empty());  // nothing written before the check
    }
}

TEST_CASE("files that are missing or not HDF5 are I/O errors", "[output][csv_export]") {
    const QuietHdf5 quiet;
    const TempDir dir;
    const fs::path text = dir / "notes.csv";
    write_bytes(text, "replicate,date\n0,2003-05-01\n");
    std::ostringstream out;
    try {
        export_csv(text, {}, out);
        FAIL("no error");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), text.string()));
        CHECK(contains(e.what(), "not an HDF5 file"));
        CHECK(e.exit_code() == iraqsim::core::ExitCode::io);
    }
    CHECK_THROWS_AS(export_csv(dir / "missing.h5", {}, out), IoError);
    CHECK_THROWS_AS(exportable_variables(dir / "missing.h5"), IoError);
    CHECK_THROWS_AS(export_csv(dir.path(), {}, out), IoError);
    CHECK(out.str().empty());
}

TEST_CASE("a hand-made file: NaN is empty, any known dimension fills its column, units are quoted",
          "[output][csv_export]") {
    const TempDir dir;
    const fs::path path = dir / "hand.h5";
    {
        h5::Handle file = h5::create_file(path.string());
        h5::Handle rep = h5::write_coordinate(file, "replicate", std::vector<std::int32_t>{0, 1});
        h5::Handle time = h5::write_coordinate(file, "time", std::vector<double>{0.0, 1520.0});
        h5::write_attribute(time, "units", std::string_view("days since 2003-01-01"));
        h5::Handle other = h5::write_coordinate(file, "other_community", std::vector<std::string>{"kurd", "other"});
        h5::Handle channel = h5::write_coordinate(file, "channel", std::vector<std::string>{"tv", "mosque"});
        h5::Handle x = h5::create_float_variable(file, "x", {2, 2, 2, 2}, {1, 2, 2, 2});
        h5::write_attribute(x, "units", std::string_view("persons, \"approx\""));
        h5::attach_dimension(x, rep, 0);
        h5::attach_dimension(x, time, 1);
        h5::attach_dimension(x, other, 2);
        h5::attach_dimension(x, channel, 3);
        const std::vector<float> slab{0.1f, 2.5f, -3.f, 1e20f, 7.f, 8.f, 9.f, 10.f};
        h5::write_floats_slab(x, 1, slab.data());  // replicate 0 stays NaN
    }
    const std::vector<std::string> lines = lines_of(export_to_string(path, {}));
    REQUIRE(lines.size() == 1 + 2 * 2 * 2 * 2);
    CHECK(lines[1] == "0,2003-01-01,,,kurd,,,tv,x,,\"persons, \"\"approx\"\"\"");
    CHECK(lines[9] == "1,2003-01-01,,,kurd,,,tv,x,0.100000001,\"persons, \"\"approx\"\"\"");
    CHECK(lines[10] == "1,2003-01-01,,,kurd,,,mosque,x,2.5,\"persons, \"\"approx\"\"\"");
    CHECK(lines[11] == "1,2003-01-01,,,other,,,tv,x,-3,\"persons, \"\"approx\"\"\"");
    CHECK(lines[12] == "1,2003-01-01,,,other,,,mosque,x,1.00000002e+20,\"persons, \"\"approx\"\"\"");
    CHECK(lines[13] == "1,2007-03-01,,,kurd,,,tv,x,7,\"persons, \"\"approx\"\"\"");
    CHECK(exportable_variables(path) == std::vector<std::string>{"x"});
}

TEST_CASE("time in other units is refused", "[output][csv_export]") {
    const TempDir dir;
    const fs::path path = dir / "epoch.h5";
    {
        h5::Handle file = h5::create_file(path.string());
        h5::Handle rep = h5::write_coordinate(file, "replicate", std::vector<std::int32_t>{0});
        h5::Handle time = h5::write_coordinate(file, "time", std::vector<double>{12000.0});
        h5::write_attribute(time, "units", std::string_view("days since 1970-01-01"));
        h5::Handle x = h5::create_float_variable(file, "x", {1, 1}, {1, 1});
        h5::attach_dimension(x, rep, 0);
        h5::attach_dimension(x, time, 1);
    }
    std::ostringstream out;
    try {
        export_csv(path, {}, out);
        FAIL("no error");
    } catch (const IoError& e) {
        CHECK(contains(e.what(), "days since 1970-01-01"));
        CHECK(contains(e.what(), "days since 2003-01-01"));
    }
    CHECK(out.str().empty());

    const fs::path no_time = dir / "no_time.h5";
    { h5::Handle file = h5::create_file(no_time.string()); }
    CHECK_THROWS_AS(export_csv(no_time, {}, out), IoError);
}
