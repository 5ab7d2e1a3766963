#!/usr/bin/env bash
# One end-to-end case of `iraqsim validate` (Epstein's civil violence models, docs/agents.md):
# validate_test.sh CASE IRAQSIM SCRATCH_DIR PYTHON TESTS_DIR.
set -uo pipefail
case_name=$1 iraqsim=$2 scratch=$3 python=$4 tests_dir=$5
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"  # fail, expect, contains
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
scenarios=$tests_dir/../scenarios/validation

no_partial() { ! ls -A . | grep -q partial || fail "a partial file was left behind"; }

# A small Model I file: two arms, few steps.
small() {
  printf '[validation]\nname = "small"\nmodel = "civil_violence"\nseeds = 3\nsteps = 40\n[epstein]\nlegitimacy = 0.8\n'
  printf '[[arm]]\nname = "literal"\narrest_rule = "literal"\n[[arm]]\nname = "rounded"\narrest_rule = "rounded"\n'
}

case $case_name in
  help)
    expect 0 "$iraqsim" --help; contains out "validate FILE.toml"
    expect 0 "$iraqsim" validate --help; contains out "--seeds"; contains out "--parse-only"; contains out "Exit codes"
    expect 2 "$iraqsim" validate; contains err "exactly one FILE"
    expect 2 "$iraqsim" validate "$scenarios/epstein-1-outbursts.toml" --seeds 0; contains err "--seeds" ;;
  every_scenario_parses)
    mapfile -t files < <(find "$scenarios" -name 'epstein-*.toml' | sort)
    [[ ${#files[@]} -ge 4 ]] || fail "expected at least 4 Epstein scenarios, found ${#files[@]}"
    for f in "${files[@]}"; do
      expect 0 "$iraqsim" validate "$f" --parse-only; contains out ": ok ("; contains out "20 seed(s)"
    done ;;
  runs_and_writes)
    expect 0 "$iraqsim" validate "$scenarios/epstein-2-peacekeepers.toml" --seeds 3 -o p.h5
    contains out "no peacekeepers"; contains out "extinct"; contains out "wrote p.h5"; contains out "agent-steps/s"
    [[ -s p.h5 ]] || fail "no output file"; no_partial
    small > small.toml
    expect 0 "$iraqsim" validate small.toml -q; [[ -s small.h5 ]] || fail "the scenario's name does not name the output"
    [[ ! -s out ]] || fail "-q printed: $(cat out)"
    expect 0 "$python" -c "
import sys, h5py, numpy as np
f = h5py.File('p.h5')
assert f.attrs['model'] == b'ethnic_violence' or f.attrs['model'] == 'ethnic_violence', f.attrs['model']
assert f['active'].shape == (4, 3, 501), f['active'].shape
assert f['population'].shape == (4, 3, 501, 2)
assert list(f['seed'][()]) == [1, 2, 3]
assert list(f['step'][()])[:3] == [0, 1, 2]
for v in ('quiet', 'active', 'jailed', 'cops', 'population', 'killed', 'legitimacy', 'cop_density', 'extinction_step'):
    assert 'units' in f[v].attrs and 'long_name' in f[v].attrs, v
dims = [d[0].name for d in f['population'].dims]
assert dims == ['/arm', '/seed', '/step', '/group'], dims
pop = f['population'][()]; killed = f['killed'][()]
assert (pop + killed.cumsum(axis=2) == pop[:, :, :1, :]).all(), 'population not conserved'
g = h5py.File('small.h5')
total = g['quiet'][()] + g['active'][()] + g['jailed'][()]
assert (total == 1120).all(), 'quiet + active + jailed != citizens'
text = g.attrs['scenario_text']
text = text.decode() if isinstance(text, bytes) else text
assert 'arrest_rule = \"literal\"' in text, text
print('ok')" ;;
  threads_same_bytes)
    small > small.toml
    expect 0 "$iraqsim" validate small.toml -o t1.h5 --threads 1 -q
    expect 0 "$iraqsim" validate small.toml -o t2.h5 --threads 2 -q
    cmp t1.h5 t2.h5 || fail "1 and 2 threads give different bytes" ;;
  refuses_overwrite)
    small > small.toml
    expect 0 "$iraqsim" validate small.toml -o r.h5 -q; cp r.h5 r.orig
    expect 4 "$iraqsim" validate small.toml -o r.h5; contains err "exists"; contains err "--force"
    cmp r.h5 r.orig || fail "the existing result was changed"
    expect 0 "$iraqsim" validate small.toml -o r.h5 --force --seeds 2 -q
    ! cmp -s r.h5 r.orig || fail "--force did not replace the file"; no_partial ;;
  rejects_bad)
    printf '[validation]\nname = "bad"\nmodel = "civil_violence"\n[epstein]\nlegitimcy = 0.8\nmax_jail_term = -1\n' > bad.toml
    expect 3 "$iraqsim" validate bad.toml -o bad.h5
    contains err "bad.toml:5:1: error: epstein.legitimcy: unknown key (did you mean 'epstein.legitimacy'?)"
    contains err "bad.toml:6:17: error: epstein.max_jail_term: must be between 0 and"
    contains err "2 error(s)"
    [[ ! -e bad.h5 ]] || fail "an output was written for an invalid file"; no_partial
    expect 4 "$iraqsim" validate nothere.toml; contains err "nothere.toml" ;;
  *) fail "unknown case" ;;
esac
echo "ok [$case_name]"
