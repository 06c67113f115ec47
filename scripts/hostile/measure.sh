#!/usr/bin/env bash
# Measures `flowrun validate` (release build) on hostile inputs with
# /usr/bin/time -v and prints a table: exit status, whether the first error
# names FILE:LINE:COL, wall time and peak memory, against the targets of
# issues #2 and #6 (exit 2, located, < 200 ms, < 50 MB).
#
# Usage: scripts/hostile/measure.sh            builds release into .build if needed
#        FLOWRUN=path/to/flowrun scripts/hostile/measure.sh
#        SCRATCH=.build-corpus scripts/hostile/measure.sh
# Exit status: 0 when every hostile input meets the targets, 1 otherwise.
# The last rows (a valid 50,000-task file, 100,000 errors) are informational.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${SCRATCH:-.build}"
if [[ -z "${FLOWRUN:-}" ]]; then
    (cd "$root" && swift build -c release --scratch-path "$scratch" --product flowrun >/dev/null)
    FLOWRUN="$root/$scratch/release/flowrun"
fi
[[ -x /usr/bin/time ]] || { echo "measure.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "measure.sh: python3 is needed to generate the inputs" >&2; exit 2; }

work="$(mktemp -d /tmp/flowrun-measure-XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
letters = "abcdefghi"
bomb = 'a: &a [' + ",".join(['"lol"'] * 10) + "]\n"
for i in range(1, 9):
    bomb += f"{letters[i]}: &{letters[i]} [" + ",".join([f"*{letters[i-1]}"] * 10) + "]\n"
w("alias-bomb.yaml", bomb + "stages: *i\n")
w("alias-dup-key.yaml", "description: &k name\nname: x\n*k : y\nstages: [[make]]\n")
w("nested-100k.yaml", "[" * 100000 + "]" * 100000)
w("nested-100k.json", "[" * 100000 + "]" * 100000)
line = "      - run: echo " + "x" * 80 + "\n"
w("20mb.yaml", "stages:\n  - tasks:\n" + line * (20 * 1024 * 1024 // len(line) + 1))
big_name = "n" * (1 << 20)
w("100k-tasks-1mb-names.yaml", "stages:\n  - tasks:\n" + f"      - name: {big_name}\n        run: x\n" * 17)
w("8-tasks-1mb-names.yaml", "stages:\n  - tasks:\n" + f"      - name: {'n' * 1000000}\n        run: x\n" * 8)
w("nul.yaml", b"stages:\n  - [ma\x00ke]\n")
w("invalid-utf8.yaml", b"name: caf\xe9\nstages: [[make]]\n")
w("utf16.yaml", "\ufeffstages: [[make]]\n".encode("utf-16-le"))
w("multi-document.yaml", "stages: [[a]]\n---\nstages: [[b]]\n")
w("merge-key.yaml", "x: &x {run: make}\nstages:\n  - tasks:\n      - <<: *x\n")
w("tag.yaml", "stages:\n  - tasks:\n      - run: !!python/object/apply:os.system [ls]\n")
for label, value in [("minus-1", "-1"), ("zero", "0"), ("1e309", "1e309"), ("nan", ".nan"), ("20-digits", "123456789012345678901")]:
    w(f"timeout-{label}.yaml", f"stages:\n  - tasks:\n      - run: make\n        timeout: {value}\n")
w("ansi-bidi-name.yaml", 'stages:\n  - name: "x\\e[2J\\u202Ey"\n    tasks: [make]\n')
w("tab-indentation.yaml", "stages:\n  - name: a\n\ttasks: [make]\n")
w("crlf-error.yaml", "stages:\r\n  - name: build\r\n    taks: [make]\r\n")
tasks = "".join(f"      - name: task{i}\n        run: echo {i} {'x' * 150}\n" for i in range(50000))
w("info-50k-tasks.yaml", "stages:\n  - name: s\n    tasks:\n" + tasks)
w("info-100k-errors.yaml", "stages:\n  - name: s\n    tasks:\n" + "".join(f'      - name: "bad {i}"\n        run: x\n' for i in range(100000)))
PY
mkfifo "$work/fifo.yaml"
mkdir "$work/directory.yaml"

inputs=(
    alias-bomb.yaml alias-dup-key.yaml nested-100k.yaml nested-100k.json 20mb.yaml
    100k-tasks-1mb-names.yaml 8-tasks-1mb-names.yaml nul.yaml invalid-utf8.yaml utf16.yaml
    fifo.yaml directory.yaml /dev/null /dev/zero multi-document.yaml merge-key.yaml tag.yaml
    timeout-minus-1.yaml timeout-zero.yaml timeout-1e309.yaml timeout-nan.yaml timeout-20-digits.yaml
    ansi-bidi-name.yaml tab-indentation.yaml crlf-error.yaml
    info-50k-tasks.yaml info-100k-errors.yaml
)

failures=0
printf '%-28s %5s %-8s %9s %9s  %s\n' input exit located "time(ms)" "RSS(MB)" verdict
printf '%-28s %5s %-8s %9s %9s  %s\n' ---------------------------- ----- -------- --------- --------- -------
for input in "${inputs[@]}"; do
    path="$input"
    [[ "$input" == /* ]] || path="$work/$input"
    name="$(basename "$input")"
    set +e
    (cd "$work" && timeout 20 /usr/bin/time -v -o "$work/time.txt" "$FLOWRUN" validate "$path" >"$work/out.txt" 2>"$work/err.txt")
    status=$?
    set -e
    elapsed="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%d", s * 1000 }' "$work/time.txt")"
    rss_kb="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")"
    rss="$(awk -v k="${rss_kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')"
    located=no
    if grep -qE '^[^ ]*:[0-9]+:[0-9]+: error:' "$work/err.txt"; then located=yes; fi
    if [[ "$name" == info-* ]]; then
        size="$(awk -v b="$(wc -c <"$path")" 'BEGIN { printf "%.1f MB", b / 1048576 }')"
        verdict="info: $size, $(grep -c ': error:' "$work/err.txt" || true) errors"
    elif [[ $status -eq 2 && $located == yes && ${elapsed:-99999} -lt 200 && ${rss_kb:-999999} -lt 51200 ]]; then
        verdict=ok
    else
        verdict="FAIL: $(head -n 1 "$work/err.txt" | cut -c1-60)"
        failures=$((failures + 1))
    fi
    printf '%-28s %5s %-8s %9s %9s  %s\n' "$name" "$status" "$located" "${elapsed:-?}" "$rss" "$verdict"
done
echo
echo "targets: exit 2, FILE:LINE:COL, < 200 ms, < 50 MB (time from /usr/bin/time -v: 10 ms resolution)"
echo "binary: $FLOWRUN"
[[ $failures -eq 0 ]] || { echo "$failures input(s) missed the targets" >&2; exit 1; }
