#include "iraqsim/engine/checkpoint.hpp"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "iraqsim/core/build_info.hpp"
#include "iraqsim/core/error.hpp"
#include "iraqsim/output/atomic_output.hpp"
#include "iraqsim/policy/catalogue.hpp"
#include "iraqsim/scenario/loader.hpp"

namespace iraqsim::engine {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view magic = "iraqsim checkpoint\n";

void write_series(core::BinaryWriter& out, const output::ReplicateSeries& series) {
    out.value<std::uint64_t>(series.values.size());
    for (const std::vector<float>& v : series.values) out.vector(v);
    out.value<std::uint64_t>(series.policy_log.size());
    for (const output::PolicyFiring& f : series.policy_log) {
        out.value<std::int32_t>(f.week);
        out.string(f.id);
        out.string(f.policy);
        out.string(f.target);
    }
    // Field by field: the struct's padding bytes are undefined.
    out.value<std::uint64_t>(series.incidents.size());
    for (const model::Incident& i : series.incidents) {
        out.value<std::int32_t>(i.week);
        out.value(i.province);
        out.value(i.perpetrator);
        out.value(static_cast<std::uint8_t>(i.kind));
        out.value(i.target);
        out.value(i.deaths);
    }
}

output::ReplicateSeries read_series(core::BinaryReader& in) {
    output::ReplicateSeries series;
    const auto variables = in.value<std::uint64_t>("recorded variables");
    for (std::uint64_t k = 0; k < variables; ++k) series.values.push_back(in.vector<float>("recorded series"));
    const auto firings = in.value<std::uint64_t>("policy log");
    for (std::uint64_t k = 0; k < firings; ++k) {
        output::PolicyFiring f;
        f.week = in.value<std::int32_t>("policy log");
        f.id = in.string("policy log");
        f.policy = in.string("policy log");
        f.target = in.string("policy log");
        series.policy_log.push_back(std::move(f));
    }
    const auto incidents = in.value<std::uint64_t>("incidents");
    for (std::uint64_t k = 0; k < incidents; ++k) {
        model::Incident i;
        i.week = in.value<std::int32_t>("incidents");
        i.province = in.value<std::uint16_t>("incidents");
        i.perpetrator = in.value<std::uint16_t>("incidents");
        const auto kind = in.value<std::uint8_t>("incidents");
        if (kind > static_cast<std::uint8_t>(model::Incident::Kind::battle)) in.corrupt("incidents");
        i.kind = static_cast<model::Incident::Kind>(kind);
        i.target = in.value<std::uint16_t>("incidents");
        i.deaths = in.value<double>("incidents");
        series.incidents.push_back(i);
    }
    return series;
}

void write_header(core::BinaryWriter& out, const CheckpointRun& run) {
    out.bytes(magic.data(), magic.size());
    out.value(checkpoint_format_version);
    out.string(core::build_info().version);
    out.string(run.scenario_source);
    out.string(run.scenario_text);
    out.string(run.output);
    out.value(run.replicates);
    out.value(run.every_weeks);
    out.value<std::uint8_t>(run.check_invariants ? 1 : 0);
}

std::uint64_t checkpoint_size(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw core::IoError("cannot read checkpoint " + path.string() + ": " + ec.message());
    return size;
}

}  // namespace

std::uint64_t series_fingerprint(const output::ReplicateSeries& series) {
    core::BinaryWriter hash(nullptr);
    write_series(hash, series);
    return hash.hash();
}

Checkpoint read_checkpoint(const fs::path& path) {
    const std::uint64_t size = checkpoint_size(path);
    std::ifstream stream(path, std::ios::binary);
    if (!stream) throw core::IoError("cannot read checkpoint " + path.string());
    core::BinaryReader in(stream, path.string(), size);
    std::string head(std::min<std::uint64_t>(size, magic.size()), '\0');
    in.bytes(head.data(), head.size(), "the header");
    if (head != magic.substr(0, head.size())) throw core::IoError(path.string() + " is not an iraqsim checkpoint");
    if (head.size() < magic.size()) in.corrupt("the header");
    const auto version = in.value<std::uint32_t>("the format version");
    if (version != checkpoint_format_version) {
        throw core::IoError("checkpoint " + path.string() + " has format version " + std::to_string(version) +
                            "; this build of iraqsim reads version " + std::to_string(checkpoint_format_version));
    }
    Checkpoint c;
    in.string("the build's version");
    c.run.scenario_source = in.string("the scenario's source");
    c.run.scenario_text = in.string("the scenario");
    c.run.output = in.string("the output path");
    c.run.replicates = in.value<std::int64_t>("the replicate count");
    c.run.every_weeks = in.value<std::int32_t>("the checkpoint interval");
    c.run.check_invariants = in.value<std::uint8_t>("the settings") != 0;
    if (c.run.replicates < 1 || static_cast<std::uint64_t>(c.run.replicates) > size || c.run.every_weeks < 0)
        in.corrupt("the settings");
    c.replicates.resize(static_cast<std::size_t>(c.run.replicates));
    for (ReplicateCheckpoint& r : c.replicates) {
        r.offset = in.position();
        const auto progress = in.value<std::uint8_t>("a replicate's progress");
        if (progress > static_cast<std::uint8_t>(ReplicateProgress::done)) in.corrupt("a replicate's progress");
        r.progress = static_cast<ReplicateProgress>(progress);
        if (r.progress == ReplicateProgress::in_progress) {
            r.week = in.value<std::int32_t>("a replicate's week");
            r.series_fingerprint = in.value<std::uint64_t>("a replicate's fingerprint");
            if (in.value<std::uint8_t>("a replicate's citizens") != 0) {
                r.citizens = agents::read_citizen_checkpoint(in);
                if (r.citizens->week != r.week) in.corrupt("the citizens' week");
            }
            if (r.week < 0) in.corrupt("a replicate's week");
        } else if (r.progress == ReplicateProgress::done) {
            r.series = read_series(in);
        }
        r.length = in.position() - r.offset;
    }
    const std::uint64_t expected = in.hash();
    const auto stored = in.value<std::uint64_t>("the checksum");
    if (stored != expected || in.position() != size) in.corrupt("the checksum");
    return c;
}

scenario::Scenario checkpoint_scenario(const CheckpointRun& run, const fs::path& path) {
    scenario::Scenario s = scenario::default_scenario();
    scenario::Diagnostics diagnostics;
    scenario::apply_text(s, run.scenario_text, path.string() + " (its scenario)", diagnostics);
    if (diagnostics.empty()) scenario::validate(s, policy::policy_catalogue(), diagnostics);
    diagnostics.throw_if_any();
    s.source = run.scenario_source;
    s.text = scenario::to_config_toml(s);
    return s;
}

Checkpointer::Checkpointer(fs::path path, Checkpoint state, bool agents_mode, int week_count, int stop_at_week)
    : path_(std::move(path)),
      state_(std::move(state)),
      agents_mode_(agents_mode),
      week_count_(week_count),
      stop_at_week_(stop_at_week) {
    for (const ReplicateCheckpoint& r : state_.replicates)
        if (r.progress != ReplicateProgress::not_started) file_exists_ = true;
}

std::optional<output::ReplicateSeries> Checkpointer::take_finished(std::size_t r) {
    std::lock_guard lock(mutex_);
    ReplicateCheckpoint& slot = state_.replicates.at(r);
    if (slot.progress != ReplicateProgress::done) return std::nullopt;
    return std::move(slot.series);
}

RunHooks Checkpointer::hooks(std::size_t r) {
    RunHooks hooks;
    int resumed = -1;
    std::uint64_t fingerprint = 0;
    {
        std::lock_guard lock(mutex_);
        ReplicateCheckpoint& slot = state_.replicates.at(r);
        if (slot.progress == ReplicateProgress::in_progress) {
            if (slot.citizens.has_value() != agents_mode_) {
                throw core::IoError("checkpoint " + path_.string() + ": replicate " + std::to_string(r) +
                                    (agents_mode_ ? " has no citizens, but the scenario is in agents mode"
                                                  : " has citizens, but the scenario is in aggregate mode"));
            }
            resumed = slot.week;
            fingerprint = slot.series_fingerprint;
            hooks.citizens = std::move(slot.citizens);
            slot.citizens.reset();
        }
    }
    hooks.after_week = [this, r, resumed, fingerprint](int week, const Simulation& sim, const output::Recorder& recorder) {
        if (week < resumed) return true;
        if (week == resumed) {
            if (series_fingerprint(recorder.series()) != fingerprint) {
                throw core::IoError("checkpoint " + path_.string() + ": replicate " + std::to_string(r) + " replayed to week " +
                                    std::to_string(week) + " differs from the run that wrote it (written by another build or model?)");
            }
            return true;
        }
        const bool stop = stop_at_week_ > 0 && week == stop_at_week_;
        const int every = state_.run.every_weeks;
        if (week + 1 < week_count_ && (stop || (every > 0 && week > 0 && week % every == 0))) {
            rewrite(r, [&](core::BinaryWriter& out) {
                out.value(static_cast<std::uint8_t>(ReplicateProgress::in_progress));
                out.value<std::int32_t>(week);
                out.value(series_fingerprint(recorder.series()));
                out.value<std::uint8_t>(sim.citizens() != nullptr ? 1 : 0);
                if (sim.citizens() != nullptr) agents::write_citizen_checkpoint(out, *sim.citizens(), week);
            });
        }
        return !stop;
    };
    return hooks;
}

void Checkpointer::finish(std::size_t r, const output::ReplicateSeries& series) {
    rewrite(r, [&](core::BinaryWriter& out) {
        out.value(static_cast<std::uint8_t>(ReplicateProgress::done));
        write_series(out, series);
    });
}

void Checkpointer::rewrite(std::size_t r, const std::function<void(core::BinaryWriter&)>& write_record) {
    std::lock_guard lock(mutex_);
    output::AtomicOutput file(path_, true);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> extents(state_.replicates.size());
    {
        std::ofstream stream(file.temporary_path(), std::ios::binary | std::ios::trunc);
        std::ifstream previous;
        if (file_exists_) previous.open(path_, std::ios::binary);
        if (!stream || (file_exists_ && !previous)) throw core::IoError("cannot write checkpoint " + path_.string());
        core::BinaryWriter out(&stream);
        write_header(out, state_.run);
        std::vector<char> buffer(std::size_t{1} << 20);
        for (std::size_t q = 0; q < state_.replicates.size(); ++q) {
            const ReplicateCheckpoint& slot = state_.replicates[q];
            extents[q].first = out.position();
            if (q == r) {
                write_record(out);
            } else if (file_exists_ && slot.length > 0) {
                previous.seekg(static_cast<std::streamoff>(slot.offset));
                for (std::uint64_t left = slot.length; left > 0;) {
                    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
                    if (!previous.read(buffer.data(), static_cast<std::streamsize>(n)))
                        throw core::IoError("cannot read checkpoint " + path_.string() + " to rewrite it");
                    out.bytes(buffer.data(), n);
                    left -= n;
                }
            } else {
                out.value(static_cast<std::uint8_t>(ReplicateProgress::not_started));
            }
            extents[q].second = out.position() - extents[q].first;
        }
        const std::uint64_t checksum = out.hash();
        stream.write(reinterpret_cast<const char*>(&checksum), sizeof checksum);
        stream.close();
        if (!stream) throw core::IoError("cannot write checkpoint " + path_.string() + " (is the disk full?)");
    }
    file.commit();
    file_exists_ = true;
    for (std::size_t q = 0; q < extents.size(); ++q) {
        state_.replicates[q].offset = extents[q].first;
        state_.replicates[q].length = extents[q].second;
    }
}

void Checkpointer::remove_file() {
    std::lock_guard lock(mutex_);
    std::error_code ec;
    fs::remove(path_, ec);
}

}  // namespace iraqsim::engine
