#!/usr/bin/env bash
# FFM call overhead vs C, in one session: the C loop, the JMH benchmark (1 fork, 3x1s warmup, 5x1s
# measurement), the C loop again; then a summary with ratios to C. Not part of the test suite.
# The machines are shared and noisy: the summary compares minima (the least disturbed figure of each side) as
# well as averages. Usage: inband-stack/bench/ffm-overhead.sh [extra JMH args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out=inband-stack/target/bench
mkdir -p "$out"
gcc -O2 -o "$out/ffm_overhead" inband-stack/bench/ffm_overhead.c
mvn -B -q -pl inband-stack -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$out/classpath.txt" -Dmdep.includeScope=test >/dev/null 2>&1
cp="inband-stack/target/test-classes:inband-stack/target/classes:$(cat "$out/classpath.txt")"

"$out/ffm_overhead" 2000000 5 | tee "$out/c.txt"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
    -cp "$cp" org.openjdk.jmh.Main FfmCallOverheadBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s "$@" 2>/dev/null \
    | tee "$out/jmh.txt" | grep -E '^Benchmark|avgt'
"$out/ffm_overhead" 2000000 5 | tee -a "$out/c.txt"

echo
echo "== summary (ns per call; ratio = Java / C)"
awk '
    FNR == NR {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        p = v["pagesize_ns"] + 0; g = v["getpid_ns"] + 0; r = v["recv_empty_ns"] + 0
        if (!cp || p < cp) cp = p; if (!cg || g < cg) cg = g; if (!cr || r < cr) cr = r
        sp += p; sg += g; sr += r; n++
        next
    }
    /^# Benchmark: / { name = $3; sub(/.*\./, "", name) }
    /\(min, avg, max\)/ {
        gsub(/[(),]/, " "); mn = $5; av = $6
        if (name ~ /^pagesize/) { base_min = cp; base_avg = sp / n }
        else if (name ~ /^getpid/) { base_min = cg; base_avg = sg / n }
        else { base_min = cr; base_avg = sr / n }
        printf "%-22s min %7.2f  avg %7.2f   C min %6.2f  avg %6.2f   ratio min %.2f  avg %.2f\n",
            name, mn, av, base_min, base_avg, mn / base_min, av / base_avg
    }
' "$out/c.txt" "$out/jmh.txt"
