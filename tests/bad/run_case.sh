#!/usr/bin/env bash
# One bad-scenario case: run_case.sh CASE_FILE EXPECTED_FILE IRAQSIM SCRATCH
#
# Runs `iraqsim check CASE_FILE` and `iraqsim run CASE_FILE -o SCRATCH/out.h5`, each with a timeout
# of IRAQSIM_BAD_TIMEOUT_S seconds (default 20; the sanitizer build sets 90), and checks both against EXPECTED_FILE (format: tests/bad/README.md):
#   - the exit code is the expected one (a hang, a crash -- exit code >= 128 -- or a sanitizer
#     report is always a failure);
#   - every expected substring appears in check's stderr (and the first one in run's stderr);
#   - run leaves no out.h5 and no partial file (.out.h5.partial-*) in SCRATCH, which holds only the
#     logs check.out, check.err, run.out and run.err (for an expected exit code 0: out.h5 exists).
# Exits 0 on success, 1 on failure (with what was expected and what was seen), 77 when skipped.
set -uo pipefail
if [[ $# -ne 4 ]]; then
  echo "usage: run_case.sh CASE_FILE EXPECTED_FILE IRAQSIM SCRATCH" >&2
  exit 2
fi
case_file=$1 expected_file=$2 iraqsim=$3 scratch=$4
name=$(basename "$case_file" .toml)
timeout_s=${IRAQSIM_BAD_TIMEOUT_S:-20}
[[ $timeout_s =~ ^[0-9]+$ && $timeout_s -gt 0 ]] || { echo "FAIL [$name]: IRAQSIM_BAD_TIMEOUT_S is not a positive integer: '$timeout_s'" >&2; exit 1; }

[[ -f $expected_file ]] || { echo "FAIL [$name]: no expected file $expected_file" >&2; exit 1; }
[[ -x $iraqsim ]] || { echo "FAIL [$name]: no iraqsim binary at $iraqsim" >&2; exit 1; }

# Parse EXPECTED_FILE: line 1 the exit code, then substrings; '@' lines are directives.
want_code=
substrings=()
skip_if_root=0
max_stderr_bytes=
max_stderr_lines=
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
  line=${line%$'\r'}
  lineno=$((lineno + 1))
  if [[ $lineno -eq 1 ]]; then
    want_code=$line
    continue
  fi
  case $line in
    '') ;;  # blank lines are ignored
    '@skip_if_root') skip_if_root=1 ;;
    '@max_stderr_bytes '*) max_stderr_bytes=${line#@max_stderr_bytes } ;;
    '@max_stderr_lines '*) max_stderr_lines=${line#@max_stderr_lines } ;;
    '@'*) echo "FAIL [$name]: unknown directive '$line' in $expected_file" >&2; exit 1 ;;
    *) substrings+=("$line") ;;
  esac
done <"$expected_file"
[[ $want_code =~ ^[0-9]+$ ]] || { echo "FAIL [$name]: line 1 of $expected_file is not an exit code: '$want_code'" >&2; exit 1; }

if [[ $skip_if_root -eq 1 && $(id -u) -eq 0 ]]; then
  echo "SKIP [$name]: root can read any file"
  exit 77
fi

rm -rf "$scratch" && mkdir -p "$scratch" || { echo "FAIL [$name]: cannot create $scratch" >&2; exit 1; }
failures=()

# run_iraqsim LABEL args...: runs iraqsim with a timeout; sets code, and LABEL.out / LABEL.err in SCRATCH.
run_iraqsim() {
  local label=$1; shift
  # Sanitizers: make any report fail loudly even if the build sets other defaults.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    timeout --kill-after=5 "$timeout_s" "$iraqsim" "$@" >"$scratch/$label.out" 2>"$scratch/$label.err"
  code=$?
}

# check_common LABEL: hang, crash and sanitizer checks.
check_common() {
  local label=$1
  if [[ $code -eq 124 || $code -eq 137 ]]; then
    failures+=("$label: hang -- no exit within ${timeout_s} s (exit code $code)")
  elif [[ $code -ge 128 ]]; then
    failures+=("$label: crash -- exit code $code (signal $((code - 128)))")
  fi
  if grep -qE 'ERROR: (Address|Leak|Memory|Thread|Undefined)Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer' "$scratch/$label.err"; then
    failures+=("$label: sanitizer report in stderr")
  fi
  if [[ $code -ne $want_code ]]; then
    failures+=("$label: exit code $code, expected $want_code")
  fi
}

# --- iraqsim check ---
run_iraqsim check check "$case_file"
check_code=$code
check_common check
for s in "${substrings[@]}"; do
  grep -qF -- "$s" "$scratch/check.err" || failures+=("check: stderr lacks: $s")
done
err_bytes=$(wc -c <"$scratch/check.err")
err_lines=$(wc -l <"$scratch/check.err")
if [[ -n $max_stderr_bytes && $err_bytes -gt $max_stderr_bytes ]]; then
  failures+=("check: stderr is $err_bytes bytes, expected at most $max_stderr_bytes")
fi
if [[ -n $max_stderr_lines && $err_lines -gt $max_stderr_lines ]]; then
  failures+=("check: stderr is $err_lines lines, expected at most $max_stderr_lines")
fi

# --- iraqsim run ---
run_iraqsim run run "$case_file" -o "$scratch/out.h5" -q --threads 1
run_code=$code
check_common run
if [[ ${#substrings[@]} -gt 0 ]]; then
  grep -qF -- "${substrings[0]}" "$scratch/run.err" || failures+=("run: stderr lacks: ${substrings[0]}")
fi
# Besides the logs, SCRATCH may hold only out.h5, and only for a valid scenario.
logs='^(check|run)\.(out|err)$'
[[ $want_code -ne 0 ]] || logs='^((check|run)\.(out|err)|out\.h5)$'
leftovers=$(ls -A "$scratch" | grep -Ev "$logs")
[[ -z $leftovers ]] || failures+=("run: left files behind in $scratch: $(echo $leftovers)")
if [[ $want_code -eq 0 && ! -s $scratch/out.h5 ]]; then
  failures+=("run: a valid scenario wrote no out.h5")
fi

if [[ ${#failures[@]} -eq 0 ]]; then
  echo "PASS [$name]"
  exit 0
fi

trim() {  # at most 40 lines and 300 characters a line of a possibly huge file
  head -n 40 "$1" | cut -c1-300
  local n; n=$(wc -l <"$1")
  [[ $n -le 40 ]] || echo "[... $((n - 40)) more line(s)]"
}
{
  echo "FAIL [$name] ($case_file)"
  for f in "${failures[@]}"; do echo "  - $f"; done
  echo "--- expected (from $expected_file): exit code $want_code, stderr containing:"
  for s in "${substrings[@]}"; do echo "    $s"; done
  [[ -z $max_stderr_bytes ]] || echo "    (at most $max_stderr_bytes bytes)"
  [[ -z $max_stderr_lines ]] || echo "    (at most $max_stderr_lines lines)"
  echo "--- seen: iraqsim check exited $check_code, stderr:"
  trim "$scratch/check.err" | sed 's/^/    /'
  echo "--- seen: iraqsim run exited $run_code, stderr:"
  trim "$scratch/run.err" | sed 's/^/    /'
} >&2
exit 1
