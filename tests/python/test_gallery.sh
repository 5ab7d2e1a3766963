#!/bin/bash
# scripts/make_gallery.sh end to end, small: 2 replicates, no sweep, figures and page into the
# scratch folder (never into docs/). Checks every figure is a PNG and every image the page links
# exists.
# Usage: test_gallery.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 IRAQSIM_BINARY SCRATCH_DIR REPO_DIR" >&2
    exit 2
fi
BIN=$1
SCRATCH=$2
REPO=$3
for mod in xarray matplotlib numpy h5py; do
    if ! /usr/bin/python3 -c "import $mod" 2>/dev/null; then
        echo "SKIP: /usr/bin/python3 cannot import $mod (install Debian's python3-$mod)" >&2
        exit 77
    fi
done
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH" || exit 1
export MPLBACKEND=TkAgg  # the scripts must force Agg themselves
unset DISPLAY

if ! bash "$REPO/scripts/make_gallery.sh" --bin "$BIN" --scratch "$SCRATCH/runs" --replicates 2 --no-sweep \
        --out "$SCRATCH/doc/img" --doc "$SCRATCH/doc/gallery.md" --dpi 50 >"$SCRATCH/gallery.log" 2>&1; then
    cat "$SCRATCH/gallery.log" >&2
    echo "FAIL: make_gallery.sh failed" >&2
    exit 1
fi
failures=0
n=0
for f in "$SCRATCH"/doc/img/*.png; do
    n=$((n + 1))
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || { echo "FAIL: $f is not a PNG" >&2; failures=$((failures + 1)); }
done
[ "$n" -eq 8 ] || { echo "FAIL: $n figures, expected 8" >&2; failures=$((failures + 1)); }
for link in $(grep -o '](img/[^)]*)' "$SCRATCH/doc/gallery.md" | sed 's/^](//; s/)$//'); do
    [ -s "$SCRATCH/doc/$link" ] || { echo "FAIL: gallery.md links $link, which was not written" >&2; failures=$((failures + 1)); }
done
grep -q "median" "$SCRATCH/doc/gallery.md" || { echo "FAIL: gallery.md lacks the compare summaries" >&2; failures=$((failures + 1)); }
grep -q "Iraq Body Count" "$SCRATCH/doc/gallery.md" || { echo "FAIL: gallery.md lacks the IBC credit" >&2; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || exit 1
echo "gallery: $n figures and a page with working links"
