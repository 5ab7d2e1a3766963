#include "iraqsim/policy/trigger.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "iraqsim/scenario/diagnostics.hpp"

namespace iraqsim::policy {
namespace {

// What a metric's arguments name, in order; trailing provinces are optional and any in number.
enum class Arg { faction, sponsor, event, provinces };

struct MetricDef {
    std::string_view name;
    Metric metric;
    std::vector<Arg> args;
};

const std::vector<MetricDef>& metric_defs() {
    static const std::vector<MetricDef> defs{
        {"fighters", Metric::fighters, {Arg::faction, Arg::provinces}},
        {"fighters_lost", Metric::fighters_lost, {Arg::faction, Arg::provinces}},
        {"civilian_deaths", Metric::civilian_deaths, {Arg::provinces}},
        {"attacks", Metric::attacks, {Arg::provinces}},
        {"us_fatalities", Metric::us_fatalities, {Arg::provinces}},
        {"us_troops", Metric::us_troops, {Arg::provinces}},
        {"support", Metric::support, {Arg::faction, Arg::provinces}},
        {"control", Metric::control, {Arg::faction, Arg::provinces}},
        {"dependence", Metric::dependence, {Arg::faction, Arg::sponsor}},
        {"battle_deaths", Metric::battle_deaths, {Arg::faction, Arg::faction}},
        {"weeks_since", Metric::weeks_since, {Arg::event}},
    };
    return defs;
}

struct Token {
    enum class Kind { word, number, open, close, comma, op, end } kind;
    std::string text;
};

class Parser {
public:
    Parser(std::string_view text, const TriggerNames& names) : names_(names) { tokenize(text); }

    TriggerParse parse() {
        Trigger trigger;
        trigger.any_of.emplace_back();
        while (error_.empty()) {
            Clause clause;
            if (!parse_clause(clause)) break;
            trigger.any_of.back().push_back(std::move(clause));
            const Token& t = peek();
            if (t.kind == Token::Kind::end) break;
            if (t.kind == Token::Kind::word && t.text == "and") {
                next();
            } else if (t.kind == Token::Kind::word && t.text == "or") {
                next();
                trigger.any_of.emplace_back();
            } else {
                fail("expected 'and', 'or' or the end of the condition, found '" + t.text + "'");
            }
        }
        if (!error_.empty()) return {std::nullopt, error_};
        return {std::move(trigger), ""};
    }

private:
    void tokenize(std::string_view s) {
        std::size_t i = 0;
        while (i < s.size() && error_.empty()) {
            const char c = s[i];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
            } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t j = i;
                while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
                tokens_.push_back({Token::Kind::word, std::string(s.substr(i, j - i))});
                i = j;
            } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
                std::size_t j = i + 1;
                while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' ||
                                        ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E'))))
                    ++j;
                tokens_.push_back({Token::Kind::number, std::string(s.substr(i, j - i))});
                i = j;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens_.push_back({c == '(' ? Token::Kind::open : c == ')' ? Token::Kind::close : Token::Kind::comma, std::string(1, c)});
                ++i;
            } else if (c == '<' || c == '>') {
                const bool equal = i + 1 < s.size() && s[i + 1] == '=';
                tokens_.push_back({Token::Kind::op, std::string(s.substr(i, equal ? 2 : 1))});
                i += equal ? 2 : 1;
            } else {
                fail(std::string("unexpected character '") + c + "'");
            }
        }
        tokens_.push_back({Token::Kind::end, "end of the condition"});
    }

    const Token& peek() const { return tokens_[std::min(position_, tokens_.size() - 1)]; }
    const Token& next() { return tokens_[std::min(position_++, tokens_.size() - 1)]; }
    void fail(std::string message) {
        if (error_.empty()) error_ = std::move(message);
    }

    bool expect(Token::Kind kind, std::string_view what) {
        if (peek().kind == kind) {
            next();
            return true;
        }
        fail("expected " + std::string(what) + ", found '" + peek().text + "'");
        return false;
    }

    std::optional<std::size_t> resolve(const std::string& id, const std::vector<std::string>& ids, std::string_view kind) {
        const auto it = std::find(ids.begin(), ids.end(), id);
        if (it != ids.end()) return static_cast<std::size_t>(it - ids.begin());
        std::string message = "unknown " + std::string(kind) + " '" + id + "'";
        if (const std::string guess = scenario::nearest(id, ids); !guess.empty()) message += " (did you mean '" + guess + "'?)";
        fail(message);
        return std::nullopt;
    }

    std::optional<double> number(std::string_view what) {
        const Token& t = peek();
        if (t.kind != Token::Kind::number) {
            fail("expected " + std::string(what) + ", found '" + t.text + "'");
            return std::nullopt;
        }
        double value = 0;
        const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
        if (ec != std::errc{} || end != t.text.data() + t.text.size() || !std::isfinite(value)) {
            fail("'" + t.text + "' is not a number");
            return std::nullopt;
        }
        next();
        return value;
    }

    bool parse_clause(Clause& clause) {
        const Token name = next();
        if (name.kind != Token::Kind::word) {
            fail("expected a metric, found '" + name.text + "'");
            return false;
        }
        const auto& defs = metric_defs();
        const auto def = std::find_if(defs.begin(), defs.end(), [&](const MetricDef& d) { return d.name == name.text; });
        if (def == defs.end()) {
            std::vector<std::string> known;
            for (const MetricDef& d : defs) known.emplace_back(d.name);
            std::string message = "unknown metric '" + name.text + "'";
            if (const std::string guess = scenario::nearest(name.text, known); !guess.empty()) message += " (did you mean '" + guess + "'?)";
            fail(message);
            return false;
        }
        clause.metric = def->metric;
        if (!expect(Token::Kind::open, "'(' after " + name.text)) return false;
        std::vector<std::string> args;
        while (peek().kind == Token::Kind::word) {
            args.push_back(next().text);
            if (peek().kind != Token::Kind::comma) break;
            next();
        }
        if (!expect(Token::Kind::close, "')' closing the arguments of " + name.text)) return false;
        if (!bind_arguments(clause, *def, args)) return false;
        if (peek().kind == Token::Kind::word && peek().text == "over") {
            next();
            if (!is_flow(clause.metric)) {
                fail("'over N weeks' sums a weekly count; " + name.text + " is a level, not a count");
                return false;
            }
            const std::optional<double> weeks = number("a number of weeks after 'over'");
            if (!weeks) return false;
            if (*weeks < 1 || *weeks > 520 || *weeks != std::floor(*weeks)) {
                fail("the window must be a whole number of weeks from 1 to 520");
                return false;
            }
            clause.window_weeks = static_cast<int>(*weeks);
            const Token unit = next();
            if (unit.kind != Token::Kind::word || (unit.text != "weeks" && unit.text != "week")) {
                fail("expected 'weeks' after the window, found '" + unit.text + "'");
                return false;
            }
        }
        const Token op = next();
        if (op.kind != Token::Kind::op) {
            fail("expected a comparison (>, >=, <, <=) after " + name.text + ", found '" + op.text + "'");
            return false;
        }
        clause.comparison = op.text == ">" ? Comparison::above : op.text == ">=" ? Comparison::at_least
                          : op.text == "<" ? Comparison::below : Comparison::at_most;
        const std::optional<double> threshold = number("a number after '" + op.text + "'");
        if (!threshold) return false;
        clause.threshold = *threshold;
        return true;
    }

    bool bind_arguments(Clause& clause, const MetricDef& def, const std::vector<std::string>& args) {
        std::size_t i = 0;
        int factions_bound = 0;
        std::string signature;
        for (Arg a : def.args) {
            signature += signature.empty() ? "" : ", ";
            signature += a == Arg::faction ? "faction" : a == Arg::sponsor ? "sponsor" : a == Arg::event ? "event id" : "provinces...";
        }
        for (Arg a : def.args) {
            if (a == Arg::provinces) {
                for (; i < args.size(); ++i) {
                    const auto p = resolve(args[i], names_.provinces, "province");
                    if (!p) return false;
                    clause.provinces.push_back(*p);
                }
                continue;
            }
            if (i >= args.size()) {
                fail(std::string(def.name) + " takes (" + signature + ")");
                return false;
            }
            const std::string& id = args[i++];
            std::optional<std::size_t> index;
            switch (a) {
                case Arg::faction: index = resolve(id, names_.factions, "faction"); break;
                case Arg::sponsor: index = resolve(id, names_.sponsors, "sponsor"); break;
                case Arg::event: index = resolve(id, names_.events, "event"); break;
                case Arg::provinces: break;
            }
            if (!index) return false;
            if (a == Arg::faction) (factions_bound++ == 0 ? clause.faction : clause.other) = *index;
            if (a == Arg::sponsor) clause.sponsor = *index;
            if (a == Arg::event) clause.event = *index;
        }
        if (i < args.size()) {
            fail(std::string(def.name) + " takes (" + signature + "), not '" + args[i] + "'");
            return false;
        }
        if (clause.metric == Metric::battle_deaths && clause.faction == clause.other) {
            fail("battle_deaths needs two different factions");
            return false;
        }
        return true;
    }

    const TriggerNames& names_;
    std::vector<Token> tokens_;
    std::size_t position_ = 0;
    std::string error_;
};

// Sum of `x(p)` over the clause's provinces (all when none are named).
template <typename Get>
double over_provinces(const Clause& clause, Eigen::Index province_count, Get x) {
    double total = 0;
    if (clause.provinces.empty()) {
        for (Eigen::Index p = 0; p < province_count; ++p) total += x(p);
    } else {
        for (std::size_t p : clause.provinces) total += x(static_cast<Eigen::Index>(p));
    }
    return total;
}

bool compare(double value, Comparison comparison, double threshold) {
    switch (comparison) {
        case Comparison::above: return value > threshold;
        case Comparison::at_least: return value >= threshold;
        case Comparison::below: return value < threshold;
        case Comparison::at_most: return value <= threshold;
    }
    return false;
}

}  // namespace

TriggerParse parse_trigger(std::string_view text, const TriggerNames& names) {
    TriggerParse result = Parser(text, names).parse();
    if (result.trigger) result.trigger->text = std::string(text);
    return result;
}

bool is_flow(Metric metric) {
    switch (metric) {
        case Metric::fighters_lost:
        case Metric::civilian_deaths:
        case Metric::attacks:
        case Metric::us_fatalities:
        case Metric::battle_deaths: return true;
        default: return false;
    }
}

double metric_value(const Clause& clause, const world::Roster& roster, const world::State& state,
                    const std::vector<int>& fired_week, int week) {
    const auto P = static_cast<Eigen::Index>(roster.province_count());
    const auto C = static_cast<Eigen::Index>(roster.community_count());
    const auto f = static_cast<Eigen::Index>(clause.faction);
    auto residents = [&](Eigen::Index p) { return state.residents.row(p).sum(); };
    // Population-weighted mean of a per-province share over the clause's provinces.
    auto weighted = [&](auto share) {
        const double people = over_provinces(clause, P, residents);
        return people > 0 ? over_provinces(clause, P, [&](Eigen::Index p) { return share(p) * residents(p); }) / people : 0.0;
    };
    switch (clause.metric) {
        case Metric::fighters: return over_provinces(clause, P, [&](Eigen::Index p) { return state.militia(p, f); });
        case Metric::fighters_lost:
            return over_provinces(clause, P, [&](Eigen::Index p) { return state.fighters_killed(p, f) + state.fighters_detained(p, f); });
        case Metric::civilian_deaths:
            return over_provinces(clause, P, [&](Eigen::Index p) {
                double killed = state.civilians_killed_by_us.row(p).sum();
                for (Eigen::Index c = 0; c < C; ++c) killed += state.civilians_killed_by.row(c * P + p).sum();
                return killed;
            });
        case Metric::attacks: return over_provinces(clause, P, [&](Eigen::Index p) { return state.attacks_by.row(p).sum(); });
        case Metric::us_fatalities: return over_provinces(clause, P, [&](Eigen::Index p) { return state.us_fatalities(p); });
        case Metric::us_troops: return over_provinces(clause, P, [&](Eigen::Index p) { return state.us_troops(p); });
        case Metric::support:
            return weighted([&](Eigen::Index p) {
                double supporters = 0;
                for (Eigen::Index c = 0; c < C; ++c) supporters += state.loyalty(c * P + p, f) * state.residents(p, c);
                return residents(p) > 0 ? supporters / residents(p) : 0.0;
            });
        case Metric::control: return weighted([&](Eigen::Index p) { return state.control(p, f); });
        case Metric::dependence: return state.dependence(static_cast<Eigen::Index>(clause.sponsor), f);
        case Metric::battle_deaths: return state.battle_deaths(f, static_cast<Eigen::Index>(clause.other));
        case Metric::weeks_since: {
            const int fired = fired_week[clause.event];
            return fired < 0 ? std::nan("") : static_cast<double>(week - fired);
        }
    }
    return std::nan("");
}

TriggerWatch::TriggerWatch(const Trigger& trigger) : trigger_(&trigger) {
    for (const auto& group : trigger.any_of)
        for (const Clause& clause : group) recent_.emplace_back(static_cast<std::size_t>(clause.window_weeks), 0.0);
}

bool TriggerWatch::observe(const world::Roster& roster, const world::State& state, const std::vector<int>& fired_week, int week) {
    bool holds = false;
    std::size_t k = 0;
    const int slot = observed_++;
    for (const auto& group : trigger_->any_of) {
        bool all = true;
        for (const Clause& clause : group) {
            std::vector<double>& ring = recent_[k++];
            const double value = metric_value(clause, roster, state, fired_week, week);
            ring[static_cast<std::size_t>(slot) % ring.size()] = value;
            double total = value;
            if (clause.window_weeks > 1) {
                total = 0;
                for (double v : ring) total += v;
            }
            // NaN (an event not yet fired) compares false either way.
            all = all && compare(total, clause.comparison, clause.threshold);
        }
        holds = holds || all;
    }
    return holds;
}

}  // namespace iraqsim::policy
