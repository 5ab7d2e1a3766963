#include <hdf5.h>
#include <oneapi/tbb/version.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <string>
#include <toml++/toml.h>

#include "iraqsim/core/build_info.hpp"

namespace iraqsim::core {

std::string library_versions() {
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    auto num = [](auto v) { return std::to_string(v); };
    return "HDF5 " + num(major) + "." + num(minor) + "." + num(release) +
           ", oneTBB " + TBB_runtime_version() +
           ", Eigen " + num(EIGEN_WORLD_VERSION) + "." + num(EIGEN_MAJOR_VERSION) + "." + num(EIGEN_MINOR_VERSION) +
           ", Boost " + num(BOOST_VERSION / 100000) + "." + num(BOOST_VERSION / 100 % 1000) +
           ", toml++ " + num(TOML_LIB_MAJOR) + "." + num(TOML_LIB_MINOR) + "." + num(TOML_LIB_PATCH);
}

}  // namespace iraqsim::core
