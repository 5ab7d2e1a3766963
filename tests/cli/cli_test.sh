#!/usr/bin/env bash
# One end-to-end case of the iraqsim command line: cli_test.sh CASE IRAQSIM SCRATCH_DIR PYTHON TESTS_DIR.
# Each case asserts exit codes, messages and files, and fails loudly with what it saw.
set -uo pipefail
case_name=$1 iraqsim=$2 scratch=$3 python=$4 tests_dir=$5
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# expect CODE cmd...: runs cmd, stores stdout/stderr in out/err, checks the exit code.
expect() {
  local want=$1; shift
  "$@" >out 2>err; local got=$?
  [[ $got == "$want" ]] || { cat out err >&2; fail "'$*' exited $got, expected $want"; }
}
contains() { grep -q -- "$2" "$1" || { cat "$1" >&2; fail "$1 does not contain '$2'"; }; }
no_partial() { ! ls -A . "${1:-.}" 2>/dev/null | grep -q partial || fail "a partial file was left behind"; }

case $case_name in
  help)
    expect 0 "$iraqsim" --help; contains out "Usage: iraqsim"; contains out "Exit codes"
    expect 0 "$iraqsim" run --help; contains out "--replicates"; contains out "--force"
    expect 0 "$iraqsim" info --help
    expect 2 "$iraqsim"; expect 2 "$iraqsim" frobnicate; contains err "unknown command" ;;
  version)
    expect 0 "$iraqsim" --version; contains out "iraqsim 0."; contains out "HDF5 1.10" ;;
  default_run)
    expect 0 "$iraqsim" run -o base.h5; contains out "wrote base.h5"; contains out "weeks/s"
    contains out "2003-05-01"; [[ -s base.h5 ]] || fail "no output file"; no_partial ;;
  same_seed_same_bytes)
    expect 0 "$iraqsim" run -o a.h5 --seed 7 --replicates 3 -q
    expect 0 "$iraqsim" run -o b.h5 --seed 7 --replicates 3 -q
    cmp a.h5 b.h5 || fail "same seed, different bytes" ;;
  threads_same_bytes)
    expect 0 "$iraqsim" run -o t1.h5 --replicates 6 --threads 1 -q
    expect 0 "$iraqsim" run -o t2.h5 --replicates 6 --threads 2 -q
    cmp t1.h5 t2.h5 || fail "1 and 2 threads give different bytes" ;;
  seed_changes_output)
    expect 0 "$iraqsim" run -o a.h5 --seed 1 -q
    expect 0 "$iraqsim" run -o b.h5 --seed 2 -q
    ! cmp -s a.h5 b.h5 || fail "different seeds gave identical files" ;;
  refuses_overwrite)
    expect 0 "$iraqsim" run -o r.h5 -q; cp r.h5 r.orig
    expect 4 "$iraqsim" run -o r.h5 --seed 99; contains err "exists"; contains err "--force"
    cmp r.h5 r.orig || fail "the existing result was changed"; no_partial ;;
  force_overwrites)
    expect 0 "$iraqsim" run -o f.h5 --seed 1 -q; cp f.h5 f.orig
    expect 0 "$iraqsim" run -o f.h5 --seed 2 --force -q
    ! cmp -s f.h5 f.orig || fail "--force did not replace the file"; no_partial ;;
  unwritable_path)
    mkdir ro && chmod 555 ro
    if [[ $(id -u) == 0 ]]; then
      # root writes anywhere: make the target a directory instead, which no one can overwrite
      mkdir ro2 && expect 4 "$iraqsim" run -o ro2 --force; contains err "not a regular file"
    else
      expect 4 "$iraqsim" run -o ro/x.h5; contains err "not writable"; [[ ! -e ro/x.h5 ]] || fail "file created"
    fi
    no_partial ro ;;
  missing_directory)
    expect 4 "$iraqsim" run -o nowhere/x.h5; contains err "does not exist"; [[ ! -e nowhere ]] || fail "directory created" ;;
  bad_option)
    expect 2 "$iraqsim" run --frobnicate; contains err "frobnicate"
    expect 2 "$iraqsim" run --seed notanumber; [[ -z $(ls) || $(ls) == $'err\nout' ]] || fail "files created: $(ls)" ;;
  bad_replicates)
    expect 2 "$iraqsim" run --replicates 0; contains err "replicates"
    expect 2 "$iraqsim" run --replicates 9223372036854775807; contains err "replicates"
    expect 2 "$iraqsim" run --threads -1; contains err "threads"
    [[ ! -e baseline.h5 ]] || fail "an output file was written" ;;
  info_describes)
    expect 0 "$iraqsim" run -o i.h5 --replicates 2 --seed 5 -q
    expect 0 "$iraqsim" info i.h5; contains out "seed: 5"; contains out "replicates: 2"
    contains out "support(replicate=2, time="; contains out "province=18"; contains out "us_troops" ;;
  info_rejects_missing)
    expect 4 "$iraqsim" info nothere.h5; contains err "nothere.h5"
    echo "not hdf5" > plain.txt; expect 4 "$iraqsim" info plain.txt; contains err "not an HDF5 file" ;;
  ncdump_reads)
    expect 0 "$iraqsim" run -o n.h5 -q
    expect 0 ncdump -h n.h5
    for d in "replicate = 1" "time = " "province = 18" "community = 4" "faction = " "sponsor = 4" \
             'time:units = "days since 2003-01-01"' "float support(replicate, time, province, faction)" \
             "float us_troops(replicate, time, province)" "string province(province)"; do contains out "$d"; done ;;
  xarray_reads)
    expect 0 "$iraqsim" run -o x.h5 --replicates 2 -q
    expect 0 "$python" "$tests_dir/python/check_output.py" x.h5; cat out ;;
  *) fail "unknown case" ;;
esac
echo "ok [$case_name]"
