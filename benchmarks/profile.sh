#!/usr/bin/env bash
# JFR profiles of the send and receive paths, ours and raw (about 8 minutes on 2 cores: 5 x 5 s measured per
# benchmark, for enough samples):
#   benchmarks/profile.sh <label>          writes docs/profiles/<label>-send.txt, <label>-receive.txt and
#                                          <label>-latency.txt (CPU, threads, top frames and allocation per client),
#                                          <label>-<send|receive|latency>-<ours|raw>.svg (flame graphs), and
#                                          benchmarks/results/profiles/<label>/: the recordings (jfr/, not committed),
#                                          the scores (runs.tsv) and the samples as collapsed stacks (*.collapsed.gz)
#   benchmarks/profile.sh <label> summarize   the same files again from the recordings there, without running
#   BENCH_QUICK=true benchmarks/profile.sh <label>   one 1 s iteration each, to check the script
#   BENCH_RAW_WEBSOCKET=provider           raw's clients on the container ContainerProvider finds (Tomcat's) instead
#                                          of Jetty's, the library ours ships with (the default here, unlike run.sh:
#                                          a profile compares our code with raw on the same library)
set -euo pipefail
cd "$(dirname "$0")/.."
LABEL="${1:?usage: benchmarks/profile.sh <label> [summarize], e.g. before or after}"

./mvnw -q -B -Pbench -DskipTests -pl benchmarks/harness -am package

mkdir -p benchmarks/results/profiles/"$LABEL"
java -Xmx1g \
	-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
	-Dbench.quick="${BENCH_QUICK:-false}" \
	-Dbench.raw.websocket="${BENCH_RAW_WEBSOCKET:-jetty}" \
	-cp "benchmarks/harness/target/classes:$(cat benchmarks/harness/target/classpath.txt)" \
	com.cometchat.spring.benchmarks.jmh.Profiles "$LABEL" docs/profiles benchmarks/results/profiles ${2:-} 2>&1 \
	| tee -a benchmarks/results/profiles/"$LABEL"/profile.log
