#include "iraqsim/output/chunk_deflater.hpp"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "iraqsim/core/error.hpp"

namespace iraqsim::output {

class ChunkDeflater::Compressor {
public:
    virtual ~Compressor() = default;
    // A zlib stream of `in` at the start of `out`, which it may enlarge; returns the stream's size.
    virtual std::size_t compress(std::span<const std::byte> in, std::vector<std::byte>& out) = 0;
};

namespace {

// ISA-L's AVX code returns with the upper halves of the vector registers in use (no vzeroupper),
// and every SSE instruction after it then pays for the mixed state: the model ran 60% slower for
// the rest of the process after the first file was written (bench_baseline; AMD EPYC). Clearing
// them after each call costs nothing.
#if defined(__x86_64__)
__attribute__((target("avx"))) void zero_upper_avx() { _mm256_zeroupper(); }
void clear_upper_vector_state() {
    static const bool avx = __builtin_cpu_supports("avx");
    if (avx) zero_upper_avx();
}
#else
void clear_upper_vector_state() {}
#endif

// Levels 1 (the default) and 2: ISA-L's igzip at that level, about four times faster than zlib's
// level 1 on these series and no larger (docs/output.md); writing the series is most of a run's
// cost.
class Igzip final : public ChunkDeflater::Compressor {
public:
    // The level buffer is left uninitialised (ISA-L sets up its tables on every call): zeroing it
    // for each variable cost a tenth of the writing.
    explicit Igzip(unsigned level)
        : level_(level),
          stream_(std::make_unique<isal_zstream>()),
          level_buffer_size_(level == 1 ? ISAL_DEF_LVL1_DEFAULT : ISAL_DEF_LVL2_DEFAULT),
          level_buffer_(std::make_unique_for_overwrite<std::uint8_t[]>(level_buffer_size_)) {}

    std::size_t compress(std::span<const std::byte> in, std::vector<std::byte>& out) override {
        // Room for stored blocks when the data do not compress; more if even that overflows.
        out.resize(std::max(out.size(), in.size() + in.size() / 8 + 1024));
        for (;;) {
            isal_zstream& stream = *stream_;
            isal_deflate_stateless_init(&stream);
            stream.level = level_;
            stream.level_buf = level_buffer_.get();
            stream.level_buf_size = level_buffer_size_;
            stream.gzip_flag = IGZIP_ZLIB;
            stream.end_of_stream = 1;
            stream.flush = NO_FLUSH;
            // ISA-L's interface is not const-correct; it does not write the input.
            stream.next_in = const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(in.data()));  // NOLINT
            stream.avail_in = static_cast<std::uint32_t>(in.size());
            stream.next_out = reinterpret_cast<std::uint8_t*>(out.data());
            stream.avail_out = static_cast<std::uint32_t>(out.size());
            const int status = isal_deflate_stateless(&stream);
            clear_upper_vector_state();
            if (status == COMP_OK) return stream.total_out;
            if (status != STATELESS_OVERFLOW) throw core::IoError("ISA-L: deflate failed (" + std::to_string(status) + ")");
            out.resize(2 * out.size());
        }
    }

private:
    std::uint32_t level_;
    std::unique_ptr<isal_zstream> stream_;  // some 80 kB
    std::uint32_t level_buffer_size_;
    std::unique_ptr<std::uint8_t[]> level_buffer_;
};

// Levels 3-9: zlib at that level, called as HDF5's own deflate filter calls it (compress2's
// window, memory level and strategy), so that these chunks are the bytes HDF5 would store. One
// stream, reset per chunk.
class Zlib final : public ChunkDeflater::Compressor {
public:
    explicit Zlib(unsigned level) {
        if (deflateInit(&stream_, static_cast<int>(level)) != Z_OK) {
            throw core::IoError("zlib: cannot start deflate at level " + std::to_string(level));
        }
    }
    ~Zlib() override { deflateEnd(&stream_); }
    Zlib(const Zlib&) = delete;
    Zlib& operator=(const Zlib&) = delete;

    std::size_t compress(std::span<const std::byte> in, std::vector<std::byte>& out) override {
        out.resize(std::max<std::size_t>(out.size(), deflateBound(&stream_, static_cast<uLong>(in.size()))));
        deflateReset(&stream_);
        // zlib's interface is not const-correct; it does not write the input.
        stream_.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(in.data()));  // NOLINT
        stream_.avail_in = static_cast<uInt>(in.size());
        stream_.next_out = reinterpret_cast<Bytef*>(out.data());
        stream_.avail_out = static_cast<uInt>(out.size());
        const int status = ::deflate(&stream_, Z_FINISH);
        if (status != Z_STREAM_END) throw core::IoError("zlib: deflate failed (" + std::to_string(status) + ")");
        return stream_.total_out;
    }

private:
    z_stream stream_{};
};

}  // namespace

ChunkDeflater::ChunkDeflater(unsigned level) {
    if (level < 1 || level > 9) throw core::IoError("deflate level " + std::to_string(level) + " is not in 1-9");
    if (level <= 2) {
        compressor_ = std::make_unique<Igzip>(level);
    } else {
        compressor_ = std::make_unique<Zlib>(level);
    }
}

ChunkDeflater::~ChunkDeflater() = default;

ChunkDeflater& ChunkDeflater::for_this_thread(unsigned level) {
    thread_local std::array<std::unique_ptr<ChunkDeflater>, 10> by_level;
    if (level < by_level.size() && by_level[level]) return *by_level[level];
    auto made = std::make_unique<ChunkDeflater>(level);  // refuses a level outside 1-9: the slot exists
    return *(by_level[level] = std::move(made));
}

std::span<const std::byte> ChunkDeflater::deflate(std::span<const std::byte> chunk) {
    const std::size_t size = compressor_->compress(chunk, out_);  // before data(): it may move
    return {out_.data(), size};
}

}  // namespace iraqsim::output
