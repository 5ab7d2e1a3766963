// What built this binary: written into every output file as provenance.
#pragma once

#include <string>

namespace iraqsim::core {

struct BuildInfo {
    const char* version;
    const char* git_revision;
    const char* compiler;
    const char* build_type;
};

const BuildInfo& build_info();

// Versions of the libraries linked in, as one line ("HDF5 1.10.8, TBB 2021.8, ...").
std::string library_versions();

}  // namespace iraqsim::core
