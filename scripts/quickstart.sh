#!/usr/bin/env bash
# From a bare Debian 12 to a first result: installs the dependencies, builds iraqsim (Release),
# runs the embedded historical baseline and says where the output went.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DIRAQSIM_BUILD_TESTS=OFF -DIRAQSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)"
mkdir -p results
build/iraqsim run -o results/baseline.h5 --replicates 8 --force
echo
echo "Output: $(pwd)/results/baseline.h5"
build/iraqsim info results/baseline.h5
cat <<'TXT'

Next: open it in Python with
  /usr/bin/python3 -c "import xarray as xr; print(xr.open_dataset('results/baseline.h5'))"
or see README.md and docs/ for the model and the output layout.
TXT
