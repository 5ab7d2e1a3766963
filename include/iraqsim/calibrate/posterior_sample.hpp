// A calibration's posterior as `iraqsim calibrate` writes it (DIR/posterior.csv, or a copy of its
// last population such as scenarios/calibration/baseline-2004-2006.posterior.csv): the last
// population's particles and weights, and draws from them by weight, so that a what-if can be run
// over parameter uncertainty (`iraqsim compare --posterior`; docs/validation.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace iraqsim::calibrate {

struct PosteriorSample {
    std::filesystem::path file;
    std::int64_t population = 0;                  // the last population's index
    std::vector<std::string> keys;                // scenario keys, in the file's column order
    std::vector<std::vector<std::string>> values; // per particle, each key's value as written (exact for --set)
    std::vector<double> weights;                  // per particle, normalised to sum 1
};

// Reads the file's last population. Lines starting with '#' are comments; the header is
// `population,particle,weight,distance,<key>...`. Throws core::IoError when the file cannot be
// read and core::ScenarioError naming file:line for a malformed one.
PosteriorSample read_posterior_sample(const std::filesystem::path& file);

// `draws` particle indices by weight, by systematic resampling: positions (k + u) / draws on the
// weights' cumulative sum, with u in [0, 1) from `seed`, so the same seed gives the same draws on
// every machine, and a particle of weight w is drawn floor or ceil of w * draws times.
std::vector<std::size_t> draw_by_weight(const std::vector<double>& weights, std::size_t draws, std::uint64_t seed);

// Particle i's values as scenario overrides, "key=value".
std::vector<std::string> particle_overrides(const PosteriorSample& sample, std::size_t particle);

}  // namespace iraqsim::calibrate
