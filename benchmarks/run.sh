#!/usr/bin/env bash
# Runs every benchmark figure and writes benchmarks/results/ (about 30 minutes on 2 cores).
#   benchmarks/run.sh                       all figures
#   BENCH_FIGURES=jmh,startup benchmarks/run.sh   some of: startup,recovery,recovery-random,recovery-rabbitmq,silent,jmh,
#                                           alloc,sessions,leases (recovery-random: 60 outages of 0.5-30 s, about 20
#                                           minutes; BENCH_RECOVERY_OUTAGES=n and BENCH_RECOVERY_SEED=s change them;
#                                           leases: figure 7, needs PostgreSQL on 127.0.0.1:5432, database test;
#                                           alloc: bytes per message sent and received, JMH's GC profiler, ~5 minutes)
#   benchmarks/profile.sh <label>           JFR profiles of the send and receive paths, ours and raw (docs/profiles/)
#   BENCH_QUICK=true benchmarks/run.sh      a few seconds of each, to check the harness (results not meaningful)
#   BENCH_RAW_WEBSOCKET=jetty               raw's JMH clients on Jetty's container instead of ContainerProvider's pick
#   BENCH_FIGURES=latency (or throughput)   one of jmh's two figures
#   BENCH_FIGURES=handoff                   what a hand-off to a pool thread costs here, the JDK alone (~10 s)
#   BENCH_JMH_JVM_ARGS='-Dx=y'              more arguments for JMH's forked JVMs (an A/B of a switch, no rebuild),
#                                           e.g. -Dbench.callback-executor=direct|spin<micros> (ours' listeners on
#                                           the reading thread, or on one spinning thread: experiments, not the product)
#   BENCH_JMH_WARMUP=3x2                    JMH's warm-up, iterations x seconds (default 5x5)
#   Figure 5 (sessions) only:
#   BENCH_SESSIONS_RUNS=ours-jetty,manager-jetty   which client JVMs (default: ours and raw on tomcat and jetty,
#                                                  then manager-jetty)
#   BENCH_SESSIONS_COUNTS=1000,5000,10000          the session counts ours and the manager grow to
#   BENCH_SESSIONS_STORE=jpa|jdbc|memory           the manager's store: JpaSessionStore on H2 in memory (default),
#                                                  JdbcSessionStore on it, or one InMemorySessionStore for both managers
#   BENCH_SESSIONS_RESTORE_CONCURRENCY=64,256      one restart from the database per value, at each count
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS="${BENCH_RESULTS:-benchmarks/results}"

# 10 000 sessions need 10 000 sockets in the client JVM and as many in the broker JVM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
	echo "warning: ulimit -n is $(ulimit -n); the 10 000-session figure needs about 11 000 per JVM" >&2
fi

# Figure 6's apps: bare Boot, with the starter, with the starter minus JPA, with JPA, with JPA and the starter
STARTUP_MODULES=benchmarks/startup-plain,benchmarks/startup-starter,benchmarks/startup-starter-memory
STARTUP_MODULES=$STARTUP_MODULES,benchmarks/startup-jpa,benchmarks/startup-jpa-starter
./mvnw -q -B -Pbench -DskipTests \
	-pl "benchmarks/harness,$STARTUP_MODULES" -am package

cp_of() { echo "benchmarks/$1/target/classes:$(cat "benchmarks/$1/target/classpath.txt")"; }
# The command as typed, with the BENCH_ variables that were set, for the results' machine block
COMMAND="$({ env | grep -E '^BENCH_[A-Z_]+=' || true; } | sort | tr '\n' ' ')benchmarks/run.sh"
mkdir -p "$RESULTS/logs"
java -Xmx1g \
	-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
	-Dorg.slf4j.simpleLogger.log.org.springframework.integration=off \
	-Dbench.figures="${BENCH_FIGURES:-startup,recovery,recovery-rabbitmq,silent,jmh,alloc,sessions}" \
	-Dbench.quick="${BENCH_QUICK:-false}" \
	-Dbench.raw.websocket="${BENCH_RAW_WEBSOCKET:-provider}" \
	${BENCH_JMH_JVM_ARGS:+-Dbench.jmh.jvm-args="$BENCH_JMH_JVM_ARGS"} \
	${BENCH_JMH_WARMUP:+-Dbench.jmh.warmup="$BENCH_JMH_WARMUP"} \
	${BENCH_SESSIONS_RUNS:+-Dbench.sessions.runs="$BENCH_SESSIONS_RUNS"} \
	${BENCH_SESSIONS_COUNTS:+-Dbench.sessions.counts="$BENCH_SESSIONS_COUNTS"} \
	${BENCH_SESSIONS_STORE:+-Dbench.sessions.store="$BENCH_SESSIONS_STORE"} \
	${BENCH_SESSIONS_RESTORE_CONCURRENCY:+-Dbench.sessions.restore-concurrency="$BENCH_SESSIONS_RESTORE_CONCURRENCY"} \
	${BENCH_RECOVERY_OUTAGES:+-Dbench.recovery.outages="$BENCH_RECOVERY_OUTAGES"} \
	${BENCH_RECOVERY_SEED:+-Dbench.recovery.seed="$BENCH_RECOVERY_SEED"} \
	-Dbench.command="$COMMAND" \
	-Dbench.startup.plain.cp="$(cp_of startup-plain)" \
	-Dbench.startup.starter.cp="$(cp_of startup-starter)" \
	-Dbench.startup.starter-memory.cp="$(cp_of startup-starter-memory)" \
	-Dbench.startup.jpa.cp="$(cp_of startup-jpa)" \
	-Dbench.startup.jpa-starter.cp="$(cp_of startup-jpa-starter)" \
	-cp "$(cp_of harness)" com.cometchat.spring.benchmarks.RunAll "$RESULTS" 2>&1 | tee "$RESULTS/logs/run.log"
