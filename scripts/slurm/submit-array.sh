#!/bin/bash
# Submits a sweep as a Slurm job array of N tasks and its stitch as a dependent job:
#   scripts/slurm/submit-array.sh scenarios/sweeps/surge-timing.toml /scratch/$USER/surge 100
# Extra arguments go to both sbatch calls (e.g. --account=..., --partition=...).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 SWEEP.toml DIR TASKS [sbatch options...]" >&2
  exit 2
fi
sweep=$1 dir=$2 tasks=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
IRAQSIM=${IRAQSIM:-iraqsim}
# Check the sweep before queueing anything: errors name file:line:column.
"$IRAQSIM" sweep "$sweep" --plan > /dev/null
array=$(sbatch --parsable --array=0-$((tasks - 1)) --export=ALL,SWEEP="$sweep",DIR="$dir",IRAQSIM="$IRAQSIM" "$@" \
        "$here/sweep-array.sbatch")
stitch=$(sbatch --parsable --dependency=afterok:"${array%%;*}" --export=ALL,DIR="$dir",IRAQSIM="$IRAQSIM" "$@" \
         "$here/sweep-stitch.sbatch")
echo "array job ${array%%;*} ($tasks tasks), stitch job ${stitch%%;*}: $dir/sweep.h5"
