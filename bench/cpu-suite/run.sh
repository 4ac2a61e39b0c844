#!/usr/bin/env bash
# Flatland CPU suite: native vs QEMU TCG vs Flatland (interp, jit), end-to-end wall time.
#
# usage: bench/cpu-suite/run.sh [-n RUNS] [-w alu,crc,...] [-e native,qemu,interp,jit]
#                               [-t TIMEOUT_S] [-o OUT.json] [--no-json] [--flatland PATH]
#
# For each workload the engines are run round-robin (run 1 of every engine, then run 2, ...)
# so that drift in machine load spreads evenly. Every run is timed from before the process
# starts to after it exits (start-up included). Each run's stdout is checked against
# prebuilt/<workload>.expected, and its exit status against 0 (native) or 33 (kernels,
# isa-debug-exit with 0x10). A failed run (bad status, timeout) ends that engine's runs for
# that workload; a wrong output is kept but marked. The Flatland columns are skipped with a
# note when the launcher is missing.
#
# Emulators run prebuilt/<w>.elf (the committed kernels); the native column runs
# build/<w>.native, built here with `make` from the same sources and object files.
set -u
LC_ALL=C
export LC_ALL

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

RUNS=5
WORKLOADS="alu crc sieve matmul qsort bytecode memcpy ptrchase hashtab lz strsearch recurse dispatch narrow bits float addrmodes bigcode bignum"
ENGINES="native qemu interp jit"
TIMEOUT_S=600
OUT=""
WRITE_JSON=1
FLATLAND=${FLATLAND:-$REPO/flatland}
QEMU=${QEMU:-qemu-system-i386}
CMDLINE="bench/cpu-suite/run.sh $*"

die() { echo "run.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        -n) RUNS=$2; shift 2 ;;
        -w) WORKLOADS=${2//,/ }; shift 2 ;;
        -e) ENGINES=${2//,/ }; shift 2 ;;
        -t) TIMEOUT_S=$2; shift 2 ;;
        -o) OUT=$2; shift 2 ;;
        --no-json) WRITE_JSON=0; shift ;;
        --flatland) FLATLAND=$2; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "-n needs a positive integer" ;; esac

KARGS=(-m 64 -serial stdio -display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)
NOTES=()

# ---- which engines can run -------------------------------------------------------------
declare -A ACTIVE
for e in $ENGINES; do
    case "$e" in
        native)
            if command -v gcc >/dev/null && make -s -C "$HERE" all >/dev/null 2>"$HERE/build.err"; then
                ACTIVE[native]=1; rm -f "$HERE/build.err"
            else
                NOTES+=("native: skipped, 'make' failed (see bench/cpu-suite/build.err)")
            fi ;;
        qemu)
            if command -v "$QEMU" >/dev/null; then ACTIVE[qemu]=1
            else NOTES+=("qemu: skipped, $QEMU not found"); fi ;;
        interp|jit)
            if [ -x "$FLATLAND" ]; then ACTIVE[$e]=1
            else NOTES+=("$e: skipped, Flatland launcher $FLATLAND not found or not executable"); fi ;;
        *) die "unknown engine: $e" ;;
    esac
done

for w in $WORKLOADS; do
    [ -f "$HERE/prebuilt/$w.elf" ] && [ -f "$HERE/prebuilt/$w.expected" ] ||
        die "no prebuilt/$w.elf or prebuilt/$w.expected (run 'make prebuilt' in bench/cpu-suite)"
    if [ -f "$HERE/build/$w.elf" ] && ! cmp -s "$HERE/build/$w.elf" "$HERE/prebuilt/$w.elf"; then
        NOTES+=("$w: build/$w.elf differs from prebuilt/$w.elf (sources changed? run 'make prebuilt')")
    fi
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# command line of engine $1 for workload $2, into the array CMD; expected exit status in WANT
engine_cmd() {
    local e=$1 w=$2 k="$HERE/prebuilt/$2.elf"
    case "$e" in
        native) CMD=("$HERE/build/$w.native"); WANT=0 ;;
        qemu)   CMD=("$QEMU" "${KARGS[@]}" -kernel "$k"); WANT=33 ;;
        interp) CMD=("$FLATLAND" -accel interp "${KARGS[@]}" -kernel "$k"); WANT=33 ;;
        jit)    CMD=("$FLATLAND" -accel jit "${KARGS[@]}" -kernel "$k"); WANT=33 ;;
    esac
}

# ---- untimed probe of the Flatland launcher ----------------------------------------------
# The launcher may rebuild its jar first (Maven), which must not land in a timed run, and a
# launcher that cannot run a kernel at all gets its column skipped. The probe runs the first
# workload with --max-insns (status 4 = budget reached, 33 = finished); a launcher without
# that option (status 2) is probed with a full run instead.
first=${WORKLOADS%% *}
for e in interp jit; do
    [ -n "${ACTIVE[$e]:-}" ] || continue
    timeout -k 5 "$TIMEOUT_S" "$FLATLAND" -accel "$e" --max-insns 2000000 "${KARGS[@]}" \
        -kernel "$HERE/prebuilt/$first.elf" </dev/null >"$TMP/out" 2>"$TMP/err"
    st=$?
    if [ "$st" -eq 2 ]; then
        timeout -k 5 "$TIMEOUT_S" "$FLATLAND" -accel "$e" "${KARGS[@]}" \
            -kernel "$HERE/prebuilt/$first.elf" </dev/null >"$TMP/out" 2>"$TMP/err"
        st=$?
    fi
    if [ "$st" -ne 4 ] && [ "$st" -ne 33 ]; then
        unset "ACTIVE[$e]"
        NOTES+=("$e: skipped, probe '$FLATLAND -accel $e ... -kernel prebuilt/$first.elf' exited with $st; stderr: $(head -c 300 "$TMP/err" | tr '\n' ' ')")
        echo "run.sh: $e column skipped (launcher probe exited with $st)" >&2
    fi
done

declare -A SAMPLES STATUS
ALL_ENGINES="native qemu interp jit"

for w in $WORKLOADS; do
    expected=$(tr -d '\r' < "$HERE/prebuilt/$w.expected")
    for ((r = 1; r <= RUNS; r++)); do
        for e in $ALL_ENGINES; do
            [ -n "${ACTIVE[$e]:-}" ] || continue
            case "${STATUS[$w/$e]:-ok}" in fail*) continue ;; esac
            engine_cmd "$e" "$w"
            t0=$EPOCHREALTIME
            timeout -k 5 "$TIMEOUT_S" "${CMD[@]}" </dev/null >"$TMP/out" 2>"$TMP/err"
            st=$?
            t1=$EPOCHREALTIME
            secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
            if [ "$st" -ne "$WANT" ]; then
                if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then why="timeout after ${TIMEOUT_S}s"
                else why="exit status $st, wanted $WANT"; fi
                STATUS[$w/$e]="fail: $why"
                NOTES+=("$w/$e: run $r failed: $why; stderr: $(head -c 300 "$TMP/err" | tr '\n' ' ')")
                printf '  %-9s %-7s run %d: FAIL (%s)\n' "$w" "$e" "$r" "$why" >&2
                continue
            fi
            if ! tr -d '\r' < "$TMP/out" | grep -Fxq -- "$expected"; then
                if [ "${STATUS[$w/$e]:-ok}" = ok ]; then
                    NOTES+=("$w/$e: output mismatch: got '$(tr -d '\r' < "$TMP/out" | head -c 200 | tr '\n' '|')'")
                fi
                STATUS[$w/$e]=mismatch
                mark=" MISMATCH"
            else
                : "${STATUS[$w/$e]:=ok}"
                mark=""
            fi
            SAMPLES[$w/$e]="${SAMPLES[$w/$e]:-} $secs"
            printf '  %-9s %-7s run %d: %ss%s\n' "$w" "$e" "$r" "$secs" "$mark" >&2
        done
    done
done

# ---- statistics --------------------------------------------------------------------------
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit; if (NR % 2) printf "%.4f", v[(NR + 1) / 2];
    else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A MED
for w in $WORKLOADS; do
    for e in $ALL_ENGINES; do
        [ -n "${SAMPLES[$w/$e]:-}" ] || continue
        MED[$w/$e]=$(echo "${SAMPLES[$w/$e]}" | median)
    done
done

# cell text: median with a mark, "FAIL", or "-"
cell() {
    local k=$1
    if [ -n "${MED[$k]:-}" ]; then
        case "${STATUS[$k]}" in
            ok) printf '%.3f' "${MED[$k]}" ;;
            mismatch) printf '%.3f!' "${MED[$k]}" ;;
            fail*) printf '%.3f?' "${MED[$k]}" ;;
        esac
    elif [ -n "${STATUS[$k]:-}" ]; then echo FAIL
    else echo -; fi
}
# a usable median: present and the output matched, the run did not fail
good() { [ -n "${MED[$1]:-}" ] && [ "${STATUS[$1]}" = ok ]; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
geomean() { awk 'NF { s += log($1); n++ } END { if (n) printf "%.4f %d", exp(s / n), n }'; }

nw=$(echo $WORKLOADS | wc -w)
{
    echo
    printf '%-10s %9s %9s %9s %9s %9s %10s\n' workload native qemu interp jit jit/qemu interp/jit
    for w in $WORKLOADS; do
        jq_=-; ij=-
        good "$w/jit" && good "$w/qemu" && jq_=$(ratio "${MED[$w/jit]}" "${MED[$w/qemu]}")
        good "$w/interp" && good "$w/jit" && ij=$(ratio "${MED[$w/interp]}" "${MED[$w/jit]}")
        printf '%-10s %9s %9s %9s %9s %9s %10s\n' "$w" "$(cell "$w/native")" "$(cell "$w/qemu")" \
            "$(cell "$w/interp")" "$(cell "$w/jit")" "$jq_" "$ij"
    done
    row=()
    for e in $ALL_ENGINES; do
        g=$(for w in $WORKLOADS; do good "$w/$e" && echo "${MED[$w/$e]}"; done | geomean)
        if [ -z "$g" ]; then row+=(-)
        else set -- $g; v=$(printf '%.3f' "$1"); [ "$2" -lt "$nw" ] && v="$v($2)"; row+=("$v"); fi
    done
    for pair in "jit qemu" "interp jit"; do
        set -- $pair
        g=$(for w in $WORKLOADS; do good "$w/$1" && good "$w/$2" && ratio "${MED[$w/$1]}" "${MED[$w/$2]}" && echo; done | geomean)
        if [ -z "$g" ]; then row+=(-)
        else set -- $g; v=$(printf '%.2f' "$1"); [ "$2" -lt "$nw" ] && v="$v($2)"; row+=("$v"); fi
    done
    printf '%-10s %9s %9s %9s %9s %9s %10s\n' geomean "${row[@]}"
    echo "seconds, median of $RUNS runs, wall time including start-up;" \
         "! = output mismatch, ? = some runs failed, (k) = geomean over k workloads only"
    for n in "${NOTES[@]}"; do echo "note: $n"; done
}

# ---- JSON record (perf-results/README.md, format flatland-perf/1) --------------------------
[ "$WRITE_JSON" = 1 ] || exit 0
jstr() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/ }; s=${s//$'\n'/ }; printf '"%s"' "$s"; }
stamp=$(date +%Y%m%d-%H%M%S)
[ -n "$OUT" ] || { mkdir -p "$REPO/perf-results"; OUT="$REPO/perf-results/cpu-suite-$stamp.json"; }
commit=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]; then dirty=true; else dirty=false; fi
model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
arch=$(uname -m); [ "$arch" = x86_64 ] && arch=amd64
jvm='null'
if [ -n "${ACTIVE[interp]:-}${ACTIVE[jit]:-}" ] && command -v java >/dev/null; then
    props=$(java -XshowSettings:properties -version 2>&1)
    prop() { echo "$props" | awk -F' = ' -v k="    $1" '$1 == k { print $2; exit }'; }
    jvm="{ \"vendor\": $(jstr "$(prop java.vm.vendor)"), \"name\": $(jstr "$(prop java.vm.name)"), \"version\": $(jstr "$(prop java.vm.version)"), \"args\": [] }"
fi
{
    echo "{"
    echo "  \"format\": \"flatland-perf/1\","
    echo "  \"kind\": \"cpu-suite\","
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"commit\": $(jstr "$commit"), \"dirty\": $dirty,"
    echo "  \"command\": $(jstr "$CMDLINE"),"
    echo "  \"machine\": { \"cores\": $(nproc), \"model\": $(jstr "$model"), \"os\": $(jstr "$(uname -s) $(uname -r) $arch") },"
    echo "  \"jvm\": $jvm,"
    echo "  \"tools\": { \"qemu\": $(jstr "$("$QEMU" --version 2>/dev/null | head -1)"), \"gcc\": $(jstr "$(gcc --version 2>/dev/null | head -1)"), \"flatland\": $(jstr "$FLATLAND") },"
    echo "  \"notes\": ["
    sep=""
    for n in "${NOTES[@]}"; do printf '%s    %s' "$sep" "$(jstr "$n")"; sep=$',\n'; done
    [ -n "$sep" ] && echo
    echo "  ],"
    echo "  \"results\": ["
    sep=""
    for w in $WORKLOADS; do
        for e in $ALL_ENGINES; do
            [ -n "${STATUS[$w/$e]:-}" ] || continue
            s=$(echo ${SAMPLES[$w/$e]:-} | sed 's/ /, /g')
            printf '%s    { "benchmark": "%s/%s", "params": { "workload": "%s", "engine": "%s", "runs": %d }, "mode": "wall", "unit": "s", "median": %s, "samples": [%s], "status": %s }' \
                "$sep" "$w" "$e" "$w" "$e" "$RUNS" "${MED[$w/$e]:-null}" "$s" "$(jstr "${STATUS[$w/$e]}")"
            sep=$',\n'
        done
    done
    echo
    echo "  ]"
    echo "}"
} > "$OUT"
if command -v jq >/dev/null && ! jq -e . "$OUT" >/dev/null; then
    echo "run.sh: warning: $OUT is not valid JSON" >&2
fi
echo "wrote $OUT"
