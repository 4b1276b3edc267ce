package com.cometchat.spring.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.JavaFlightRecorderProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JFR profiles of the send path ({@link ThroughputBenchmark}, receipts off), the receive path
 * ({@link ReceiveBenchmark}) and the round trip ({@link LatencyBenchmark}, receipts off), ours and raw: JMH's JFR
 * profiler records each benchmark's JVM during the measurement iterations (method samples every millisecond,
 * allocation samples up to 1000 a second, each thread's CPU every second), and {@link JfrSummary} turns each
 * recording into text and an SVG flame graph.
 * <p>
 * Arguments: a label, the directory for the summaries ({@code <label>-send.txt}, {@code <label>-receive.txt},
 * {@code <label>-latency.txt}) and flame graphs ({@code <label>-<path>-<client>.svg}), and the directory for the
 * recordings and collapsed stacks (under {@code <label>/}); a fourth, {@code summarize}, summarises the recordings
 * there again without running anything.
 *
 * @author CometChat
 */
public final class Profiles {

	private static final int TOP_FRAMES = 25;

	private static final int TOP_ALLOCATIONS = 15;

	private Profiles() {
	}

	public static void main(String[] args) throws Exception {
		String label = args[0];
		Path summaries = Files.createDirectories(Path.of(args[1]));
		Path recordings = Files.createDirectories(Path.of(args[2]).resolve(label)).toAbsolutePath();
		if (args.length < 4 || !args[3].equals("summarize")) {
			record(recordings);
		}
		summarize(label, recordings, summaries);
	}

	/**
	 * Run the benchmarks under JFR and write {@code runs.tsv}: each benchmark's score, for the summaries.
	 */
	private static void record(Path recordings) throws Exception {
		boolean quick = Boolean.getBoolean("bench.quick");
		Path settings = settings(recordings.resolve("settings.jfc"));
		String started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
		Collection<RunResult> runs;
		try (BrokerProcess broker = BrokerProcess.fork("1g", recordings.resolve("broker.log"));
				Publisher publisher = Publisher.start(broker.url())) {
			runs = new Runner(JmhFigures.options(broker.url(), quick ? 1 : 5, quick ? 1 : 5, publisher.jvmArg())
				.include(ThroughputBenchmark.class.getName())
				.include(ReceiveBenchmark.class.getName())
				.include(LatencyBenchmark.class.getName())
				.param("receipts", "false")
				// Longer than the figures' 3 x 2 s: on 2 busy cores the JIT compiler is still at work after them
				.warmupIterations(quick ? 1 : 5)
				.warmupTime(TimeValue.seconds(quick ? 1 : 3))
				.addProfiler(JavaFlightRecorderProfiler.class,
						"dir=" + recordings.resolve("jfr") + ";configName=" + settings + ";stackDepth=256")
				.build()).run();
		}
		StringBuilder tsv = new StringBuilder();
		for (RunResult run : runs) {
			tsv.append(String.join("\t", run.getParams().getBenchmark(), score(run),
					String.valueOf(messagesPerSecond(run)), started,
					System.getProperty("bench.raw.websocket", "provider"))).append('\n');
		}
		Files.writeString(recordings.resolve("runs.tsv"), tsv);
	}

	private static void summarize(String label, Path recordings, Path summaries) throws IOException {
		Map<String, StringBuilder> texts = new TreeMap<>();
		for (String line : Files.readAllLines(recordings.resolve("runs.tsv"))) {
			String[] run = line.split("\t");
			String benchmark = run[0];
			String client = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			String path = benchmark.contains(ThroughputBenchmark.class.getSimpleName()) ? "send"
					: benchmark.contains(ReceiveBenchmark.class.getSimpleName()) ? "receive" : "latency";
			Path recording = recording(recordings.resolve("jfr"), benchmark)
				.orElseThrow(() -> new IllegalStateException("No recording for " + benchmark));
			JfrSummary summary = JfrSummary.read(recording);
			summary.writeCollapsed(recordings.resolve(path + "-" + client + ".collapsed.gz"));
			summary.writeFlameGraph(summaries.resolve(label + "-" + path + "-" + client + ".svg"),
					"'" + label + "' " + path + ", " + client + ": " + run[1]);
			StringBuilder text = texts.computeIfAbsent(path,
					(p) -> new StringBuilder(header(path, label, run[3], run[4])));
			text.append("== ").append(client).append(": ").append(run[1]).append("\n\n");
			text.append(summary.text(Double.parseDouble(run[2]), TOP_FRAMES, TOP_ALLOCATIONS));
		}
		for (Map.Entry<String, StringBuilder> text : texts.entrySet()) {
			Files.writeString(summaries.resolve(label + "-" + text.getKey() + ".txt"), text.getValue());
		}
	}

	/**
	 * JDK's {@code profile} settings with method samples every millisecond, allocation samples up to 1000 a second
	 * and each thread's CPU every second, for enough samples from a 15 s measurement. (JFR.start reads the event
	 * settings of a .jfc file as they are written; the selections above them are for JMC.)
	 */
	private static Path settings(Path file) throws IOException {
		String settings = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
		settings = replace(settings, "(?<s><setting name=\"period\" control=\"method-sampling-java-interval\">)[^<]+",
				"1 ms");
		settings = replace(settings, "(?<s><setting name=\"throttle\" control=\"allocation-profiling\">)[^<]+",
				"1000/s");
		settings = replace(settings, "(?<s><event name=\"jdk.ThreadCPULoad\">\\s*<setting name=\"enabled\">true"
				+ "</setting>\\s*<setting name=\"period\">)[^<]+", "1 s");
		Files.writeString(file, settings);
		return file;
	}

	private static String replace(String settings, String regex, String value) {
		String replaced = settings.replaceFirst(regex, "${s}" + value);
		if (replaced.equals(settings)) {
			throw new IllegalStateException("No " + regex + " in the JDK's profile.jfc");
		}
		return replaced;
	}

	/**
	 * The recording JMH's JFR profiler wrote for a benchmark: in a directory named after it and its parameters.
	 */
	private static Optional<Path> recording(Path directory, String benchmark) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter((file) -> file.toString().endsWith(".jfr"))
				.filter((file) -> file.getParent().getFileName().toString().startsWith(benchmark + "-"))
				.findFirst();
		}
	}

	private static String header(String path, String label, String started, String rawWebSocket) {
		String what = switch (path) {
			case "send" -> "Send path: ThroughputBenchmark, receipts off (batches of 100 sends to a topic nobody "
					+ "subscribes to; the JVM holds the sending client, the other one idle).";
			case "receive" -> "Receive path: ReceiveBenchmark (the JVM holds the receiving client alone; a raw "
					+ "publisher in another JVM sends batches of 100 to its inbox queue).";
			default -> "Round trip: LatencyBenchmark, receipts off (one message in flight; sender and receiver in "
					+ "this JVM).";
		};
		String raw = "jetty".equals(rawWebSocket) ? "Raw on Jetty's WebSocket container, the library ours ships with."
				: "Raw on the WebSocket container ContainerProvider finds (Tomcat's here), ours on Jetty's.";
		return String.join("\n", "Profile '" + label + "', recorded " + started + " UTC.", what, raw,
				"JFR (JDK profile settings, method sampling every 1 ms, allocation samples up to 1000/s) over the",
				"measurement iterations, summarised by JfrSummary; percentages are of this client's samples or",
				"sampled bytes. Samples see threads running Java code only (not parked, blocked or in a socket call).",
				"", "");
	}

	private static String score(RunResult run) {
		return String.format("%.0f %s", run.getPrimaryResult().getScore(), run.getPrimaryResult().getScoreUnit());
	}

	private static double messagesPerSecond(RunResult run) {
		double score = run.getPrimaryResult().getScore();
		return (run.getParams().getMode() == Mode.SampleTime) ? 1e6 / score : score;
	}

}
