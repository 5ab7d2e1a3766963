#include "iraqsim/core/binary_stream.hpp"

#include <istream>
#include <ostream>
#include <utility>

#include "iraqsim/core/error.hpp"

namespace iraqsim::core {
namespace {

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ p[i]) * 0x100000001b3ULL;
    return hash;
}

}  // namespace

void BinaryWriter::bytes(const void* data, std::size_t size) {
    if (size == 0) return;
    hash_ = fnv1a(hash_, data, size);
    position_ += size;
    if (out_ != nullptr) out_->write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

void BinaryWriter::string(std::string_view s) {
    value<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
}

void BinaryWriter::array(const Eigen::ArrayXXd& a) {
    value<std::int64_t>(a.rows());
    value<std::int64_t>(a.cols());
    bytes(a.data(), static_cast<std::size_t>(a.size()) * sizeof(double));
}

void BinaryWriter::array(const Eigen::ArrayXd& a) {
    value<std::int64_t>(a.size());
    bytes(a.data(), static_cast<std::size_t>(a.size()) * sizeof(double));
}

BinaryReader::BinaryReader(std::istream& in, std::string name, std::uint64_t size)
    : in_(in), name_(std::move(name)), size_(size) {}

void BinaryReader::corrupt(std::string_view what) const {
    throw IoError("checkpoint " + name_ + " is truncated or corrupt (reading " + std::string(what) + " at byte " +
                  std::to_string(position_) + ")");
}

void BinaryReader::bytes(void* data, std::size_t size, std::string_view what) {
    if (size == 0) return;
    if (size > size_ - position_) corrupt(what);
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
    if (!in_) corrupt(what);
    hash_ = fnv1a(hash_, data, size);
    position_ += size;
}

std::size_t BinaryReader::length(std::size_t element_size, std::string_view what) {
    const auto n = value<std::uint64_t>(what);
    if (element_size > 0 && n > (size_ - position_) / element_size) corrupt(what);
    return static_cast<std::size_t>(n);
}

std::string BinaryReader::string(std::string_view what) {
    std::string s(length(1, what), '\0');
    bytes(s.data(), s.size(), what);
    return s;
}

Eigen::ArrayXXd BinaryReader::array2(std::string_view what) {
    const auto rows = value<std::int64_t>(what), cols = value<std::int64_t>(what);
    if (rows < 0 || cols < 0 || (rows > 0 && static_cast<std::uint64_t>(cols) > (size_ - position_) / sizeof(double) / static_cast<std::uint64_t>(rows)))
        corrupt(what);
    Eigen::ArrayXXd a(rows, cols);
    bytes(a.data(), static_cast<std::size_t>(a.size()) * sizeof(double), what);
    return a;
}

Eigen::ArrayXd BinaryReader::array1(std::string_view what) {
    const auto n = value<std::int64_t>(what);
    if (n < 0 || static_cast<std::uint64_t>(n) > (size_ - position_) / sizeof(double)) corrupt(what);
    Eigen::ArrayXd a(n);
    bytes(a.data(), static_cast<std::size_t>(n) * sizeof(double), what);
    return a;
}

}  // namespace iraqsim::core
