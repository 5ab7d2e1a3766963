// Deflates whole chunks of a time series variable into the zlib streams HDF5's deflate filter
// stores, for H5Dwrite_chunk: going through HDF5's own pipeline costs a chunk-cache copy and a
// zlib stream set up per chunk, and ties the compressor to zlib. The stored chunks are standard:
// any HDF5 reader inflates them with zlib, whichever compressor wrote them.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace iraqsim::output {

class ChunkDeflater {
public:
    // level 1-9, as output.compression (docs/output.md: which compressor each level uses).
    explicit ChunkDeflater(unsigned level);
    ~ChunkDeflater();
    ChunkDeflater(const ChunkDeflater&) = delete;
    ChunkDeflater& operator=(const ChunkDeflater&) = delete;

    // The chunk's stored bytes; valid until the next call.
    std::span<const std::byte> deflate(std::span<const std::byte> chunk);

    // This thread's deflater at `level`, kept for the thread's life: a new one costs igzip's
    // zeroed stream state (some 80 kB) and an output buffer that pages in afresh, for every
    // variable of every replicate written.
    static ChunkDeflater& for_this_thread(unsigned level);

    class Compressor;

private:
    std::unique_ptr<Compressor> compressor_;
    std::vector<std::byte> out_;  // only grows, so that it is zeroed once, not per chunk
};

}  // namespace iraqsim::output
