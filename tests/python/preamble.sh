# The start every tests/python/*.sh script shares (sourced): its arguments, the Python modules it
# needs, a fresh scratch directory, no display, and a failure counter.
#   python_test_start "MODULES" "$@"   (the script's arguments: IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
#                                       [EXTRA], with EXTRA allowed when $extra_usage is set)
# sets BIN, SCRATCH, REPO, PY (/usr/bin/python3, the interpreter the scripts are documented for)
# and EXTRA, exits 2 on a wrong call and 77 (ctest's skip) when a module is missing, and leaves the
# script in SCRATCH. fail MESSAGE counts a failure; finish_checks MESSAGE ends the script by the count.
python_test_start() {
    local modules=$1
    shift
    local usage="IRAQSIM_BINARY SCRATCH_DIR REPO_DIR${extra_usage:+ $extra_usage}"
    local most=3
    [ -z "${extra_usage:-}" ] || most=4
    if [ $# -lt 3 ] || [ $# -gt "$most" ]; then
        echo "usage: $0 $usage" >&2
        exit 2
    fi
    # Absolute, since the script works inside SCRATCH.
    BIN=$(readlink -f -- "$1")
    SCRATCH=$(readlink -f -- "$2")
    REPO=$(readlink -f -- "$3")
    EXTRA=${4:-}
    PY=/usr/bin/python3
    local mod
    for mod in $modules; do
        if ! $PY -c "import $mod" 2>/dev/null; then
            echo "SKIP: $PY cannot import $mod (install Debian's python3-$mod)" >&2
            exit 77
        fi
    done
    rm -rf "$SCRATCH"
    mkdir -p "$SCRATCH" || exit 1
    cd "$SCRATCH" || exit 1
    export MPLCONFIGDIR=$SCRATCH/mplconfig
    export MPLBACKEND=TkAgg  # the scripts must force Agg themselves and never open a window
    unset DISPLAY
    failures=0
}

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# finish_checks MESSAGE: exit 1 after any failure (naming the scratch directory), else print MESSAGE.
finish_checks() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed; files in $SCRATCH" >&2
        exit 1
    fi
    echo "$1"
}
