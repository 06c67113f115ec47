#!/usr/bin/env bash
# The slow cases of the reliability battery (issue 6), too long for the Swift
# suite (which runs short versions of each):
#   12a  100 MB on stdout and 100 MB on stderr at once: no deadlock, RSS <= 50 MB
#   12b  one 100 MB line without a newline: bounded memory, no crash
#   12c  100 MB of prefixed output into a slow pipe (back-pressure, RSS bounded)
#   16   500 quick tasks: no zombie, flowrun's open descriptor count flat
#   17   SIGINT 0-50 ms after start, 200 times: never an orphan
#   crash  1,000 concurrent sleeps x CRASH_RUNS, 100 quick tasks x QUICK_RUNS, 4 at a time (issue 12)
#
# Usage: scripts/reliability/run.sh [--budget SECONDS]   (default 300)
# Env:   FLOWRUN  the binary (default: .build/release/flowrun, else .build/debug/flowrun)
#        RELIABILITY_CASES  which cases, e.g. "16 17" (default: all)
# Prints a pass/fail table; exits 1 if a case failed or the budget ran out.
# Linux only (reads /proc); elsewhere it says so and exits 0.
set -uo pipefail
cd "$(dirname "$0")/../.."

budget=300
if [ "${1:-}" = "--budget" ]; then budget="$2"; fi
if [ ! -d /proc/self/fd ]; then echo "reliability: needs /proc (Linux); skipped"; exit 0; fi

flowrun="${FLOWRUN:-}"
if [ -z "$flowrun" ]; then
    for candidate in .build/release/flowrun .build/debug/flowrun; do
        if [ -x "$candidate" ]; then flowrun="$candidate"; break; fi
    done
fi
if [ -z "$flowrun" ] || [ ! -x "$flowrun" ]; then
    echo "reliability: no flowrun binary; run 'swift build' or set FLOWRUN" >&2
    exit 1
fi
flowrun="$(cd "$(dirname "$flowrun")" && pwd)/$(basename "$flowrun")"

work="$(mktemp -d "${TMPDIR:-/tmp}/flowrun-reliability.XXXXXX")"
trap 'rm -rf "$work"' EXIT
set -m  # background jobs in their own process group, SIGINT not ignored in them
started=$SECONDS
results=()
failed=0

# --- helpers -----------------------------------------------------------------

# Prints pids of live processes carrying MARKER=$1 in their environment.
leftovers() {
    local file pid
    for file in /proc/[0-9]*/environ; do
        pid="${file#/proc/}"; pid="${pid%/environ}"
        [ "$pid" = "$$" ] && continue
        if { tr '\0' '\n' < "$file"; } 2>/dev/null | grep -qxF "RELIABILITY_MARKER=$1"; then echo "$pid"; fi
    done
}

# Waits up to $2 seconds for leftovers of marker $1 to go; prints what is left.
await_no_leftovers() {
    local deadline=$((SECONDS + $2)) left
    while :; do
        left="$(leftovers "$1")"
        if [ -z "$left" ] || [ $SECONDS -ge $deadline ]; then echo "$left"; return; fi
        sleep 0.05
    done
}

# Samples the peak RSS (VmHWM, kB) of pid $1 until it exits; prints the last value.
peak_rss_kb() {
    local peak=0 value
    while [ -r "/proc/$1/status" ]; do
        value="$(awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null)"
        [ -n "$value" ] && peak="$value"
        sleep 0.02
    done
    echo "$peak"
}

# Kills pid $1 (its whole group) once the budget is used up; prints the watchdog's pid.
watchdog() {
    ( sleep "$(remaining)"; kill -KILL -"$1" 2>/dev/null ) > /dev/null 2>&1 &
    echo $!
}

record() { # name status detail
    results+=("$(printf '%-6s %-4s %s' "$1" "$2" "$3")")
    if [ "$2" != "pass" ]; then failed=1; fi
}

remaining() { echo $((budget - (SECONDS - started))); }

marker() { echo "rel-$$-$RANDOM$RANDOM"; }

# --- 12a: 100 MB on both streams at once ----------------------------------------

case_12a() {
    cat > "$work/12a.yaml" <<'EOF'
stages:
  - name: s
    tasks:
      - name: both
        run: |
          (head -c 100000000 /dev/zero | tr '\0' e | fold -w 199 >&2) &
          head -c 100000000 /dev/zero | tr '\0' o | fold -w 199
          wait
EOF
    local m; m="$(marker)"
    RELIABILITY_MARKER="$m" "$flowrun" run "$work/12a.yaml" --report "$work/12a.json" \
        > "$work/12a.out" 2> "$work/12a.err" &
    local pid=$! dog; dog="$(watchdog $pid)"
    local rss; rss="$(peak_rss_kb $pid)"
    wait $pid; local status=$?
    kill "$dog" 2>/dev/null
    local lines; lines="$(grep -c '^\[s/both\] o' "$work/12a.out")"
    local errlines; errlines="$(grep -c '^\[s/both:err\] e' "$work/12a.out")"
    local expected=$((100000000 / 199 + 1))
    local detail="exit $status, peak RSS $((rss / 1024)) MB, $lines stdout + $errlines stderr lines (want $expected each)"
    if [ $status -eq 0 ] && [ "$rss" -le $((50 * 1024)) ] && [ "$lines" -eq $expected ] && [ "$errlines" -eq $expected ]; then
        record 12a pass "$detail"
    else
        record 12a FAIL "$detail"
    fi
}

# --- 12b: one 100 MB line ----------------------------------------------------------

case_12b() {
    cat > "$work/12b.yaml" <<'EOF'
stages:
  - name: s
    tasks:
      - name: line
        run: head -c 100000000 /dev/zero | tr '\0' x
EOF
    "$flowrun" run "$work/12b.yaml" > /dev/null 2> "$work/12b.err" &
    local pid=$! dog; dog="$(watchdog $pid)"
    local rss; rss="$(peak_rss_kb $pid)"
    wait $pid; local status=$?
    kill "$dog" 2>/dev/null
    local detail="exit $status, peak RSS $((rss / 1024)) MB"
    if [ $status -eq 0 ] && [ "$rss" -le $((50 * 1024)) ]; then record 12b pass "$detail"; else record 12b FAIL "$detail"; fi
}

# --- 12c: 100 MB prefixed into a slow reader ------------------------------------

case_12c() {
    cat > "$work/12c.yaml" <<'EOF'
stages:
  - name: s
    tasks:
      - name: a
        run: head -c 50000000 /dev/zero | tr '\0' a | fold -w 99
      - name: b
        run: head -c 50000000 /dev/zero | tr '\0' b | fold -w 99
EOF
    local fifo="$work/12c.fifo"
    mkfifo "$fifo"
    # A reader that takes its time: 64 KiB at a time with pauses at first.
    ( { for _ in 1 2 3 4 5 6 7 8 9 10; do head -c 65536 > /dev/null; sleep 0.1; done; cat > /dev/null; } < "$fifo" ) &
    local reader=$!
    "$flowrun" run "$work/12c.yaml" > "$fifo" 2> "$work/12c.err" &
    local pid=$! dog; dog="$(watchdog $pid)"
    local rss; rss="$(peak_rss_kb $pid)"
    wait $pid; local status=$?
    kill "$dog" 2>/dev/null
    wait $reader
    local detail="exit $status, peak RSS $((rss / 1024)) MB"
    if [ $status -eq 0 ] && [ "$rss" -le $((50 * 1024)) ]; then record 12c pass "$detail"; else record 12c FAIL "$detail"; fi
}

# --- 16: 500 quick tasks ---------------------------------------------------------

case_16() {
    {
        echo "stages:"
        echo "  - name: before"
        echo "    tasks:"
        echo "      - run: touch sample-a; while [ ! -e go-a ]; do sleep 0.01; done"
        echo "  - name: many"
        echo "    tasks:"
        for _ in $(seq 1 500); do echo '      - run: "true"'; done
        echo "  - name: after"
        echo "    tasks:"
        echo "      - run: touch sample-b; while [ ! -e go-b ]; do sleep 0.01; done"
    } > "$work/16.yaml"
    rm -f "$work"/sample-* "$work"/go-*
    "$flowrun" run "$work/16.yaml" --output quiet > "$work/16.out" 2>&1 &
    local pid=$! dog; dog="$(watchdog $pid)"
    local deadline=$((SECONDS + $(remaining)))
    while [ ! -e "$work/sample-a" ] && [ $SECONDS -lt $deadline ]; do sleep 0.01; done
    local before; before="$(ls /proc/$pid/fd | wc -l)"
    touch "$work/go-a"
    while [ ! -e "$work/sample-b" ] && [ $SECONDS -lt $deadline ]; do sleep 0.01; done
    local after; after="$(ls /proc/$pid/fd | wc -l)"
    local zombies; zombies="$(awk -v p=$pid '$4 == p && $3 == "Z"' /proc/[0-9]*/stat 2>/dev/null | wc -l)"
    touch "$work/go-b"
    wait $pid; local status=$?
    kill "$dog" 2>/dev/null
    local detail="exit $status, fds $before -> $after, $zombies zombies"
    if [ $status -eq 0 ] && [ "$after" -le $((before + 2)) ] && [ "$zombies" -eq 0 ]; then
        record 16 pass "$detail"
    else
        record 16 FAIL "$detail"
    fi
}

# --- 17: SIGINT at a random 0-50 ms, 200 times --------------------------------------

case_17() {
    cat > "$work/17.yaml" <<'EOF'
stages:
  - name: s
    tasks:
      - run: sh -c 'sleep 100 & sleep 100 & wait'
      - run: sh -c 'sleep 100 & sleep 100 & wait'
      - run: sh -c 'sleep 100 & sleep 100 & wait'
      - run: sh -c 'sleep 100 & sleep 100 & wait'
EOF
    local orphans=0 hung=0 odd=0 rounds=0 round m pid status left statuses="" hangs=""
    # bash reports every interrupted background job ("[1]+ Interrupt ...") on
    # stderr; 200 of those would bury the table in the CI log.
    exec 3>&2 2>/dev/null
    for round in $(seq 1 200); do
        [ "$(remaining)" -le 5 ] && break
        m="$(marker)"
        RELIABILITY_MARKER="$m" "$flowrun" run "$work/17.yaml" --kill-grace 300ms > /dev/null 2>&1 &
        pid=$!
        sleep "0.0$(printf '%02d' $((RANDOM % 51)))"
        kill -INT $pid
        local waited=0
        while kill -0 $pid 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.05; waited=$((waited + 1)); done
        if kill -0 $pid 2>/dev/null; then
            hung=$((hung + 1))
            # Keep what is needed to understand a hang: signal state, threads, children.
            local dump="${TMPDIR:-/tmp}/flowrun-reliability-hang-$pid.txt"
            {
                echo "round $round, SIGINT after a random delay; still running 5 s later"
                grep -E '^(State|Sig|Shd)' /proc/$pid/status
                for t in /proc/$pid/task/*; do echo "$t $(cat $t/comm) $(cat $t/wchan) $(grep SigBlk $t/status)"; done
                cat /proc/$pid/task/*/children; echo
                ls -l /proc/$pid/fd
            } > "$dump" 2>&1
            hangs="$hangs $dump"
            kill -KILL -$pid 2>/dev/null
        fi
        wait $pid 2>/dev/null; status=$?
        # 130: handled; 130 also when SIGINT came before the trap (default action: killed by SIGINT).
        if [ $status -ne 130 ]; then odd=$((odd + 1)); statuses="$statuses $status"; fi
        left="$(await_no_leftovers "$m" 2)"
        if [ -n "$left" ]; then orphans=$((orphans + 1)); kill -KILL $left 2>/dev/null; fi
        rounds=$((rounds + 1))
    done
    exec 2>&3 3>&-
    local detail="$rounds rounds, $orphans with orphans, $hung hung, $odd not exit 130${statuses:+ (got:$(echo $statuses | tr ' ' '\n' | sort | uniq -c | tr -s ' \n' ' '))}${hangs:+; hang state in$hangs}"
    if [ $rounds -eq 200 ] && [ $orphans -eq 0 ] && [ $hung -eq 0 ] && [ $odd -eq 0 ]; then
        record 17 pass "$detail"
    else
        record 17 FAIL "$detail"
    fi
}

# --- crash: issue 12's crash row -----------------------------------------------------
# 1,000 concurrent `sleep 1` tasks, CRASH_RUNS times (CI 3, the issue's full count 200);
# 100 quick tasks, 4 flowruns at a time, QUICK_RUNS runs (CI 24, full 800).
# Every run must exit 0 within 60 s: a crash (status >= 128) or a hang fails the case.

case_crash() {
    local runs="${CRASH_RUNS:-3}" quick="${QUICK_RUNS:-24}" i status crashes=0 hangs=0 odd=0 done_runs=0 done_quick=0 statuses=""
    { echo "stages:"; echo "  - name: s"; echo "    tasks:"
      for i in $(seq 1 1000); do echo "      - run: sleep 1"; done; } > "$work/crash.yaml"
    { echo "stages:"; echo "  - name: s"; echo "    tasks:"
      for i in $(seq 1 100); do echo "      - /bin/true"; done; } > "$work/quick.yaml"
    for i in $(seq 1 "$runs"); do
        [ "$(remaining)" -le 10 ] && break
        timeout -s KILL 60 "$flowrun" run "$work/crash.yaml" --output quiet > "$work/crash.out" 2>&1; status=$?
        if [ $status -eq 137 ]; then hangs=$((hangs + 1)); elif [ $status -ge 128 ]; then crashes=$((crashes + 1)); elif [ $status -ne 0 ]; then odd=$((odd + 1)); statuses="$statuses $status"; fi
        done_runs=$((done_runs + 1))
    done
    local batch pids p
    for batch in $(seq 1 $(( (quick + 3) / 4 ))); do
        [ "$(remaining)" -le 5 ] && break
        pids=""
        for p in 1 2 3 4; do
            timeout -s KILL 60 "$flowrun" run "$work/quick.yaml" --output quiet > /dev/null 2>&1 &
            pids="$pids $!"
        done
        for p in $pids; do
            wait "$p"; status=$?
            if [ $status -eq 137 ]; then hangs=$((hangs + 1)); elif [ $status -ge 128 ]; then crashes=$((crashes + 1)); elif [ $status -ne 0 ]; then odd=$((odd + 1)); statuses="$statuses $status"; fi
            done_quick=$((done_quick + 1))
        done
    done
    local detail="$done_runs x 1,000 sleep-1 + $done_quick x 100 quick (4 at a time): $crashes crashed, $hangs hung, $odd not exit 0${statuses:+ (got:$statuses)}"
    if [ "$done_runs" -eq "$runs" ] && [ "$done_quick" -ge "$quick" ] && [ $crashes -eq 0 ] && [ $hangs -eq 0 ] && [ $odd -eq 0 ]; then
        record crash pass "$detail"
    else
        record crash FAIL "$detail"
    fi
}

for case in ${RELIABILITY_CASES:-12a 12b 12c 16 17 crash}; do
    case="case_$case"
    if [ "$(remaining)" -le 0 ]; then record "${case#case_}" FAIL "time budget of ${budget}s used up"; continue; fi
    "$case"
done

echo
echo "reliability (slow cases), $((SECONDS - started))s of a ${budget}s budget, $flowrun"
printf '%-6s %-4s %s\n' case result detail
for row in "${results[@]}"; do echo "$row"; done
exit $failed
