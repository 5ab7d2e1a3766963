#!/usr/bin/env bash
# Installs everything iraqsim needs on a bare Debian 12, from Debian's packages. Idempotent: when
# every package is present it changes nothing and needs no privileges.
set -euo pipefail

packages=(
  g++ cmake make pkg-config git ca-certificates
  libeigen3-dev libboost-program-options-dev libhdf5-dev zlib1g-dev libisal-dev libtbb-dev catch2
  libtomlplusplus-dev librandom123-dev libopenmpi-dev openmpi-bin
  hdf5-tools netcdf-bin
  python3 python3-numpy python3-h5py python3-xarray python3-netcdf4 python3-h5netcdf python3-matplotlib
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "install-deps: error: installing packages needs root. Run as root or with sudo:" >&2
  echo "  sudo $0" >&2
  echo "or install them yourself: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
