package com.cometchat.spring.benchmarks.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cometchat.spring.benchmarks.Results;
import com.cometchat.spring.benchmarks.Stats;
import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;

/**
 * Bytes allocated per message, ours and raw: {@link ThroughputBenchmark} (sent), {@link ReceiveBenchmark} (received)
 * and {@link LatencyBenchmark} (a round trip) under JMH's GC profiler. {@code gc.alloc.rate.norm} is what every
 * thread of the benchmark's JVM allocated during an iteration, divided by its operations, and JMH counts
 * {@code @OperationsPerInvocation} batches as that many operations, so it is already per message. The JVM holds only
 * what the benchmark makes: the sending client (and the other one, idle) for a send; the receiving client alone for a
 * receive, the sender being in the harness's JVM; both ends for a round trip.
 *
 * @author CometChat
 */
public final class AllocationFigure {

	static final String NORM = "gc.alloc.rate.norm";

	private final Results results;

	private final int iterations;

	private final int seconds;

	public AllocationFigure(Results results, int iterations, int seconds) {
		this.results = results;
		this.iterations = iterations;
		this.seconds = seconds;
	}

	public void run() throws Exception {
		Collection<RunResult> runs;
		try (BrokerProcess broker = BrokerProcess.fork("1g", this.results.logs().resolve("broker-alloc.log"));
				Publisher publisher = Publisher.start(broker.url())) {
			runs = new Runner(JmhFigures.options(broker.url(), this.iterations, this.seconds, publisher.jvmArg())
				.include(ThroughputBenchmark.class.getName())
				.include(ReceiveBenchmark.class.getName())
				.include(LatencyBenchmark.class.getName())
				.addProfiler(GCProfiler.class)
				.resultFormat(ResultFormatType.JSON)
				.result(this.results.directory().resolve("alloc-jmh.json").toString())
				.build()).run();
		}
		Map<String, RunResult> byCase = new LinkedHashMap<>();
		for (RunResult run : runs) {
			String label = run.getParams().getBenchmark();
			String client = label.substring(label.lastIndexOf('.') + 1);
			byCase.put(caseOf(label, run.getParams().getParam("receipts")) + "/" + client, run);
		}
		Map<String, Object> rows = new LinkedHashMap<>();
		List<List<Object>> csv = new ArrayList<>();
		for (String name : List.of("sent (receipts off)", "sent (receipts on)", "received", "round trip (receipts off)",
				"round trip (receipts on)")) {
			RunResult ours = byCase.get(name + "/ours");
			RunResult raw = byCase.get(name + "/raw");
			if (ours == null || raw == null) {
				continue;
			}
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("oursBytesPerMessage", bytes(ours));
			row.put("rawBytesPerMessage", bytes(raw));
			row.put("ratioOursToRaw", Stats.round(norm(ours).getScore() / norm(raw).getScore()));
			row.put("oursScore", score(ours));
			row.put("rawScore", score(raw));
			RunResult rawAcked = byCase.get(name + "/rawAcked");
			if (rawAcked != null) {
				// Raw acknowledging each message as ours does: how much of the difference the ACKs are
				row.put("rawAckedBytesPerMessage", bytes(rawAcked));
				row.put("rawAckedScore", score(rawAcked));
			}
			rows.put(name, row);
			List<Double> oursIterations = iterations(ours);
			List<Double> rawIterations = iterations(raw);
			for (int i = 0; i < oursIterations.size() && i < rawIterations.size(); i++) {
				csv.add(List.of(name, i + 1, Stats.round(oursIterations.get(i)),
						Stats.round(rawIterations.get(i))));
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "allocation: bytes allocated per message by every thread of the benchmark's JVM "
				+ "(JMH GC profiler, " + NORM + "); sent: ThroughputBenchmark (the sending client, the other idle), "
				+ "received: ReceiveBenchmark (the receiving client alone, the sender in another JVM), round trip: "
				+ "LatencyBenchmark (sender and receiver in one JVM)");
		document.put("jmh", "1 fork, 3 x 2 s warm-up, " + this.iterations + " x " + this.seconds + " s measurement");
		document.put("results", rows);
		this.results.json("alloc", document);
		this.results.csv("alloc", List.of("case", "iteration", "oursBytesPerMessage", "rawBytesPerMessage"), csv);
	}

	private static String caseOf(String benchmark, String receipts) {
		String onOff = "true".equals(receipts) ? "on" : "off";
		if (benchmark.contains(ThroughputBenchmark.class.getSimpleName())) {
			return "sent (receipts " + onOff + ")";
		}
		if (benchmark.contains(ReceiveBenchmark.class.getSimpleName())) {
			return "received";
		}
		return "round trip (receipts " + onOff + ")";
	}

	private static Result<?> norm(RunResult run) {
		Result<?> norm = run.getSecondaryResults().get(NORM);
		if (norm == null) {
			throw new IllegalStateException("No " + NORM + " for " + run.getParams().getBenchmark()
					+ ": the JVM cannot count allocated bytes");
		}
		return norm;
	}

	private static Map<String, Object> bytes(RunResult run) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("score", Stats.round(norm(run).getScore()));
		map.put("error99_9", Stats.round(norm(run).getScoreError()));
		Stats iterations = Stats.of(iterations(run));
		map.put("iterationMin", Stats.round(iterations.min()));
		map.put("iterationMax", Stats.round(iterations.max()));
		return map;
	}

	/**
	 * The benchmark's own score, for reading the bytes beside it: messages/s, or µs for a round trip.
	 */
	private static Map<String, Object> score(RunResult run) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("value", Stats.round(run.getPrimaryResult().getScore()));
		map.put("unit", run.getPrimaryResult().getScoreUnit());
		return map;
	}

	private static List<Double> iterations(RunResult run) {
		List<Double> values = new ArrayList<>();
		run.getBenchmarkResults().forEach((benchmark) -> benchmark.getIterationResults()
			.forEach((iteration) -> values.add(iteration.getSecondaryResults().get(NORM).getScore())));
		return values;
	}

}
