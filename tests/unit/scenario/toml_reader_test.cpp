// The strict reader of sweep, calibration and validation files: every problem lands in the
// diagnostics with file:line:column and key path.
#include <catch2/catch.hpp>

#include <string>

#include "../support/temp_dir.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/toml_reader.hpp"

using iraqsim::scenario::Diagnostics;
using iraqsim::scenario::Origin;
using iraqsim::scenario::TomlReader;

namespace {

enum class Colour { red, green };
std::string_view colour_name(Colour c) { return c == Colour::red ? "red" : "green"; }

// Reads every key of [t] with the getter the key names; returns the diagnostics as text.
std::string read_all(const std::string& text) {
    Diagnostics d;
    TomlReader read("r.toml", d);
    const auto root = read.parse(text);
    if (!root) return d.format();
    read.each_key(*root, "", {"t"}, [&](const std::string&, const toml::node& node, const Origin& at, const std::string& name) {
        const toml::table* t = read.table(node, at, name);
        if (t == nullptr) return;
        read.each_key(*t, "t.", {"count", "share", "flag", "label", "labels", "day", "name", "colour", "weight", "file"},
                      [&](const std::string& k, const toml::node& v, const Origin& o, const std::string& path) {
            if (k == "count") (void)read.integer(v, o, path, 1, 10);
            if (k == "share") (void)read.real(v, o, path, 0.0, 1.0);
            if (k == "flag") (void)read.boolean(v, o, path);
            if (k == "label") (void)read.text(v, o, path);
            if (k == "labels") (void)read.texts(v, o, path);
            if (k == "day") (void)read.date(v, o, path);
            if (k == "name") (void)read.file_name(v, o, path, 8);
            if (k == "colour") (void)read.one_of(v, o, path, {Colour::red, Colour::green}, colour_name);
            if (k == "weight") (void)read.positive(v, o, path);
            if (k == "file") CHECK(read.path_beside(v, o, path) == std::filesystem::path("other.toml"));
        });
    });
    return d.format();
}

}  // namespace

TEST_CASE("TomlReader accepts good values and names every bad one", "[scenario][toml_reader]") {
    CHECK(read_all("[t]\ncount = 3\nshare = 0.5\nflag = true\nlabel = \"x\"\nlabels = [\"a\"]\nday = 2007-01-04\n"
                   "name = \"a-b.c\"\ncolour = \"red\"\nweight = 2\nfile = \"other.toml\"\n") == "");
    const std::string all = read_all("[t]\ncount = 11\nshare = 1.5\nflag = 1\nlabel = 2\nlabels = [\"a\", 1]\n"
                                     "day = \"2007-01-04\"\nname = \"a/b\"\ncolour = \"gren\"\nweight = 0\ncolor = 1\n");
    CHECK_THAT(all, Catch::Contains("r.toml:2:1: error: t.count: must be between 1 and 10, got 11"));
    CHECK_THAT(all, Catch::Contains("r.toml:3:1: error: t.share: must be between 0 and 1, got 1.5"));
    CHECK_THAT(all, Catch::Contains("r.toml:4:1: error: t.flag: expected true or false"));
    CHECK_THAT(all, Catch::Contains("r.toml:5:1: error: t.label: expected a string"));
    CHECK_THAT(all, Catch::Contains("r.toml:6:16: error: t.labels: expected an array of strings"));
    CHECK_THAT(all, Catch::Contains("r.toml:7:1: error: t.day: expected a date (YYYY-MM-DD, unquoted)"));
    CHECK_THAT(all, Catch::Contains("r.toml:8:1: error: t.name: must be 1 to 8 letters"));
    CHECK_THAT(all, Catch::Contains("r.toml:9:1: error: t.colour: must be one of \"red\", \"green\", got \"gren\" (did you mean \"green\"?)"));
    CHECK_THAT(all, Catch::Contains("r.toml:10:1: error: t.weight: must be positive, got 0"));
    CHECK_THAT(all, Catch::Contains("r.toml:11:1: error: t.color: unknown key (did you mean 't.colour'?)"));
    CHECK_THAT(read_all("t = 1\n"), Catch::Contains("r.toml:1:1: error: t: expected a [t] table"));
    CHECK_THAT(read_all("[t]\ncount = \n"), Catch::Contains("r.toml:2:"));
    CHECK_THAT(read_all("[t]\ncount = \n"), Catch::Contains("malformed TOML"));
    CHECK_THAT(read_all("[t]\nlabel = \"\xff\"\n"), Catch::Contains("not valid UTF-8"));
}

TEST_CASE("read_toml_file names a missing or oversized file", "[scenario][toml_reader]") {
    const iraqsim::test::TempDir dir;
    using iraqsim::scenario::read_toml_file;
    CHECK_THROWS_WITH(read_toml_file(dir / "absent.toml", "sweep", 100), Catch::Contains("cannot read sweep") && Catch::Contains("absent.toml: no such file"));
    iraqsim::test::write_bytes(dir / "big.toml", std::string(2048, '#'));
    CHECK_THROWS_AS(read_toml_file(dir / "big.toml", "sweep", 1024), iraqsim::core::IoError);
    CHECK_THROWS_WITH(read_toml_file(dir / "big.toml", "sweep", 1024), Catch::Contains("larger than the 1 KiB limit for sweep files"));
    CHECK(read_toml_file(dir / "big.toml", "sweep", 4096).size() == 2048);
}
