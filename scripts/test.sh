#!/usr/bin/env bash
# Installs the dependencies, builds iraqsim with its tests (warnings are errors) and runs every
# test through ctest. Pass --sanitize to build and test under AddressSanitizer and UBSan as well.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=0
for arg in "$@"; do
  case $arg in
    --sanitize) sanitize=1 ;;
    -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh
jobs=$(nproc)

# run_suite BUILD_DIR "CTEST ARGS" CMAKE ARGS...
run_suite() {
  local dir=$1 ctest_args=$2; shift 2
  # Tests on whatever the directory's cache says (scripts/quickstart.sh configures `build` without
  # them), and a suite that finds no test is a failure, not a pass.
  cmake -S . -B "$dir" -DIRAQSIM_WARNINGS_AS_ERRORS=ON -DIRAQSIM_BUILD_TESTS=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  # shellcheck disable=SC2086  # ctest_args is a list of words
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j"$jobs" $ctest_args)
}

if [[ $sanitize == 1 ]]; then
  echo "== tests under AddressSanitizer and UndefinedBehaviorSanitizer"
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
  # The plotting scripts' tests check Python, not the C++ under the sanitizers (the runs they
  # start are covered by the CLI tests here), and the claims (hundreds of replicates of the whole
  # period) and the slow calibration recovery only repeat, many times slower, what the Release
  # suite checks: they run once, in the Release suite. So do the tests that only compare outputs
  # of code the other tests run (every scenario in full, byte equality across seeds and threads,
  # every example sweep's plan, 90,000 errors reported): minutes under the sanitizers, nothing new.
  repeats='^cli:.(check_every_scenario|threads_same_bytes|same_seed_same_bytes)$|^sweep:.examples_plan$|ninety_thousand'  # one word: no spaces
  run_suite build-sanitize "-E ^python:|^claims:|^calibrate-slow:|$repeats" -DCMAKE_BUILD_TYPE=Debug -DIRAQSIM_SANITIZE=ON -DIRAQSIM_BUILD_BENCH=OFF
fi
echo "== tests (Release)"
run_suite build "" -DCMAKE_BUILD_TYPE=Release
