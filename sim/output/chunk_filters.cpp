#include "iraqsim/output/chunk_filters.hpp"

#include <zlib.h>

#include <algorithm>
#include <string>

#include "iraqsim/core/error.hpp"

namespace iraqsim::output {

// One zlib stream reset per chunk: compress2's output (what HDF5's deflate filter calls) with
// the default window, memory level and strategy, without its allocation per chunk.
struct ChunkFilters::Deflater {
    z_stream stream{};

    explicit Deflater(unsigned level) {
        if (deflateInit(&stream, static_cast<int>(level)) != Z_OK) throw core::IoError("zlib: cannot start deflate");
    }
    ~Deflater() { deflateEnd(&stream); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;

    void compress(std::span<const std::byte> in, std::vector<std::byte>& out) {
        out.resize(deflateBound(&stream, static_cast<uLong>(in.size())));
        deflateReset(&stream);
        // zlib's interface is not const-correct; it does not write the input.
        stream.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(in.data()));  // NOLINT
        stream.avail_in = static_cast<uInt>(in.size());
        stream.next_out = reinterpret_cast<Bytef*>(out.data());
        stream.avail_out = static_cast<uInt>(out.size());
        const int status = deflate(&stream, Z_FINISH);
        if (status != Z_STREAM_END) throw core::IoError("zlib: deflate failed (" + std::to_string(status) + ")");
        out.resize(stream.total_out);
    }
};

ChunkFilters::ChunkFilters(bool shuffle, unsigned deflate_level, std::size_t element_size)
    : shuffle_(shuffle && element_size > 1),
      element_size_(element_size),
      deflater_(deflate_level > 0 ? std::make_unique<Deflater>(deflate_level) : nullptr) {}

ChunkFilters::~ChunkFilters() = default;

namespace {

// HDF5's shuffle filter: byte j of every element together, elements in order, then any trailing
// bytes of a partial element as they were. `Size` known at compile time makes the loop several
// times faster; 0: `size` at run time.
template <std::size_t Size>
void shuffle_bytes(std::span<const std::byte> in, std::size_t size, std::byte* out) {
    if constexpr (Size != 0) size = Size;
    const std::size_t n = in.size() / size;
    for (std::size_t j = 0; j < size; ++j) {
        std::byte* plane = out + j * n;
        for (std::size_t i = 0; i < n; ++i) plane[i] = in[i * size + j];
    }
    const std::size_t tail = n * size;
    std::copy(in.begin() + static_cast<std::ptrdiff_t>(tail), in.end(), out + tail);
}

}  // namespace

std::span<const std::byte> ChunkFilters::encode(std::span<const std::byte> chunk) {
    std::span<const std::byte> data = chunk;
    if (shuffle_) {
        shuffled_.resize(chunk.size());
        switch (element_size_) {
            case 4: shuffle_bytes<4>(chunk, element_size_, shuffled_.data()); break;
            case 8: shuffle_bytes<8>(chunk, element_size_, shuffled_.data()); break;
            default: shuffle_bytes<0>(chunk, element_size_, shuffled_.data()); break;
        }
        data = shuffled_;
    }
    if (!deflater_) return data;
    deflater_->compress(data, compressed_);
    return compressed_;
}

}  // namespace iraqsim::output
