// The error hierarchy. Every message names the item and the operation; the CLI maps each class
// to its own exit code (documented in `iraqsim --help`).
#pragma once

#include <stdexcept>
#include <string>

namespace iraqsim::core {

enum class ExitCode : int {
    ok = 0,
    usage = 2,          // bad command line
    scenario = 3,       // invalid scenario file or --set value
    io = 4,             // a file cannot be read or written, or exists and --force was not given
    model = 5,          // the model reached an invalid state (a bug or an impossible parameter set)
    internal = 70,      // anything else
};

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    [[nodiscard]] virtual ExitCode exit_code() const { return ExitCode::internal; }
};

class UsageError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::usage; }
};

class ScenarioError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::scenario; }
};

class IoError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::io; }
};

class ModelError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::model; }
};

}  // namespace iraqsim::core
