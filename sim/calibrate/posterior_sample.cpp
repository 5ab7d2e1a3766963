#include "iraqsim/calibrate/posterior_sample.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "iraqsim/core/csv_fields.hpp"
#include "iraqsim/core/error.hpp"

namespace iraqsim::calibrate {
namespace {

constexpr const char* leading_columns[] = {"population", "particle", "weight", "distance"};

double parse_number(const std::string& text, const std::string& where, const char* what) {
    try {
        std::size_t used = 0;
        const double x = std::stod(text, &used);
        if (used == text.size() && std::isfinite(x)) return x;
    } catch (const std::exception&) {
    }
    throw core::ScenarioError(where + ": " + what + " '" + text + "' is not a finite number");
}

// splitmix64: one well-mixed 64-bit value from the seed.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

PosteriorSample read_posterior_sample(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw core::IoError("cannot read the posterior " + file.string() + ": no such file or not readable");
    PosteriorSample sample;
    sample.file = file;
    std::vector<std::string> header;
    struct Row {
        std::int64_t population;
        double weight;
        std::vector<std::string> values;
    };
    std::vector<Row> rows;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const std::string where = file.string() + ":" + std::to_string(number);
        std::vector<std::string> fields = core::csv_fields(line);
        if (header.empty()) {
            header = std::move(fields);
            const bool shaped = header.size() > 4 && std::equal(std::begin(leading_columns), std::end(leading_columns), header.begin());
            if (!shaped) {
                throw core::ScenarioError(where + ": not a posterior of `iraqsim calibrate`: the header must be "
                                          "population,particle,weight,distance followed by the parameters' keys");
            }
            sample.keys.assign(header.begin() + 4, header.end());
            continue;
        }
        if (fields.size() != header.size()) {
            throw core::ScenarioError(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                                      std::to_string(header.size()));
        }
        Row row;
        const double population = parse_number(fields[0], where, "population");
        if (population < 0 || population != std::floor(population)) throw core::ScenarioError(where + ": population must be a whole number >= 0");
        row.population = static_cast<std::int64_t>(population);
        row.weight = parse_number(fields[2], where, "weight");
        if (row.weight < 0) throw core::ScenarioError(where + ": weight must be >= 0");
        for (std::size_t k = 4; k < fields.size(); ++k) parse_number(fields[k], where, header[k].c_str());
        row.values.assign(fields.begin() + 4, fields.end());
        rows.push_back(std::move(row));
    }
    if (header.empty() || rows.empty()) throw core::ScenarioError(file.string() + ": no particles (an empty posterior)");
    sample.population = std::max_element(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.population < b.population; })->population;
    double total = 0;
    for (Row& row : rows) {
        if (row.population != sample.population) continue;
        total += row.weight;
        sample.weights.push_back(row.weight);
        sample.values.push_back(std::move(row.values));
    }
    if (!(total > 0)) throw core::ScenarioError(file.string() + ": the weights of population " + std::to_string(sample.population) + " sum to 0");
    for (double& w : sample.weights) w /= total;
    return sample;
}

std::vector<std::size_t> draw_by_weight(const std::vector<double>& weights, std::size_t draws, std::uint64_t seed) {
    std::vector<std::size_t> picks;
    if (weights.empty()) return picks;
    const double u = static_cast<double>(mix(seed) >> 11) * 0x1.0p-53;
    double cumulative = weights[0];
    std::size_t i = 0;
    for (std::size_t k = 0; k < draws; ++k) {
        const double position = (static_cast<double>(k) + u) / static_cast<double>(draws);
        while (cumulative <= position && i + 1 < weights.size()) cumulative += weights[++i];
        picks.push_back(i);
    }
    return picks;
}

std::vector<std::string> particle_overrides(const PosteriorSample& sample, std::size_t particle) {
    std::vector<std::string> sets;
    for (std::size_t k = 0; k < sample.keys.size(); ++k) sets.push_back(sample.keys[k] + "=" + sample.values.at(particle)[k]);
    return sets;
}

}  // namespace iraqsim::calibrate
