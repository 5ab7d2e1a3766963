// HDF5's shuffle and deflate filters, applied here to whole chunks that are then stored with
// H5Dwrite_chunk. Going through HDF5's own pipeline costs a chunk-cache copy and a zlib stream
// set up and torn down per chunk; the stored chunks are the same standard shuffle + deflate
// chunks that any HDF5 reader decodes.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace iraqsim::output {

class ChunkFilters {
public:
    // deflate_level 0: no deflate filter. element_size: the shuffle filter's type size.
    ChunkFilters(bool shuffle, unsigned deflate_level, std::size_t element_size);
    ~ChunkFilters();
    ChunkFilters(const ChunkFilters&) = delete;
    ChunkFilters& operator=(const ChunkFilters&) = delete;

    // The chunk as HDF5's pipeline (shuffle, then deflate) stores it, every filter applied (HDF5
    // keeps a deflated chunk even when it came out larger); valid until the next call.
    std::span<const std::byte> encode(std::span<const std::byte> chunk);

private:
    struct Deflater;
    bool shuffle_;
    std::size_t element_size_;
    std::unique_ptr<Deflater> deflater_;  // null without deflate
    std::vector<std::byte> shuffled_;
    std::vector<std::byte> compressed_;
};

}  // namespace iraqsim::output
