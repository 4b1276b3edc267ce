package com.cometchat.spring.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cometchat.spring.benchmarks.broker.RabbitMqBroker;
import com.cometchat.spring.benchmarks.jmh.AllocationFigure;
import com.cometchat.spring.benchmarks.jmh.JmhFigures;
import com.cometchat.spring.benchmarks.sessions.SessionsBenchmark;

/**
 * Runs every figure (or those named in {@code -Dbench.figures=recovery,silent,jmh,alloc,sessions,startup}) and writes
 * the results and {@code summary.md} to the directory given as the first argument. {@code -Dbench.quick=true} runs a
 * few seconds of each, to check the harness, not to measure.
 *
 * @author CometChat
 */
public final class RunAll {

	/** Figure 5's runs, in order: {@code <mode>-<websocket>}. */
	private static final String SESSIONS_RUNS = "ours-tomcat,raw-tomcat,ours-jetty,raw-jetty,manager-jetty";

	private RunAll() {
	}

	public static void main(String[] args) throws Exception {
		Results results = new Results(Path.of(args.length > 0 ? args[0] : "benchmarks/results"));
		boolean quick = Boolean.getBoolean("bench.quick");
		List<String> figures = List
			.of(System.getProperty("bench.figures", "startup,recovery,silent,jmh,sessions").split(","));
		long started = System.nanoTime();
		for (String figure : figures) {
			long figureStarted = System.nanoTime();
			System.out.println("== " + figure);
			switch (figure.trim()) {
				case "recovery" -> {
					Map<Integer, Integer> runs = new LinkedHashMap<>();
					if (quick) {
						runs.put(1, 2);
					}
					else {
						runs.put(1, 20);
						runs.put(5, 8);
						runs.put(30, 3);
					}
					new RecoveryBenchmark(results, quick ? 2 : 3, runs).run();
				}
				case "recovery-random" -> RecoveryBenchmark
					.randomOutages(results, quick ? 2 : 3, Integer.getInteger("bench.recovery.outages", quick ? 2 : 60),
							500, quick ? 1000 : 30_000, Long.getLong("bench.recovery.seed", 1))
					.run();
				case "recovery-rabbitmq" -> {
					if (!RabbitMqBroker.isRunning()) {
						System.out.println("RabbitMQ Web-STOMP is not running on 127.0.0.1:15674: skipped");
						continue;
					}
					Map<Integer, Integer> runs = new LinkedHashMap<>();
					if (quick) {
						runs.put(1, 2);
					}
					else {
						runs.put(1, 10);
						runs.put(5, 5);
					}
					new RecoveryBenchmark(results, quick ? 2 : 3, runs, true).run();
				}
				case "silent" -> new SilentDropBenchmark(results, quick ? 2 : 6, Duration.ofSeconds(quick ? 50 : 55))
					.run();
				case "jmh" -> new JmhFigures(results, quick ? 1 : 5, quick ? 1 : 3).run();
				case "throughput" -> new JmhFigures(results, quick ? 1 : 5, quick ? 1 : 3, true, false).run();
				case "latency" -> new JmhFigures(results, quick ? 1 : 5, quick ? 1 : 3, false, true).run();
				case "handoff" -> new HandOffFigure(results, quick ? 2 : 20).run();
				case "alloc" -> new AllocationFigure(results, quick ? 1 : 5, quick ? 1 : 3).run();
				case "sessions" -> new SessionsBenchmark(results,
						System.getProperty("bench.sessions.counts", quick ? "200,500" : "1000,5000,10000"),
						quick ? 200 : 10000, 200,
						List.of(System.getProperty("bench.sessions.runs", SESSIONS_RUNS).split(",")),
						System.getProperty("bench.sessions.store", "jpa"),
						System.getProperty("bench.sessions.restore-concurrency", "64,256"))
					.run();
				case "startup" -> new StartupBenchmark(results, quick ? 2 : 10, quick ? 1 : 5).run();
				case "leases" -> new com.cometchat.spring.benchmarks.cluster.LeasesBenchmark(results,
						quick ? 500 : 10000, quick ? 3 : 10, Duration.ofSeconds(quick ? 5 : 60), quick ? 1 : 10)
					.run();
				default -> throw new IllegalArgumentException("Unknown figure " + figure);
			}
			System.out.printf("== %s took %.0f s%n", figure, (System.nanoTime() - figureStarted) / 1e9);
		}
		new Summary(results).write();
		System.out.printf("== all took %.0f s%n", (System.nanoTime() - started) / 1e9);
	}

}
