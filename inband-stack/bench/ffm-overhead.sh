#!/usr/bin/env bash
# FFM call overhead vs C, in one session: the C loop first, then the JMH benchmark (1 fork, 3x1s warmup,
# 5x1s measurement). Not part of the test suite. Usage: inband-stack/bench/ffm-overhead.sh [jmh args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out=inband-stack/target/bench
mkdir -p "$out"
gcc -O2 -o "$out/ffm_overhead" inband-stack/bench/ffm_overhead.c
echo "== C (gcc -O2)"
"$out/ffm_overhead" 2000000 5
mvn -B -q -pl inband-stack -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$out/classpath.txt" -Dmdep.includeScope=test >/dev/null
cp="inband-stack/target/test-classes:inband-stack/target/classes:$(cat "$out/classpath.txt")"
echo "== Java FFM (JMH)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
    -cp "$cp" org.openjdk.jmh.Main FfmCallOverheadBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s "$@"
# The machine is shared: the C loop again after the JVM run shows how much the baseline drifted meanwhile.
echo "== C again (gcc -O2)"
"$out/ffm_overhead" 2000000 5
