// Tidy long CSV of an output file (docs/output.md, "CSV export"): one row per replicate, date,
// entity and variable, for spreadsheets, pandas and R. Rows are streamed, one replicate of one
// variable in memory at a time, so a file of any size exports in bounded memory.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace iraqsim::output {

// The fixed header: every dimension column the format may have, empty where a variable lacks it.
inline constexpr const char* csv_header =
    "replicate,date,province,community,other_community,faction,sponsor,channel,variable,value,units";

// The data variables of a file that export_csv can write, in the file's order: float variables laid
// out [replicate, time, ...] (coordinates, `*_name` display names and the `event_*` policy log are
// not). Throws core::IoError if the file is missing, not HDF5, or has no usable `time` coordinate.
std::vector<std::string> exportable_variables(const std::filesystem::path& h5_file);

// Writes the header and the rows of `variables` (all exportable ones when empty; duplicates are
// written once) to `out`, variable by variable, then replicate, time and the variable's dimensions
// in row-major order. `date` is ISO YYYY-MM-DD, values are printed as %.9g (float32 round-trips),
// NaN as an empty field. Throws core::UsageError naming the valid variables for an unknown name
// (before anything is written), core::IoError for an unreadable file or a failed write.
void export_csv(const std::filesystem::path& h5_file, const std::vector<std::string>& variables, std::ostream& out);

}  // namespace iraqsim::output
