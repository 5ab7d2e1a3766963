// Small text helpers the tests share.
#pragma once

#include <string>

namespace iraqsim::test {

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace iraqsim::test
