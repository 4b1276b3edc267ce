package com.cometchat.spring.benchmarks.jmh;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of one benchmark JVM shows, as text: where its threads were when sampled (frames by self and
 * total samples, by package, by thread), its CPU per message, and what it allocated (by class, by site, by thread);
 * and its samples as collapsed stacks ({@code thread;root;...;leaf count}), the input of flame graph tools.
 * Execution samples see threads running Java code only: a thread blocked, parked or in a system call (a socket
 * write) is not in them, which the CPU figure, from {@code jdk.CPULoad}, does include.
 *
 * @author CometChat
 */
final class JfrSummary {

	/** A hidden class's suffix, as JFR writes it: {@code Foo$$Lambda$397+0x00007f7b442ddcd8.324880899}. */
	private static final Pattern HIDDEN = Pattern.compile("(\\$[0-9]+)?[+/]0x[0-9a-f]+(\\.[0-9]+)?");

	private static final Pattern NUMBERS = Pattern.compile("(@[0-9a-f]{5,}|[0-9]+)");

	/**
	 * Frames below everything a thread runs, which would head the total list without saying anything; so would JMH's
	 * calls of the benchmark method and the hidden classes of lambdas ({@link #HARNESS}).
	 */
	private static final Set<String> ROOTS = Set.of("java.lang.Thread.run", "java.lang.Thread.runWith",
			"java.util.concurrent.ThreadPoolExecutor.runWorker", "java.util.concurrent.ThreadPoolExecutor$Worker.run",
			"java.util.concurrent.FutureTask.run", "java.util.concurrent.ForkJoinWorkerThread.run",
			"java.util.concurrent.ForkJoinPool.runWorker", "java.util.concurrent.ForkJoinPool.scan",
			"java.util.concurrent.ForkJoinPool$WorkQueue.topLevelExec", "java.util.concurrent.ForkJoinTask.doExec",
			"java.util.concurrent.Executors$RunnableAdapter.call", "java.lang.reflect.Method.invoke");

	private static final Pattern HARNESS = Pattern
		.compile("^(org\\.openjdk\\.jmh\\.|jdk\\.internal\\.reflect\\.)|_jmhTest\\.|\\$\\$Lambda\\.");

	private static final String OURS = "com.cometchat.spring.client.";

	private static final String NOT_OURS = "none: the libraries', the benchmark's";

	private final Map<String, Integer> selfByFrame = new HashMap<>();

	private final Map<String, Integer> totalByFrame = new HashMap<>();

	private final Map<String, Integer> samplesByOurs = new HashMap<>();

	private final Map<String, Integer> selfByCaller = new HashMap<>();

	private final Map<String, Integer> samplesByThread = new HashMap<>();

	private final Map<String, Integer> collapsed = new HashMap<>();

	private final Map<String, Long> bytesByClass = new HashMap<>();

	private final Map<String, Long> bytesBySite = new HashMap<>();

	private final Map<String, Long> bytesByThread = new HashMap<>();

	private final Map<String, Long> bytesByOurs = new HashMap<>();

	private final Set<Long> allocatingThreads = new HashSet<>();

	/** Each thread's CPU load (user + system, fraction of the machine) at each sampling, by thread name. */
	private final Map<String, Double> cpuByThread = new HashMap<>();

	private final Map<Long, Integer> cpuSamplingsByThreadId = new HashMap<>();

	private int samples;

	private long bytes;

	private double cpuLoad;

	private double machineLoad;

	private int cpuEvents;

	private JfrSummary() {
	}

	static JfrSummary read(Path recording) throws IOException {
		JfrSummary summary = new JfrSummary();
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				summary.add(file.readEvent());
			}
		}
		return summary;
	}

	private void add(RecordedEvent event) {
		switch (event.getEventType().getName()) {
			case "jdk.ExecutionSample" -> sample(event.getThread("sampledThread"), event.getStackTrace());
			case "jdk.ObjectAllocationSample" -> allocation(event);
			case "jdk.ThreadCPULoad" -> {
				String name = thread(event.getThread("eventThread"));
				if (name != null) {
					this.cpuByThread.merge(name, (double) (event.getFloat("user") + event.getFloat("system")),
							Double::sum);
					this.cpuSamplingsByThreadId.merge(event.getThread("eventThread").getJavaThreadId(), 1,
							Integer::sum);
				}
			}
			case "jdk.CPULoad" -> {
				this.cpuLoad += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
				this.machineLoad += event.getFloat("machineTotal");
				this.cpuEvents++;
			}
			default -> {
			}
		}
	}

	private void sample(RecordedThread thread, RecordedStackTrace stack) {
		String threadName = thread(thread);
		if (stack == null || stack.getFrames().isEmpty() || threadName == null) {
			return;
		}
		this.samples++;
		this.samplesByThread.merge(threadName, 1, Integer::sum);
		List<RecordedFrame> frames = stack.getFrames();
		String leaf = frame(frames.get(0));
		this.selfByFrame.merge(leaf, 1, Integer::sum);
		this.samplesByOurs.merge(ours(frames), 1, Integer::sum);
		this.selfByCaller.merge(outsideJdk(frames, false), 1, Integer::sum);
		Set<String> seen = new HashSet<>();
		StringBuilder folded = new StringBuilder(threadName.replace(';', ':').replace(' ', '_'));
		for (int i = frames.size() - 1; i >= 0; i--) {
			String name = frame(frames.get(i));
			folded.append(';').append(name);
			if (seen.add(name) && !ROOTS.contains(name) && !HARNESS.matcher(name).find()) {
				this.totalByFrame.merge(name, 1, Integer::sum);
			}
		}
		if (stack.isTruncated()) {
			folded.insert(threadName.length(), ";[truncated]");
		}
		this.collapsed.merge(folded.toString(), 1, Integer::sum);
	}

	private void allocation(RecordedEvent event) {
		String threadName = thread(event.getThread("eventThread"));
		// A sample weighs what its thread allocated since the one before: a thread's first weighs all it allocated
		// before the recording too (the warm-up), and would be charged to whatever it happened to allocate then
		if (threadName == null || this.allocatingThreads.add(event.getThread("eventThread").getJavaThreadId())) {
			return;
		}
		long weight = event.getLong("weight");
		this.bytes += weight;
		this.bytesByClass.merge(HIDDEN.matcher(event.getClass("objectClass").getName()).replaceAll(""), weight,
				Long::sum);
		this.bytesByThread.merge(threadName, weight, Long::sum);
		RecordedStackTrace stack = event.getStackTrace();
		if (stack != null) {
			this.bytesBySite.merge(outsideJdk(stack.getFrames(), true), weight, Long::sum);
			this.bytesByOurs.merge(ours(stack.getFrames()), weight, Long::sum);
		}
	}

	/**
	 * A thread's name with its numbers and hashes taken out, so that a pool's threads add up; {@code null} for JFR's,
	 * the attach mechanism's and {@code main}, which in a JMH fork only starts and stops the profilers.
	 */
	private static String thread(RecordedThread thread) {
		if (thread == null) {
			return "?";
		}
		String name = (thread.getJavaName() != null) ? thread.getJavaName() : thread.getOSName();
		if (name.startsWith("JFR ") || name.equals("Attach Listener") || name.equals("main")) {
			return null;
		}
		if (name.contains("jmh-worker")) {
			return "jmh-worker (the benchmark's caller)";
		}
		return NUMBERS.matcher(name).replaceAll("#");
	}

	private static String frame(RecordedFrame frame) {
		String type = HIDDEN.matcher(frame.getMethod().getType().getName()).replaceAll("");
		return type + "." + frame.getMethod().getName();
	}

	/**
	 * Where time was spent or an allocation made, as an application reads it: the first frame outside the JDK (with
	 * its line, for an allocation) and the JDK frame it called, when there is one, in brackets.
	 */
	private static String outsideJdk(List<RecordedFrame> frames, boolean line) {
		for (int i = 0; i < frames.size(); i++) {
			RecordedFrame frame = frames.get(i);
			String type = frame.getMethod().getType().getName();
			if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
				String site = abbreviate(frame(frame)) + (line ? ":" + frame.getLineNumber() : "");
				return (i == 0) ? site : site + " [" + abbreviate(frame(frames.get(i - 1))) + "]";
			}
		}
		return frames.isEmpty() ? "?" : abbreviate(frame(frames.get(0))) + " (JDK only)";
	}

	/**
	 * The frame of ours nearest to the leaf (lambdas' hidden classes skipped), which the time or allocation is
	 * charged to; {@value #NOT_OURS} for none (the library's, the benchmark's or JMH's own).
	 */
	private static String ours(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String name = frame(frame);
			if (name.startsWith(OURS) && !name.contains("$$Lambda")) {
				return name.substring(OURS.length());
			}
		}
		return NOT_OURS;
	}

	/**
	 * {@code org.springframework.messaging.simp.stomp.DefaultStompSession.send} as
	 * {@code o.s.m.s.stomp.DefaultStompSession.send}: every package segment but the last to its initial.
	 */
	static String abbreviate(String frame) {
		String[] parts = frame.split("\\.");
		if (parts.length <= 3) {
			return frame;
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < parts.length - 2; i++) {
			out.append(parts[i].charAt(0)).append('.');
		}
		return out.append(parts[parts.length - 2]).append('.').append(parts[parts.length - 1]).toString();
	}

	/**
	 * The summary.
	 * @param messagesPerSecond the benchmark's rate during the recording, for the CPU per message
	 * @param top how many frames to list
	 * @param topAllocations how many classes and sites to list
	 */
	String text(double messagesPerSecond, int top, int topAllocations) {
		StringBuilder out = new StringBuilder();
		int cores = Runtime.getRuntime().availableProcessors();
		if (this.cpuEvents > 0) {
			double jvm = this.cpuLoad / this.cpuEvents;
			out.append(String.format("CPU: this JVM %.0f %% of the machine (%d cores), the machine %.0f %%; at %.0f "
					+ "messages/s that is %.1f µs of CPU per message%n", 100 * jvm, cores,
					100 * this.machineLoad / this.cpuEvents, messagesPerSecond, jvm * cores * 1e6 / messagesPerSecond));
		}
		out.append(String.format("Execution samples: %d; allocation sampled: %.0f MiB%n%n", this.samples,
				this.bytes / 1048576.0));
		threadCpu(out, messagesPerSecond, cores);
		table(out, "Threads (execution samples)", this.samplesByThread, this.samples, 12, false);
		table(out, "Top " + top + " frames by self samples (the method running)", this.selfByFrame, this.samples, top,
				true);
		table(out, "Top " + top + " frames by total samples (the method or what it called)", this.totalByFrame,
				this.samples, top, true);
		table(out, "Top " + topAllocations + " by self samples, the JDK's charged to its caller outside the JDK [the JDK "
				+ "method called]", this.selfByCaller, this.samples, topAllocations, false);
		ours(out, "Samples by the nearest frame of ours", this.samplesByOurs, this.samples);
		table(out, "Allocation by class (bytes, sampled)", this.bytesByClass, this.bytes, topAllocations, false);
		table(out, "Allocation by site (first frame outside the JDK [JDK frame below it])", this.bytesBySite,
				this.bytes, topAllocations, false);
		ours(out, "Allocation by the nearest frame of ours", this.bytesByOurs, this.bytes);
		table(out, "Allocation by thread", this.bytesByThread, this.bytes, 8, false);
		return out.toString();
	}

	/**
	 * Each thread's CPU per message, from {@code jdk.ThreadCPULoad}: unlike execution samples it counts time in system
	 * calls (socket reads and writes) too.
	 */
	private void threadCpu(StringBuilder out, double messagesPerSecond, int cores) {
		int samplings = this.cpuSamplingsByThreadId.values().stream().mapToInt(Integer::intValue).max().orElse(0);
		if (samplings == 0) {
			return;
		}
		double application = this.cpuByThread.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().contains("CompilerThread"))
			.mapToDouble(Map.Entry::getValue)
			.sum() / samplings * cores;
		out.append(String.format("CPU by thread (user + system, every second): all but the JIT compiler's %.1f µs per "
				+ "message%n", application * 1e6 / messagesPerSecond));
		this.cpuByThread.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(10)
			.forEach((entry) -> {
				double load = entry.getValue() / samplings * cores;
				out.append(String.format("  %7.1f µs  %5.1f %%  %s%n", load * 1e6 / messagesPerSecond, 100 * load,
						entry.getKey()));
			});
		out.append('\n');
	}

	/**
	 * What our code is charged with, for ours only (raw's JVM has at most an idle client of ours).
	 */
	private static <N extends Number> void ours(StringBuilder out, String title, Map<String, N> counts, long total) {
		N none = counts.get(NOT_OURS);
		if (none == null || none.longValue() < 0.95 * total) {
			table(out, title + " (" + OURS + "…; " + NOT_OURS + ")", counts, total, 15, false);
		}
	}

	private static <N extends Number> void table(StringBuilder out, String title, Map<String, N> counts, long total,
			int limit, boolean abbreviate) {
		out.append(title).append('\n');
		Map<String, N> top = counts.entrySet()
			.stream()
			.sorted((a, b) -> Long.compare(b.getValue().longValue(), a.getValue().longValue()))
			.limit(limit)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
		top.forEach((name, count) -> out.append(String.format("  %5.1f %%  %9s  %s%n",
				(total > 0) ? 100.0 * count.longValue() / total : 0, human(count), abbreviate ? abbreviate(name) : name)));
		out.append('\n');
	}

	private static String human(Number count) {
		long value = count.longValue();
		if (count instanceof Long && value >= 10L * 1024 * 1024) {
			return (value / (1024 * 1024)) + " MiB";
		}
		if (count instanceof Long && value >= 10L * 1024) {
			return (value / 1024) + " KiB";
		}
		return String.valueOf(value);
	}

	/**
	 * Write the samples as an SVG flame graph.
	 */
	void writeFlameGraph(Path file, String title) throws IOException {
		FlameGraph graph = new FlameGraph();
		this.collapsed.forEach(graph::add);
		graph.write(file, title);
	}

	/**
	 * Write the samples as collapsed stacks, one {@code thread;root;...;leaf count} a line, gzipped (a few MB of
	 * text each).
	 */
	void writeCollapsed(Path file) throws IOException {
		try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
				StandardCharsets.UTF_8)) {
			for (Map.Entry<String, Integer> entry : new TreeMap<>(this.collapsed).entrySet()) {
				out.write(entry.getKey() + " " + entry.getValue() + "\n");
			}
		}
	}

}
