#!/usr/bin/env bash
# The TX-ring kick, Java (TxKickBenchmark, JMH: 1 fork, 3x1s warm-up, 5x1s measurement) against C (kick_overhead.c),
# in one session, both pinned to the same CPU: the C loop, the JMH benchmark, the C loop again; then a summary with
# ratios to C and, from the C loop's touch rows, what one page touched after a system call costs on this machine.
# Not part of the test suite; needs root (AF_PACKET). Usage:
#   oob-packet/bench/kick-overhead.sh [--cpu N] [--touch N] [JMH args instead of the defaults...]
# Maven arguments (e.g. -o -Dmaven.repo.local=...) come from MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
cpu=1
touch=64
while [ $# -gt 0 ]; do
    case "$1" in
        --cpu) cpu="$2"; shift 2 ;;
        --touch) touch="$2"; shift 2 ;;
        *) break ;;
    esac
done
jmh_args=("$@")
[ ${#jmh_args[@]} -gt 0 ] || jmh_args=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out=oob-packet/target/bench
mkdir -p "$out"
cc -O2 -Wall -o "$out/kick_overhead" oob-packet/bench/kick_overhead.c
./mvnw -B -q ${MAVEN_ARGS:-} -pl oob-packet -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$out/classpath.txt" -Dmdep.includeScope=test >/dev/null
cp="oob-packet/target/test-classes:oob-packet/target/classes:$(cat "$out/classpath.txt")"

c_run() { taskset -c "$cpu" "$out/kick_overhead" lo calls=500000 rounds=5 touch="$touch"; }
c_run | tee "$out/c.txt"
taskset -c "$cpu" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main TxKickBenchmark \
    "${jmh_args[@]}" 2>/dev/null | tee "$out/jmh.txt" | grep -E '^Benchmark|avgt'
c_run | tee -a "$out/c.txt"

echo
echo "== summary (ns per operation; ratio = Java / C; min = least disturbed round or iteration)"
awk '
    FNR == NR {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        e = v["kick_empty_ns"] + 0; f = v["kick_frame_ns"] + 0; t = v["kick_touch_ns"] + 0; o = v["touch_only_ns"] + 0
        if (!ce || e < ce) ce = e; if (!cf || f < cf) cf = f; if (!ct || t < ct) ct = t; if (!co || o < co) co = o
        se += e; sf += f; st += t; so += o; n++; pages = v["touch"] + 0
        next
    }
    /^# Benchmark: / { name = $3; sub(/.*\./, "", name) }
    /\(min, avg, max\)/ {
        gsub(/[(),]/, " "); mn = $5; av = $6
        if (name == "kickEmpty") { bmin = ce; bavg = se / n } else { bmin = cf; bavg = sf / n }
        printf "%-10s Java min %7.1f avg %7.1f   C min %7.1f avg %7.1f   ratio min %.2f avg %.2f   Java-C min %+6.1f\n",
            name, mn, av, bmin, bavg, mn / bmin, av / bavg, mn - bmin
    }
    END {
        if (pages > 0)
            printf "C: %d pages read after each empty kick cost %.1f ns more than the kick (min), %.1f ns without it: %.1f ns a page after a system call\n",
                pages, ct - ce, co, (ct - ce - co) / pages
    }
' "$out/c.txt" "$out/jmh.txt"
