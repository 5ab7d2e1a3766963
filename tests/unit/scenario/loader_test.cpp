// The scenario language: overlays, events by id, includes, --set, validation against a policy
// catalogue (injected here, since the engine's catalogue grows with the policies it implements).
#include <catch2/catch.hpp>

#include "../support/temp_dir.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/scenario/loader.hpp"
#include "iraqsim/scenario/registry.hpp"

using namespace iraqsim;
using scenario::load_scenario;

namespace {

// The engine's policies (the embedded history uses them) plus one for these tests.
const std::vector<policy::PolicyDef>& test_catalogue() {
    using scenario::ValueType;
    static std::vector<policy::PolicyDef> catalogue = policy::policy_catalogue();
    if (catalogue.size() == policy::policy_catalogue().size()) catalogue.push_back(
        {"test_policy",
         "a policy for tests",
         {policy::policy_field("factor", ValueType::real, "1", 0, 1, true, policy::Reference::none, "a share"),
          policy::policy_field("to", ValueType::text_list, "", -1e300, 1e300, false, policy::Reference::faction, "factions"),
          policy::policy_field("where", ValueType::text, "", -1e300, 1e300, false, policy::Reference::province,
                               "a province")}});
    return catalogue;
}

std::string load_error(const std::filesystem::path& file, const std::vector<std::string>& sets = {}) {
    try {
        load_scenario(file, sets, test_catalogue());
    } catch (const core::ScenarioError& e) {
        return e.what();
    }
    return "";
}

const scenario::Event* find_event(const scenario::Scenario& s, const std::string& id) {
    for (const auto& e : s.events)
        if (e.id == id) return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("no file gives the embedded default, and --set overrides it", "[scenario][loader]") {
    const auto s = load_scenario(std::nullopt, {"scenario.seed=42", "model.loyalty.diffusion_rate=0.25"});
    CHECK(s.seed == 42);
    CHECK(s.params.loyalty.diffusion_rate == 0.25);
    CHECK(s.start == core::Date{2003, 5, 1});
    CHECK(s.name == "baseline");
}

TEST_CASE("an overlay changes only what it gives - the command line wins over the file", "[scenario][loader]") {
    test::TempDir dir;
    test::write_bytes(dir / "s.toml", "[scenario]\nseed = 5\n[province.baghdad]\npopulation_2007 = 1000\n");
    const auto s = load_scenario(dir / "s.toml", {"scenario.seed=6"}, test_catalogue());
    CHECK(s.seed == 6);
    CHECK(s.world.provinces[s.world.find_province("baghdad")->index()].population_2007 == 1000);
    CHECK(s.world.provinces[s.world.find_province("basra")->index()].population_2007 ==
          world::iraq_roster().provinces[s.world.find_province("basra")->index()].population_2007);
    CHECK(s.params.loyalty.opinion_noise == model::LoyaltyParams{}.opinion_noise);
}

TEST_CASE("events: add, replace fields by id, remove with enabled = false", "[scenario][loader][event]") {
    test::TempDir dir;
    test::write_bytes(dir / "base.toml",
                      "[[event]]\nid = \"cut\"\ndate = 2007-09-15\npolicy = \"test_policy\"\nfactor = 0.3\n"
                      "to = [\"jam\", \"special_groups\"]\n"
                      "[[event]]\nid = \"other\"\ndate = 2005-01-01\npolicy = \"test_policy\"\nfactor = 0.1\n");
    std::filesystem::create_directory(dir / "sub");
    test::write_bytes(dir / "sub" / "overlay.toml",
                      "include = [\"../base.toml\"]\n"
                      "[[event]]\nid = \"cut\"\nfactor = 0.9\n"
                      "[[event]]\nid = \"other\"\nenabled = false\n"
                      "[[event]]\nid = \"new_one\"\ndate = 2008-03-25\npolicy = \"test_policy\"\nfactor = 0.5\n"
                      "[[event]]\nid = \"if_losses\"\npolicy = \"test_policy\"\nfactor = 0.5\n"
                      "when = \"fighters_lost(jam) over 4 weeks > 500 or weeks_since(new_one) >= 10\"\nuntil = 2009-01-01\n");
    const auto s = load_scenario(dir / "sub" / "overlay.toml", {"event.new_one.date=2008-04-01"}, test_catalogue());
    REQUIRE(find_event(s, "if_losses") != nullptr);
    CHECK_FALSE(find_event(s, "if_losses")->date);
    CHECK(find_event(s, "if_losses")->until == core::Date{2009, 1, 1});
    CHECK_THAT(find_event(s, "if_losses")->when, Catch::StartsWith("fighters_lost(jam)"));
    const auto* cut = find_event(s, "cut");
    REQUIRE(cut != nullptr);
    CHECK(std::get<double>(cut->fields.at("factor")) == 0.9);
    CHECK(cut->date == core::Date{2007, 9, 15});  // kept from the base
    CHECK(std::get<std::vector<std::string>>(cut->fields.at("to")).size() == 2);
    REQUIRE(find_event(s, "other") != nullptr);
    CHECK_FALSE(find_event(s, "other")->enabled);
    REQUIRE(find_event(s, "new_one") != nullptr);
    CHECK(find_event(s, "new_one")->date == core::Date{2008, 4, 1});

    SECTION("the resolved TOML reproduces the scenario") {
        test::write_bytes(dir / "resolved.toml", scenario::to_config_toml(s));
        const auto again = load_scenario(dir / "resolved.toml", {}, test_catalogue());
        auto without_comments = [](const std::string& text) {
            std::string out;
            std::size_t start = 0;
            while (start < text.size()) {
                const std::size_t end = std::min(text.find('\n', start), text.size());
                if (text[start] != '#') out += text.substr(start, end - start + 1);
                start = end + 1;
            }
            return out;
        };
        CHECK(without_comments(scenario::to_config_toml(again)) == without_comments(scenario::to_config_toml(s)));
        CHECK(find_event(again, "other") == nullptr);  // removed, and not in the embedded history
    }
}

TEST_CASE("event errors name the file, line and key", "[scenario][loader][event]") {
    test::TempDir dir;
    auto error_of = [&](const std::string& text) {
        test::write_bytes(dir / "e.toml", text);
        return load_error(dir / "e.toml");
    };
    CHECK_THAT(error_of("[[event]]\nid = \"ghost\"\nenabled = false\n"),
               Catch::Contains("e.toml:3:1") && Catch::Contains("no event with this id"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\n"), Catch::Contains("needs 'policy' and a 'date' or a condition 'when'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_polcy\"\n"),
               Catch::Contains("e.toml:4:1") && Catch::Contains("did you mean 'test_policy'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2001-01-01\npolicy = \"test_policy\"\nfactor = 0.5\n"),
               Catch::Contains("event.x.date") && Catch::Contains("outside the scenario's period"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\n"),
               Catch::Contains("needs the field 'factor'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 2.0\n"),
               Catch::Contains("event.x.factor") && Catch::Contains("out of range"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 0.5\nto = [\"jaam\"]\n"),
               Catch::Contains("unknown id 'jaam'") && Catch::Contains("did you mean 'jam'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 0.5\nwhere = \"bagdad\"\n"),
               Catch::Contains("did you mean 'baghdad'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactr = 0.5\n"),
               Catch::Contains("has no field 'factr'") && Catch::Contains("did you mean 'factor'"));
    CHECK_THAT(error_of("[[event]]\nid = \"a\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 0.5\n"
                        "[[event]]\nid = \"a\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 0.5\n"),
               Catch::Contains("duplicate event id"));
    CHECK_THAT(error_of("[[event]]\nid = \"Bad-Id\"\ndate = 2007-01-01\npolicy = \"test_policy\"\n"),
               Catch::Contains("snake_case"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = \"2007-01-01\"\npolicy = \"test_policy\"\nfactor = 0.5\n"),
               Catch::Contains("unquoted"));
    // Conditional events: the condition is checked at load, like every other field.
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\npolicy = \"test_policy\"\nfactor = 0.5\nwhen = \"fighters(jmm) > 5\"\n"),
               Catch::Contains("e.toml:5:1") && Catch::Contains("event.x.when") && Catch::Contains("unknown faction 'jmm'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\npolicy = \"test_policy\"\nfactor = 0.5\nwhen = 3\n"),
               Catch::Contains("expected a condition"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\npolicy = \"surge\"\nto = [\"anbar\"]\ntroops = [1.0]\nwhen = \"attacks() > 5\"\n"),
               Catch::Contains("cannot be conditional"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 0.5\nuntil = 2008-01-01\n"),
               Catch::Contains("event.x.until") && Catch::Contains("has no 'when'"));
    CHECK_THAT(error_of("[[event]]\nid = \"x\"\ndate = 2007-01-01\npolicy = \"test_policy\"\nfactor = 0.5\n"
                        "when = \"attacks() > 5\"\nuntil = 2006-01-01\n"),
               Catch::Contains("is before the event's date"));
}

TEST_CASE("includes: relative paths, missing files and cycles", "[scenario][loader][include]") {
    test::TempDir dir;
    test::write_bytes(dir / "a.toml", "include = \"b.toml\"\n");
    test::write_bytes(dir / "b.toml", "include = [\"a.toml\"]\n");
    CHECK_THAT(load_error(dir / "a.toml"), Catch::Contains("include cycle") && Catch::Contains("b.toml:1:"));
    test::write_bytes(dir / "m.toml", "\n\ninclude = [\"missing.toml\"]\n");
    CHECK_THAT(load_error(dir / "m.toml"), Catch::Contains("m.toml:3:") && Catch::Contains("missing.toml: no such file"));
    test::write_bytes(dir / "self.toml", "include = \"self.toml\"\n");
    CHECK_THAT(load_error(dir / "self.toml"), Catch::Contains("include cycle"));
}

TEST_CASE("all errors of a file are reported together, up to the cap", "[scenario][loader][diagnostics]") {
    test::TempDir dir;
    std::string text = "[scenario]\n";
    for (int i = 0; i < 80; ++i) text += "unknown_" + std::to_string(i) + " = 1\n";
    test::write_bytes(dir / "many.toml", text);
    const std::string error = load_error(dir / "many.toml");
    CHECK_THAT(error, Catch::Contains("80 error(s)") && Catch::Contains("... and 30 more error(s)"));
    CHECK_THAT(error, Catch::Contains("many.toml:2:1: error: scenario.unknown_0: unknown key"));
}

TEST_CASE("hostile nesting is refused before the parser sees it", "[scenario][loader][robustness]") {
    test::TempDir dir;
    std::string dotted = "a";
    for (int i = 0; i < 100000; ++i) dotted += ".a";
    test::write_bytes(dir / "deep.toml", dotted + " = 1\n");
    CHECK_THAT(load_error(dir / "deep.toml"), Catch::Contains("deep.toml:1:1") && Catch::Contains("nesting deeper"));
    test::write_bytes(dir / "arrays.toml", "x = " + std::string(100000, '[') + std::string(100000, ']') + "\n");
    CHECK_THAT(load_error(dir / "arrays.toml"), Catch::Contains("nesting deeper"));
    // Many dots after '=' (floats in an array) are not nesting.
    std::string floats = "[model.loyalty]\ndiffusion_rate = 0.5\n# ";
    for (int i = 0; i < 200; ++i) floats += "1.5 ";
    test::write_bytes(dir / "floats.toml", floats + "\n");
    CHECK(load_error(dir / "floats.toml").empty());
}

TEST_CASE("registry: every key resolves, has help, and its default passes its own check", "[scenario][registry]") {
    const scenario::Scenario s = scenario::default_scenario();
    const auto paths = scenario::all_paths(s);
    CHECK(paths.size() > 40);  // 18 provinces x 2 + 10 factions + the global keys
    for (const std::string& path : paths) {
        const auto ref = scenario::find_param(s, path);
        REQUIRE(ref.has_value());
        CHECK_FALSE(ref->def->help.empty());
        scenario::Value v = ref->def->get(s, ref->entity);
        INFO(path);
        CHECK(scenario::check_value(*ref->def, v, s).empty());
    }
    CHECK_FALSE(scenario::find_param(s, "province.atlantis.population_2007").has_value());
    CHECK_FALSE(scenario::find_param(s, "scenario").has_value());
}
