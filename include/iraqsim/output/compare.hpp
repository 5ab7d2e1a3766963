// Paired comparison of a what-if against its baseline (`iraqsim compare`): both runs share the seed
// and replicate count, so replicate r of each draws from the same random streams (common random
// numbers) and the per-replicate difference isolates the policy's effect from the noise.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "iraqsim/engine/ensemble.hpp"
#include "iraqsim/output/recorder.hpp"
#include "iraqsim/scenario/scenario.hpp"

namespace iraqsim::output {

// The weekly counts `iraqsim compare` reports: flows by province.
const std::vector<std::string>& compared_variables();

// One side of a comparison: per variable, values [replicate][record][province].
struct ComparedRun {
    std::string scenario_name;
    std::string source;  // file or scenario path, for messages
    std::int64_t seed = 0;
    std::int64_t replicates = 0;
    std::vector<double> time_days;  // days since the time origin, one per record
    std::vector<std::string> provinces;
    std::vector<std::string> variables;         // those of compared_variables() this run has
    std::vector<std::vector<double>> values;    // by variable: replicate-major, then record, then province
};

// Reads a file `iraqsim run` wrote. Throws core::IoError naming the file when it cannot.
ComparedRun read_compared_run(const std::filesystem::path& file);

// From an ensemble run in memory (spec must hold compared_variables()).
ComparedRun compared_run(const scenario::Scenario& scenario, const RecordSpec& spec, const engine::EnsembleResult& result);

// A record spec with exactly compared_variables().
RecordSpec compared_spec(int every_weeks = 1);

struct Effect {
    std::string variable;
    std::string period;    // "2007", ..., or "all"
    std::string province;  // "Iraq" or a province id
    double baseline_mean = 0, whatif_mean = 0;
    double difference_mean = 0, low = 0, high = 0;  // what-if minus baseline, 95% interval
    double relative = 0;                            // difference / baseline mean (NaN if 0)
    double difference_variance = 0;                 // the replicates' sample variance of the difference (NaN with one)
};

struct CompareOptions {
    bool by_province = false;  // effects by province over the whole period, besides by year
    std::vector<std::string> variables;  // empty: every compared variable both runs have
};

// Checks that the runs pair (same seed, replicates, time axis and provinces); throws
// core::UsageError saying which differs and how to fix it.
void check_pairable(const ComparedRun& baseline, const ComparedRun& whatif);

// Effects by calendar year and for the whole period (all of Iraq), and by province if asked. The
// interval is the paired t interval over replicates (none with one replicate: low = high = NaN).
std::vector<Effect> compare_runs(const ComparedRun& baseline, const ComparedRun& whatif, const CompareOptions& options);

// A what-if's effect over a calibration's posterior draws (`iraqsim compare --posterior`): each
// draw is a comparison at one particle's values, with the same replicates. Per row, `mean` holds the
// means over draws of the baseline, the what-if and the difference, the relative change of those
// means, and as low and high the 5% and 95% quantiles of the draws' mean differences. The variance
// of one member's effect splits as
//     between + within,  within = mean over draws of the replicates' variance,
//                        between = variance of the draws' mean differences - within / replicates
// (the draws' means still carry the noise of their replicates; never below 0), and
// parameter_share = between / (between + within): how much of the effect's spread is parameter
// uncertainty rather than the model's noise.
struct PosteriorEffect {
    Effect mean;
    double parameter_share = 0;
};
std::vector<PosteriorEffect> combine_draws(const std::vector<std::vector<Effect>>& draws, std::int64_t replicates);

// The two-sided 97.5% quantile of Student's t with `df` degrees of freedom.
double t_quantile_975(std::int64_t df);

}  // namespace iraqsim::output
