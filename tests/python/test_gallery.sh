#!/bin/bash
# scripts/make_gallery.sh end to end, small: 2 replicates, no sweep, figures and page into the
# scratch folder (never into docs/). Checks every figure is a PNG and every image the page links
# exists.
# Usage: test_gallery.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

. "$(dirname "$0")/preamble.sh"
python_test_start "xarray matplotlib numpy h5py" "$@"

if ! bash "$REPO/scripts/make_gallery.sh" --bin "$BIN" --scratch "$SCRATCH/runs" --replicates 2 --no-sweep \
        --out "$SCRATCH/doc/img" --doc "$SCRATCH/doc/gallery.md" --dpi 50 >"$SCRATCH/gallery.log" 2>&1; then
    cat "$SCRATCH/gallery.log" >&2
    echo "FAIL: make_gallery.sh failed" >&2
    exit 1
fi
n=0
for f in "$SCRATCH"/doc/img/*.png; do
    n=$((n + 1))
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$f is not a PNG"
done
[ "$n" -eq 8 ] || fail "$n figures, expected 8"
for link in $(grep -o '](img/[^)]*)' "$SCRATCH/doc/gallery.md" | sed 's/^](//; s/)$//'); do
    [ -s "$SCRATCH/doc/$link" ] || fail "gallery.md links $link, which was not written"
done
grep -q "median" "$SCRATCH/doc/gallery.md" || fail "gallery.md lacks the compare summaries"
grep -q "Iraq Body Count" "$SCRATCH/doc/gallery.md" || fail "gallery.md lacks the IBC credit"
finish_checks "gallery: $n figures and a page with working links"
