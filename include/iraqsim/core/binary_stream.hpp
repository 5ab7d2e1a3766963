// Binary records for checkpoints (engine/checkpoint.hpp): fixed-width values in the machine's byte
// order, vectors and Eigen arrays as a length followed by their elements. Both ends keep a running
// FNV-1a hash of every byte, so a file can end with the hash of what precedes it and a reader can
// tell a corrupt file from a good one. A reader never allocates more than the file has left, so a
// corrupt length fails cleanly instead of exhausting memory.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace iraqsim::core {

class BinaryWriter {
public:
    // Writes to `out`; with no stream it only hashes (a fingerprint of a record).
    explicit BinaryWriter(std::ostream* out) : out_(out) {}

    void bytes(const void* data, std::size_t size);
    template <class T>
    void value(const T& x) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes(&x, sizeof x);
    }
    template <class T>
    void vector(const std::vector<T>& v) {
        value<std::uint64_t>(v.size());
        bytes(v.data(), v.size() * sizeof(T));
    }
    void string(std::string_view s);
    void array(const Eigen::ArrayXXd& a);
    void array(const Eigen::ArrayXd& a);

    [[nodiscard]] std::uint64_t hash() const { return hash_; }
    [[nodiscard]] std::uint64_t position() const { return position_; }

private:
    std::ostream* out_;
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
    std::uint64_t position_ = 0;
};

class BinaryReader {
public:
    // `name` (the file) is named in every error; `size` is the stream's length in bytes.
    BinaryReader(std::istream& in, std::string name, std::uint64_t size);

    // Throws core::IoError ("NAME is truncated or corrupt (reading WHAT)") past the end.
    void bytes(void* data, std::size_t size, std::string_view what);
    template <class T>
    T value(std::string_view what) {
        static_assert(std::is_trivially_copyable_v<T>);
        T x{};
        bytes(&x, sizeof x, what);
        return x;
    }
    template <class T>
    std::vector<T> vector(std::string_view what) {
        std::vector<T> v(length(sizeof(T), what));
        bytes(v.data(), v.size() * sizeof(T), what);
        return v;
    }
    std::string string(std::string_view what);
    Eigen::ArrayXXd array2(std::string_view what);
    Eigen::ArrayXd array1(std::string_view what);

    [[nodiscard]] std::uint64_t hash() const { return hash_; }
    [[nodiscard]] std::uint64_t position() const { return position_; }
    [[nodiscard]] const std::string& name() const { return name_; }
    // Throws core::IoError naming the file and `what`.
    [[noreturn]] void corrupt(std::string_view what) const;

private:
    // Reads an element count and checks that that many elements of `element_size` bytes fit in what is left.
    std::size_t length(std::size_t element_size, std::string_view what);

    std::istream& in_;
    std::string name_;
    std::uint64_t size_;
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
    std::uint64_t position_ = 0;
};

}  // namespace iraqsim::core
