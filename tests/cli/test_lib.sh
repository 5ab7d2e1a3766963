# Helpers shared by the command-line test scripts (sourced; they set $case_name first).
# fail MESSAGE: reports and ends the case.
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# expect CODE cmd...: runs cmd, stores stdout/stderr in out/err, checks the exit code.
expect() {
  local want=$1; shift
  "$@" >out 2>err; local got=$?
  [[ $got == "$want" ]] || { cat out err >&2; fail "'$*' exited $got, expected $want"; }
}
# contains FILE TEXT: the file holds the text.
contains() { grep -q -- "$2" "$1" || { cat "$1" >&2; fail "$1 does not contain '$2'"; }; }
