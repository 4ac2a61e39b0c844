#!/usr/bin/env bash
# Shows that `flatland gate` works (see perf-results/README.md, "The gate experiment").
#
# Builds, in a temporary directory outside the repository (never the main tree's target/):
#   a  - a copy of the candidate: the working tree as it is now, uncommitted changes included
#   a2 - a second, separately built copy of the same sources
#   b  - a copy with an injected slowdown: every 1024 retired instructions the interpreter runs
#        a busy loop of FLATLAND_INJECTED_SPIN_ITERS iterations (fixed work, so it scales with the
#        machine like the rest of the emulator), calibrated to add SLOWDOWN (default 10%) to the
#        gate's figure. The injection exists only in that copy.
# then runs the gate (workload=boot, --icount, RUNS alternating pairs to start with, threshold 5%):
#   SLOW times  b  against a   (each must FAIL: exit status 1)
#   IDENT times a2 against a   (each must PASS: exit status 0), IDENT >= 20, consecutively
# Every gate record and a summary (JSON + markdown) go to perf-results/gate-experiment-STAMP/.
#
# Usage: bench/gate-experiment.sh        (env: RUNS=20 IDENT=20 SLOW=3 SLOWDOWN=0.10 THRESHOLD=5)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-20}" IDENT="${IDENT:-20}" SLOW="${SLOW:-3}" SLOWDOWN="${SLOWDOWN:-0.10}" THRESHOLD="${THRESHOLD:-5}"
stamp="$(date -u +%Y%m%d-%H%M%S)"
out="$root/perf-results/gate-experiment-$stamp"
tmp="$(mktemp -d /tmp/flatland-gate-exp.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
if command -v mvn >/dev/null 2>&1; then mvn=(mvn); else mvn=("$root/mvnw"); fi

say() { printf '\n== %s\n' "$*"; }

snapshot() {   # the working tree's tracked and untracked (not ignored) files, as they are now
    mkdir -p "$1"
    (cd "$root" && git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
        [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$1"
}

build() {
    (cd "$1" && flock /tmp/flatland-mvn.lock "${mvn[@]}" -B -q -o -DskipTests package -pl machine -am) >"$1.log" 2>&1 \
        || { tail -30 "$1.log"; echo "gate-experiment: build of $1 failed" >&2; exit 2; }
    cp "$1/machine/target/flatland.jar" "$1.jar"
}

say "snapshot of the working tree ($(git -C "$root" rev-parse --short HEAD) + uncommitted changes) -> $tmp"
snapshot "$tmp/a"
cp -a "$tmp/a" "$tmp/a2"
cp -a "$tmp/a" "$tmp/b"
say "building a, a2 (identical copies)"
build "$tmp/a"
build "$tmp/a2"

# A private copy of the harness, so a rebuild of bench/ during the experiment cannot disturb it.
[ -f "$root/bench/target/benchmarks.jar" ] || { echo "gate-experiment: build bench/ first (./flatland bench --help)" >&2; exit 2; }
cp "$root/bench/target/benchmarks.jar" "$tmp/bench.jar"
bench_jar="$tmp/bench.jar"
gate() { java -Xss4m -Dflatland.root="$root" -cp "$bench_jar" io.flatland.bench.harness.Cli gate "$@"; }

say "injecting the slowdown into b only: a busy loop every 1024 retired instructions"
interp="$tmp/b/cpu/src/main/java/io/flatland/cpu/Interpreter.java"
# Every retire point of the interpreter (the single-step loop and the burst loop): X.icount++;
n="$(grep -cE '\b[a-z]+\.icount\+\+;' "$interp" || true)"
[ "$n" -ge 1 ] || { echo "gate-experiment: cannot find the retire points in $interp" >&2; exit 2; }
sed -i -E 's/\b([a-z]+)\.icount\+\+;/\1.icount++; if ((\1.icount \& 1023) == 0) InjectedSlowdown.spin();/' "$interp"
echo "patched $n retire points:"; grep -n 'InjectedSlowdown' "$interp"
cat >"$tmp/b/cpu/src/main/java/io/flatland/cpu/InjectedSlowdown.java" <<'JAVA'
package io.flatland.cpu;

/**
 * Injected by bench/gate-experiment.sh into a temporary copy only: a busy loop of
 * FLATLAND_INJECTED_SPIN_ITERS iterations (calibrated by the script) per call.
 */
final class InjectedSlowdown {
    static final int ITERS = Integer.parseInt(System.getenv().getOrDefault("FLATLAND_INJECTED_SPIN_ITERS", "0"));
    static int sink;

    static void spin() {
        int x = sink;
        for (int i = 0; i < ITERS; i++) x = x * 1103515245 + 12345;
        sink = x;
    }
}
JAVA
say "building b (slowed)"
build "$tmp/b"

say "calibrating the injected busy loop to add $SLOWDOWN to the gate's figure"
mkdir -p "$out"
java -Dflatland.root="$root" -cp "$bench_jar" io.flatland.bench.harness.Calibrate "$tmp/a.jar" "$tmp/b.jar" 8 "$SLOWDOWN" 3 \
    | tee "$out/calibration.txt"
nanos="$(sed -n 's/^spin_iters_per_1024=//p' "$out/calibration.txt")"
[ -n "$nanos" ] || { echo "gate-experiment: calibration failed" >&2; exit 2; }
export FLATLAND_INJECTED_SPIN_ITERS="$nanos"   # read by b only; a and a2 have no such code

fails=0
for k in $(seq 1 "$SLOW"); do
    say "slowed vs identical, $k/$SLOW (must FAIL)"
    set +e; gate --baseline "$tmp/a.jar" --candidate "$tmp/b.jar" --runs "$RUNS" --threshold "$THRESHOLD" --out "$out" --label "slowed-$k"; st=$?; set -e
    echo "exit status $st"; [ "$st" = 1 ] || fails=$((fails + 1))
done
for k in $(seq 1 "$IDENT"); do
    say "identical vs identical, $k/$IDENT (must PASS)"
    set +e; gate --baseline "$tmp/a.jar" --candidate "$tmp/a2.jar" --runs "$RUNS" --threshold "$THRESHOLD" --out "$out" --label "identical-$k"; st=$?; set -e
    echo "exit status $st"; [ "$st" = 0 ] || fails=$((fails + 1))
done

java -Dflatland.root="$root" -cp "$bench_jar" io.flatland.bench.harness.GateExperimentSummary "$out" "$RUNS" "$THRESHOLD" "$SLOWDOWN" "$nanos"
say "summary: $out/summary.md"
cat "$out/summary.md"
exit $(( fails == 0 ? 0 : 1 ))
