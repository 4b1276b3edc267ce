package com.cometchat.spring.benchmarks.jmh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cometchat.spring.benchmarks.Results;
import com.cometchat.spring.benchmarks.Stats;
import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Figures 3 and 4: runs {@link ThroughputBenchmark} and {@link LatencyBenchmark} with JMH (one fork each) against
 * Artemis in its own JVM, and writes the ratios ours/raw.
 *
 * @author CometChat
 */
public final class JmhFigures {

	/**
	 * JMH's warm-up, {@code iterations x seconds}, unless {@code -Dbench.jmh.warmup} says otherwise. It was 3 x 2 s
	 * until the fifth session: the JIT compiler was then still busy in ours' measured iterations (ours has more code
	 * to compile), and with 5 x 5 s ours' round trip fell from 1.48x raw's to 1.16-1.26x within the hour, the
	 * product unchanged (docs/benchmarks.md, "Fifth session").
	 */
	static final String DEFAULT_WARMUP = "5x5";

	private final Results results;

	private final int iterations;

	private final int seconds;

	private final boolean throughput;

	private final boolean latency;

	/** How long the broker is warmed per benchmark and receipts setting before JMH starts. */
	private final Duration warmBroker;

	/**
	 * Both figures.
	 */
	public JmhFigures(Results results, int iterations, int seconds) {
		this(results, iterations, seconds, true, true);
	}

	/**
	 * Figure 3, figure 4 or both.
	 */
	public JmhFigures(Results results, int iterations, int seconds, boolean throughput, boolean latency) {
		this.results = results;
		this.iterations = iterations;
		this.seconds = seconds;
		this.throughput = throughput;
		this.latency = latency;
		this.warmBroker = Duration.ofSeconds(Long.getLong("bench.jmh.warm-broker-seconds", (iterations == 1) ? 1 : 10));
	}

	/**
	 * Warm the broker's JVM up for both clients before any fork is measured. JMH runs the benchmarks of a class in
	 * name order against the one broker, so without this {@code ours} always met a colder broker than {@code raw}
	 * (its p50 fell from 632 to 224 µs over its five iterations, while raw's stayed flat). Ours and raw take
	 * turns, one round trip or batch each, for the given time per benchmark and receipts setting, in this JVM.
	 * @param url the broker's URL
	 * @param each how long for each benchmark and receipts setting
	 */
	static void warmBroker(String url, Duration each) throws Exception {
		if (each.isZero()) {
			return;
		}
		System.setProperty("bench.url", url);
		for (boolean receipts : List.of(false, true)) {
			LatencyBenchmark latency = new LatencyBenchmark();
			latency.receipts = receipts;
			latency.setUp();
			takeTurns(each, latency::ours, latency::raw, latency::tearDown);
			ThroughputBenchmark throughput = new ThroughputBenchmark();
			throughput.receipts = receipts;
			throughput.setUp();
			takeTurns(each, throughput::ours, throughput::raw, throughput::tearDown);
		}
	}

	private static void takeTurns(Duration time, Turn ours, Turn raw, Runnable tearDown) throws Exception {
		try {
			for (long end = System.nanoTime() + time.toNanos(); System.nanoTime() < end;) {
				ours.take();
				raw.take();
			}
		}
		finally {
			tearDown.run();
		}
	}

	/**
	 * One round trip or batch of a benchmark.
	 */
	@FunctionalInterface
	private interface Turn {

		void take() throws Exception;

	}

	public void run() throws Exception {
		Collection<RunResult> runs;
		try (BrokerProcess broker = BrokerProcess.fork("1g", this.results.logs().resolve("broker-jmh.log"))) {
			warmBroker(broker.url(), this.warmBroker);
			ChainedOptionsBuilder builder = options(broker.url(), this.iterations, this.seconds);
			if (this.throughput) {
				builder.include(ThroughputBenchmark.class.getName());
			}
			if (this.latency) {
				builder.include(LatencyBenchmark.class.getName());
			}
			Options options = builder.resultFormat(ResultFormatType.JSON)
				.result(this.results.directory().resolve("jmh-raw.json").toString())
				.build();
			runs = new Runner(options).run();
		}
		Map<String, Map<String, RunResult>> byFigure = new LinkedHashMap<>();
		for (RunResult run : runs) {
			String label = run.getParams().getBenchmark();
			String method = label.substring(label.lastIndexOf('.') + 1);
			String figure = label.contains("Throughput") ? "throughput" : "latency";
			String key = "receipts=" + run.getParams().getParam("receipts") + "/" + method;
			byFigure.computeIfAbsent(figure, (f) -> new LinkedHashMap<>()).put(key, run);
		}
		writeThroughput(byFigure.getOrDefault("throughput", Map.of()));
		writeLatency(byFigure.getOrDefault("latency", Map.of()));
	}

	/**
	 * What every JMH run of the harness shares: one fork per benchmark, 3 x 2 s warm-up, the broker's URL and raw's
	 * WebSocket container for the forked JVM, and the arguments of {@code -Dbench.jmh.jvm-args} (space-separated: an
	 * A/B of a system property without a rebuild).
	 * @param jvmArgs more arguments for the forked JVM
	 */
	static ChainedOptionsBuilder options(String brokerUrl, int iterations, int seconds, String... jvmArgs) {
		List<String> args = new ArrayList<>(List.of("-Xmx1g", "-Dbench.url=" + brokerUrl,
				"-Dbench.raw.websocket=" + System.getProperty("bench.raw.websocket", "provider"),
				"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
		args.addAll(List.of(jvmArgs));
		String extra = System.getProperty("bench.jmh.jvm-args", "").trim();
		if (!extra.isEmpty()) {
			args.addAll(List.of(extra.split("\\s+")));
		}
		String[] warmup = System.getProperty("bench.jmh.warmup", DEFAULT_WARMUP).trim().split("x");
		return new OptionsBuilder().forks(1)
			.warmupIterations(Integer.parseInt(warmup[0]))
			.warmupTime(TimeValue.seconds(Integer.parseInt(warmup[1])))
			.measurementIterations(iterations)
			.measurementTime(TimeValue.seconds(seconds))
			.jvmArgsAppend(args.toArray(String[]::new));
	}

	private void writeThroughput(Map<String, RunResult> runs) {
		Map<String, Object> rows = new LinkedHashMap<>();
		List<List<Object>> csv = new ArrayList<>();
		for (String receipts : List.of("false", "true")) {
			RunResult ours = runs.get("receipts=" + receipts + "/ours");
			RunResult raw = runs.get("receipts=" + receipts + "/raw");
			if (ours == null || raw == null) {
				continue;
			}
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("oursMsgPerSec", throughput(ours));
			row.put("rawMsgPerSec", throughput(raw));
			row.put("ratioOursToRaw", Stats.round(score(ours) / score(raw)));
			rows.put("receipts " + (receipts.equals("true") ? "on" : "off"), row);
			for (int i = 0; i < iterations(ours).size() && i < iterations(raw).size(); i++) {
				csv.add(List.of(receipts, i + 1, Stats.round(iterations(ours).get(i)), Stats.round(iterations(raw).get(i))));
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "3 throughput: messages/s sent to a topic, batches of 100 completed (receipts on: "
				+ "on RECEIPT)");
		document.put("brokerWarmUp", "ours and raw taking turns, " + this.warmBroker.toSeconds()
				+ " s per benchmark and receipts setting, before the first fork");
		document.put("jmh", "1 fork, 3 x 2 s warm-up, " + this.iterations + " x " + this.seconds + " s measurement");
		document.put("results", rows);
		this.results.json("throughput", document);
		this.results.csv("throughput", List.of("receipts", "iteration", "oursMsgPerSec", "rawMsgPerSec"), csv);
	}

	private void writeLatency(Map<String, RunResult> runs) {
		Map<String, Object> rows = new LinkedHashMap<>();
		for (String receipts : List.of("false", "true")) {
			RunResult ours = runs.get("receipts=" + receipts + "/ours");
			RunResult raw = runs.get("receipts=" + receipts + "/raw");
			if (ours == null || raw == null) {
				continue;
			}
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("oursMicros", percentiles(ours));
			row.put("rawMicros", percentiles(raw));
			row.put("ratioP50", Stats.round(percentile(ours, 50) / percentile(raw, 50)));
			row.put("ratioP99", Stats.round(percentile(ours, 99) / percentile(raw, 99)));
			rows.put("receipts " + (receipts.equals("true") ? "on" : "off"), row);
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "4 latency: round trip send -> receive on a subscription (µs), one in flight");
		document.put("brokerWarmUp", "ours and raw taking turns, " + this.warmBroker.toSeconds()
				+ " s per benchmark and receipts setting, before the first fork");
		document.put("jmh", "SampleTime, 1 fork, 3 x 2 s warm-up, " + this.iterations + " x " + this.seconds
				+ " s measurement");
		document.put("results", rows);
		this.results.json("latency", document);
	}

	private static double score(RunResult run) {
		return run.getPrimaryResult().getScore();
	}

	private static List<Double> iterations(RunResult run) {
		List<Double> values = new ArrayList<>();
		run.getBenchmarkResults().forEach((benchmark) -> benchmark.getIterationResults()
			.forEach((iteration) -> values.add(iteration.getPrimaryResult().getScore())));
		return values;
	}

	private static Map<String, Object> throughput(RunResult run) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("score", Stats.round(score(run)));
		map.put("error99_9", Stats.round(run.getPrimaryResult().getScoreError()));
		Stats iterations = Stats.of(iterations(run));
		map.put("iterationMedian", Stats.round(iterations.median()));
		map.put("iterationMin", Stats.round(iterations.min()));
		map.put("iterationMax", Stats.round(iterations.max()));
		return map;
	}

	private static double percentile(RunResult run, double p) {
		return run.getPrimaryResult().getStatistics().getPercentile(p);
	}

	private static Map<String, Object> percentiles(RunResult run) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("samples", run.getPrimaryResult().getStatistics().getN());
		map.put("p50", Stats.round(percentile(run, 50)));
		map.put("p90", Stats.round(percentile(run, 90)));
		map.put("p99", Stats.round(percentile(run, 99)));
		map.put("p99.9", Stats.round(percentile(run, 99.9)));
		map.put("min", Stats.round(run.getPrimaryResult().getStatistics().getMin()));
		map.put("max", Stats.round(run.getPrimaryResult().getStatistics().getMax()));
		return map;
	}

}
