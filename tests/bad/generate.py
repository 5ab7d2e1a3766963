#!/usr/bin/python3
"""Writes the bad-scenario cases that are too big or too odd to commit: generate.py OUT_DIR.

Each case is OUT_DIR/<case>.toml (a file, a directory, or nothing at all for the missing-path case)
with OUT_DIR/<case>.expected in the format of tests/bad/README.md. The output is deterministic, so
running the script twice gives the same bytes. Python 3 standard library only.
"""
import os
import random
import shutil
import stat
import sys

DEEP = 100_000  # far past the loader's nesting limit (64) and toml++'s stack


def write_case(out, name, content, expected):
    """content: bytes, str, None (no file) or the string '<dir>' (a directory)."""
    path = os.path.join(out, name + ".toml")
    if content == "<dir>":
        os.makedirs(path, exist_ok=True)
    elif content is not None:
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(path, "wb") as f:
            f.write(content)
    with open(os.path.join(out, name + ".expected"), "w", encoding="utf-8") as f:
        f.write("\n".join(str(line) for line in expected) + "\n")


def key_names(count):
    """Distinct 4-character bare keys (64 symbols: 64^4 > 16 million) that the registry never knows."""
    symbols = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
    for i in range(count):
        yield "".join(symbols[(i >> (6 * k)) & 63] for k in range(4))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py OUT_DIR")
    out = sys.argv[1]
    # Start clean; a previous run may have left an unreadable file or a directory case behind.
    if os.path.isdir(out):
        for root, dirs, files in os.walk(out):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        shutil.rmtree(out)
    os.makedirs(out)

    nesting = "nesting deeper than 64"
    write_case(out, "deep_dotted_keys", "a." * (DEEP - 1) + "a = 1\n",
               [3, "deep_dotted_keys.toml:1:1", nesting])
    write_case(out, "deep_table_header", "# a table header with 100,000 dotted parts\n[" + "a." * (DEEP - 1) + "a]\nx = 1\n",
               [3, "deep_table_header.toml:2:1", nesting])
    write_case(out, "deep_arrays", "x = " + "[" * DEEP + "]" * DEEP + "\n",
               [3, "deep_arrays.toml:1:1", nesting])
    write_case(out, "deep_inline_tables", "x = " + "{ a = " * DEEP + "1" + " }" * DEEP + "\n",
               [3, "deep_inline_tables.toml:1:1", nesting])
    # The same nesting spread over many lines: the error names the line where the limit is crossed.
    write_case(out, "deep_arrays_multiline", "x = [\n" * DEEP + "]\n" * DEEP,
               [3, "deep_arrays_multiline.toml:65:1", nesting])

    # 90,000 unknown keys (under the 100,000-key limit): all counted, 50 shown. The 50 shown are the
    # first 50 in reading order, so the first key of the file is among them.
    many = 90_000
    text = "".join(k + "=1\n" for k in key_names(many))
    write_case(out, "ninety_thousand_unknown_keys", text,
               [3, "ninety_thousand_unknown_keys.toml:1:1: error: aaaa: unknown key",
                "90000 error(s)", "... and 89950 more error(s)", "@max_stderr_lines 52"])

    # 2 million keys (14 MB, under the 16 MiB limit): refused before parsing at the 100,001st key,
    # so a hostile file costs a scan, not a parse.
    many = 2_000_000
    text = "".join(k + "=1\n" for k in key_names(many))
    assert len(text) < 16 << 20
    write_case(out, "two_million_unknown_keys", text,
               [3, "two_million_unknown_keys.toml:100001:1", "more than 100000 keys", "@max_stderr_lines 3"])

    # Larger than the 16 MiB limit: comments only, so the limit is the only thing wrong.
    line = "# " + "x" * 1021 + "\n"
    write_case(out, "larger_than_16_mib", line * (17 * 1024),
               [3, "larger_than_16_mib.toml", "16 MiB"])

    # Bytes that are not UTF-8, in a string and in a key.
    write_case(out, "non_utf8_in_string", b"[scenario]\nname = \"ab\xff\xfecd\"\n",
               [3, "non_utf8_in_string.toml:2:", "malformed TOML"])
    write_case(out, "non_utf8_in_key", b"[scenario]\n\xff\xfe = 1\n",
               [3, "non_utf8_in_key.toml:2:1", "malformed TOML"])
    # A lone UTF-8 continuation byte and an overlong encoding of '/' in a comment: still not UTF-8.
    write_case(out, "non_utf8_in_comment", b"# caf\x80 \xc0\xaf\n[scenario]\nseed = 2\n",
               [3, "non_utf8_in_comment.toml:1:", "malformed TOML"])

    # Random bytes with NULs: refused before parsing.
    rng = random.Random(20030501)
    blob = bytes(rng.randrange(256) for _ in range(4096)) + b"\0"
    write_case(out, "binary_file", blob, [3, "binary_file.toml", "NUL"])

    # A UTF-8 byte-order mark before valid content: TOML 1.0 does not forbid it, toml++ skips it,
    # and editors on Windows write it, so it is accepted. Lines and columns do not count it.
    bom = b"\xef\xbb\xbf"
    write_case(out, "bom_valid", bom + b"[scenario]\nname = \"bom\"\nend = 2003-06-30\n", [0])
    write_case(out, "bom_with_error", bom + b"[scenario]\nseedd = 1\n",
               [3, "bom_with_error.toml:2:1", "scenario.seedd", "did you mean 'scenario.seed'"])

    # Not a readable regular file. The documented exit code for "a file cannot be read" is 4
    # (iraqsim --help), as for `iraqsim info` on a missing file.
    write_case(out, "is_a_directory", "<dir>", [4, "is_a_directory.toml", "not a regular file"])
    write_case(out, "does_not_exist", None, [4, "does_not_exist.toml", "no such file"])
    write_case(out, "unreadable", "[scenario]\nseed = 2\n", [4, "@skip_if_root", "unreadable.toml", "cannot read"])
    os.chmod(os.path.join(out, "unreadable.toml"), 0)

    # Includes nested deeper than the limit (32): a chain of 40 files.
    chain = os.path.join(out, "include_chain")
    os.makedirs(chain)
    for i in range(1, 41):
        with open(os.path.join(chain, f"level_{i:02d}.toml"), "w") as f:
            f.write(f'include = "level_{i + 1:02d}.toml"\n' if i < 40 else "[scenario]\nseed = 5\n")
    write_case(out, "include_too_deep", 'include = "include_chain/level_01.toml"\n',
               [3, "include_chain/level_32.toml:1:11", "includes nested more than 32 deep"])

    # An include "bomb": no cycle and within the depth limit, but each of 30 levels includes the next
    # twice, so naive loading reads 2^30 files. It must be refused (or deduplicated) within seconds,
    # and the leaf's error must not be reported a billion times over.
    bomb = os.path.join(out, "include_bomb")
    os.makedirs(bomb)
    for i in range(1, 31):
        with open(os.path.join(bomb, f"level_{i:02d}.toml"), "w") as f:
            if i < 30:
                f.write(f'include = ["level_{i + 1:02d}.toml", "level_{i + 1:02d}.toml"]\n')
            else:
                f.write("[scenario]\nseedd = 5\n")
    write_case(out, "include_bomb", 'include = "include_bomb/level_01.toml"\n', [3, "include"])

    # A key of 1 MiB: reported, but the message must not echo a megabyte back (no suggestion search either).
    write_case(out, "huge_key", "[scenario]\n" + "k" * (1 << 20) + " = 1\n", [3, "huge_key.toml:2:1", "unknown key", "@max_stderr_bytes 65536"])


if __name__ == "__main__":
    main()
