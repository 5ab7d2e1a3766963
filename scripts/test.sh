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

run_suite() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DIRAQSIM_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest --output-on-failure -j"$jobs")
}

if [[ $sanitize == 1 ]]; then
  echo "== tests under AddressSanitizer and UndefinedBehaviorSanitizer"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_suite build-sanitize -DCMAKE_BUILD_TYPE=Debug -DIRAQSIM_SANITIZE=ON -DIRAQSIM_BUILD_BENCH=OFF
fi
echo "== tests (Release)"
run_suite build -DCMAKE_BUILD_TYPE=Release
