#!/usr/bin/env bash
# Builds the libFuzzer target over flowrun's loader + validator + planner and
# runs it. Usage:
#   fuzz/run.sh [SECONDS] [extra libFuzzer flags...]     (default 60 s)
# Env: FUZZ_OUT (default fuzz-out/) holds the build, the working corpus and
# any crash-* / leak-* / timeout-* files; EXTRA_SEEDS: more seed folders.
# Exit status: 0 when libFuzzer found nothing, non-zero otherwise.
# Findings, once fixed, go to fuzz/corpus-regressions/ (replayed first on
# every run, so a regression fails at once).
#   fuzz/run.sh replay    runs every seed and regression once: deterministic,
#                         what CI runs (a random find must not block a landing)
set -euo pipefail
cd "$(dirname "$0")/.."
# A crash is libFuzzer's to report; Swift's backtracer would outlive the
# fuzzer as an orphan holding the output pipe open.
export SWIFT_BACKTRACE=enable=no
seconds="${1:-60}"; shift || true
out="${FUZZ_OUT:-fuzz-out}"
mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"

# The whole FlowrunCore module, so that a new file or folder needs no edit here;
# its C shims are compiled beside it and libFuzzer only calls the front half.
sources=()
while IFS= read -r -d '' file; do sources+=("$file"); done < <(
    find Sources/FlowrunCore -name '*.swift' -print0 | sort -z)
shims=(Sources/CFlowrunShims/*.c)
binary="$out/flowrun-fuzz"
# Rebuild when any input is newer than the binary. (Not `ls -t | head -1`:
# with some 200 sources, head exits before ls has written, and pipefail turns
# ls's SIGPIPE into a silent exit 141 of this script.)
stale=0
[ -x "$binary" ] || stale=1
for file in fuzz/main.swift "${sources[@]}" "${shims[@]}"; do
    [ "$stale" = 1 ] && break
    [ "$file" -nt "$binary" ] && stale=1
done
if [ "$stale" = 1 ]; then
    echo "fuzz: building $binary"
    include=$(pkg-config --cflags-only-I yaml-0.1 libcrypto 2>/dev/null || true)
    libs=$(pkg-config --libs-only-L yaml-0.1 libcrypto 2>/dev/null || true)
    mkdir -p "$out/shims"
    printf 'module CFlowrunShims {\n    header "%s"\n    export *\n}\n' \
        "$PWD/Sources/CFlowrunShims/include/CFlowrunShims.h" > "$out/shims/module.modulemap"
    objects=()
    for c in "${shims[@]}"; do
        clang -c -O1 -g -fsanitize=address -ISources/CFlowrunShims/include "$c" \
            -o "$out/shims/$(basename "$c" .c).o"
        objects+=("$out/shims/$(basename "$c" .c).o")
    done
    swiftc -parse-as-library -module-name FlowrunFuzz -swift-version 6 \
        -sanitize=fuzzer,address -O -g \
        -I Sources/CYAML -Xcc -fmodule-map-file=Sources/CYAML/module.modulemap \
        -Xcc -fmodule-map-file="$out/shims/module.modulemap" \
        ${include:+-Xcc $include} $libs -lyaml -ldl \
        fuzz/main.swift "${sources[@]}" "${objects[@]}" -o "$binary" 2>&1 |
        { grep -v 'Cannot export local symbol' || true; } >&2
fi

# Seeds: every example and fixture workflow, once as YAML ('Y') and once
# through the reader its extension implies (JSON files with 'J').
seed() { # file
    local name; name=$(printf '%s' "$1" | tr '/' '_')
    case "$1" in
        *.json) { printf 'J'; cat "$1"; } > "$out/seeds/$name" ;;
        *)      { printf 'Y'; cat "$1"; } > "$out/seeds/$name" ;;
    esac
}
while IFS= read -r -d '' file; do seed "$file"; done < <(
    find workflows Tests/FlowrunCoreTests/Fixtures ${EXTRA_SEEDS:-} -type f \
        \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k -print0 2>/dev/null)

# Regressions first: each must run clean.
if compgen -G "fuzz/corpus-regressions/*" > /dev/null; then
    "$binary" -runs=0 fuzz/corpus-regressions/* 2>&1 | tail -n 2
fi

if [ "$seconds" = replay ]; then
    exec "$binary" -runs=0 "$out/seeds" fuzz/corpus-regressions
fi

exec "$binary" "$out/corpus" "$out/seeds" fuzz/corpus-regressions \
    -dict=fuzz/workflow.dict -max_len=8192 -timeout=5 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/" "$@"
