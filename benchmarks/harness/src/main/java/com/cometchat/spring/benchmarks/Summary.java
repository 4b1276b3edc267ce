package com.cometchat.spring.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes {@code summary.md}: one Markdown table per figure, from the JSON results in the directory.
 *
 * @author CometChat
 */
public final class Summary {

	private final Results results;

	private final StringBuilder md = new StringBuilder();

	public Summary(Results results) {
		this.results = results;
	}

	public static void main(String[] args) {
		new Summary(new Results(Path.of(args[0]))).write();
	}

	public void write() {
		Map<String, Object> machine = Results.machine();
		line("# Benchmark results (generated)");
		line("");
		line("Machine: " + machine.get("cores") + " cores, " + machine.get("memoryGiB") + " GiB, " + machine.get("jvm")
				+ ". Each file's `machine` block has the date of its run.");
		recovery("recovery", "1. Recovery after the broker was down");
		recovery("recovery-rabbitmq", "1b. Recovery after RabbitMQ was down");
		recovery("recovery-random", "1c. Recovery after outages of random length (0.5-30 s)");
		silentDrop();
		throughput();
		latency();
		allocation();
		sessions();
		startup();
		this.results.write("summary.md", this.md.toString());
	}

	private Map<String, Object> load(String name) {
		Path file = this.results.directory().resolve(name + ".json");
		return Files.exists(file) ? Results.read(file) : null;
	}

	private void recovery(String name, String title) {
		Map<String, Object> doc = load(name);
		if (doc == null) {
			return;
		}
		heading(title + " (ms from the broker accepting again to CONNECTED + subscribed)", doc);
		line("| outage | client | samples | median | p99 | min | max | median vs ours |");
		line("|---|---|---|---|---|---|---|---|");
		Map<String, Object> outages = map(doc.get("outages"));
		outages.forEach((outage, value) -> {
			if (!(outage.endsWith("s") || outage.equals("random"))
					|| !(map(value).get("recoveryMillis") instanceof Map)) {
				return;
			}
			Map<String, Object> byKind = map(map(value).get("recoveryMillis"));
			double ours = number(map(byKind.get(RecoveryBenchmark.KINDS[0])).get("median"));
			byKind.forEach((kind, stats) -> {
				Map<String, Object> s = map(stats);
				line("| " + outage + " (" + map(value).get("runs") + " runs) | " + kind + " | " + s.get("n")
						+ notBack(s.get("notBackWithin70s")) + " | " + fmt(s.get("median")) + " | " + fmt(s.get("p99"))
						+ " | " + fmt(s.get("min")) + " | " + fmt(s.get("max")) + " | "
						+ ratio(number(s.get("median")), ours) + " |");
			});
		});
	}

	private void silentDrop() {
		Map<String, Object> doc = load("silent-drop");
		if (doc == null) {
			return;
		}
		heading("2. Silent drop (blackholed link): ms until the loss is reported (detected), until a message reaches "
				+ "the subscription again (receiving again), and the gap between them; median (min–max)", doc);
		line("| link healed | client | instances | detected | receiving again | gap | not detected / not receiving "
				+ "again within " + doc.get("capSeconds") + " s |");
		line("|---|---|---|---|---|---|---|");
		silentDropRows(doc);
		if (doc.get("oldConnectionStaysDead") instanceof Map) {
			silentDropRows(map(doc.get("oldConnectionStaysDead")));
		}
	}

	private void silentDropRows(Map<String, Object> figure) {
		// Runs before "receiving again" was measured have detection only
		Object heal = figure.getOrDefault("heal", "–");
		Map<String, Object> receiving = mapOrEmpty(figure.get("receivingAgainMillis"));
		Map<String, Object> gaps = mapOrEmpty(figure.get("reconnectGapMillis"));
		map(figure.get("detectionMillis")).forEach((kind, stats) -> {
			Map<String, Object> s = map(stats);
			Object notReceiving = mapOrEmpty(receiving.get(kind)).getOrDefault("notReceivingAgainWithinCap", "–");
			line("| " + heal + " | " + kind + " | " + s.get("instances") + " | " + spread(s) + " | "
					+ spread(receiving.get(kind)) + " | " + spread(gaps.get(kind)) + " | "
					+ s.get("notDetectedWithinCap") + " / " + notReceiving + " |");
		});
	}

	/**
	 * Median (min–max), or a dash when there is no sample.
	 */
	private static String spread(Object value) {
		if (!(value instanceof Map)) {
			return "–";
		}
		Map<String, Object> s = map(value);
		return Double.isNaN(number(s.get("median"))) ? "–"
				: fmt(s.get("median")) + " (" + fmt(s.get("min")) + "–" + fmt(s.get("max")) + ")";
	}

	private void throughput() {
		Map<String, Object> doc = load("throughput");
		if (doc == null) {
			return;
		}
		heading("3. Throughput (messages/s, JMH score ± 99.9 % error; iteration min–max)", doc);
		line("| receipts | ours | raw `StompSession` | ours / raw |");
		line("|---|---|---|---|");
		map(doc.get("results")).forEach((receipts, value) -> {
			Map<String, Object> row = map(value);
			line("| " + receipts + " | " + tp(row.get("oursMsgPerSec")) + " | " + tp(row.get("rawMsgPerSec")) + " | "
					+ row.get("ratioOursToRaw") + " |");
		});
	}

	private static String tp(Object value) {
		Map<String, Object> s = map(value);
		return Math.round(number(s.get("score"))) + " ± " + Math.round(number(s.get("error99_9"))) + " ("
				+ Math.round(number(s.get("iterationMin"))) + "–" + Math.round(number(s.get("iterationMax"))) + ")";
	}

	private void latency() {
		Map<String, Object> doc = load("latency");
		if (doc == null) {
			return;
		}
		heading("4. Latency, send → receive on a subscription (µs)", doc);
		line("| receipts | ours p50 | raw p50 | p50 ratio | ours p99 | raw p99 | p99 ratio | samples ours / raw |");
		line("|---|---|---|---|---|---|---|---|");
		map(doc.get("results")).forEach((receipts, value) -> {
			Map<String, Object> row = map(value);
			Map<String, Object> ours = map(row.get("oursMicros"));
			Map<String, Object> raw = map(row.get("rawMicros"));
			line("| " + receipts + " | " + ours.get("p50") + " | " + raw.get("p50") + " | " + row.get("ratioP50")
					+ " | " + ours.get("p99") + " | " + raw.get("p99") + " | " + row.get("ratioP99") + " | "
					+ ours.get("samples") + " / " + raw.get("samples") + " |");
		});
	}

	private void allocation() {
		Map<String, Object> doc = load("alloc");
		if (doc == null) {
			return;
		}
		heading("Allocation: bytes per message allocated in the benchmark's JVM (JMH GC profiler, "
				+ "gc.alloc.rate.norm ± 99.9 % error)", doc);
		line("| message | ours | raw | ours / raw |");
		line("|---|---|---|---|");
		map(doc.get("results")).forEach((name, value) -> {
			Map<String, Object> row = map(value);
			line("| " + name + " | " + bytes(row.get("oursBytesPerMessage")) + " | "
					+ bytes(row.get("rawBytesPerMessage")) + " | " + row.get("ratioOursToRaw") + " |");
			if (row.get("rawAckedBytesPerMessage") instanceof Map) {
				double ours = number(map(row.get("oursBytesPerMessage")).get("score"));
				line("| " + name + ", raw acknowledging as ours | | " + bytes(row.get("rawAckedBytesPerMessage"))
						+ " | " + ratio(ours, number(map(row.get("rawAckedBytesPerMessage")).get("score"))) + " |");
			}
		});
	}

	private static String bytes(Object value) {
		Map<String, Object> s = map(value);
		double error = number(s.get("error99_9"));
		return Math.round(number(s.get("score"))) + (Double.isNaN(error) ? "" : " ± " + Math.round(error));
	}

	private void sessions() {
		Map<String, Object> doc = load("sessions");
		if (doc == null) {
			return;
		}
		heading("5. Sessions per JVM (Artemis in its own JVM, heart-beats 10 s)", doc);
		line("| client | WebSocket | sessions | connect s (this step) | heap/session KiB | threads | CPU idle % of a core "
				+ "| restart: all back s | half back s | peak reconnects/s | peak threads |");
		line("|---|---|---|---|---|---|---|---|---|---|---|");
		for (Object value : (List<?>) doc.get("runs")) {
			Map<String, Object> run = map(value);
			if (run.containsKey("error")) {
				line("| " + run.get("mode") + " | " + run.get("webSocketClient") + " | " + run.get("error")
						+ " |||||||||");
				continue;
			}
			for (Object stepValue : (List<?>) run.get("steps")) {
				Map<String, Object> step = map(stepValue);
				line("| " + run.get("mode") + " | " + run.get("webSocketClient") + " | " + step.get("sessions") + " | "
						+ step.get("connectSecondsThisStep") + " | " + step.get("heapPerSessionKiB") + " | "
						+ step.get("threads") + " | " + step.get("idleCpuPercentOfOneCore") + " | "
						+ step.getOrDefault("allBackSecondsAfterBrokerAccepts", "–") + " | "
						+ step.getOrDefault("halfBackSecondsAfterBrokerAccepts", "–") + " | "
						+ step.getOrDefault("peakReconnectsPerSecond", "–") + " | "
						+ step.getOrDefault("peakThreadsDuringRestart", "–") + " |");
			}
		}
		restartsFromDatabase(doc);
	}

	/**
	 * The connection manager's restarts from the database: close, a new manager on the same store, start.
	 */
	private void restartsFromDatabase(Map<String, Object> doc) {
		boolean first = true;
		for (Object value : (List<?>) doc.get("runs")) {
			Map<String, Object> run = map(value);
			if (!(run.get("steps") instanceof List<?> steps)) {
				continue;
			}
			for (Object stepValue : steps) {
				Map<String, Object> step = map(stepValue);
				if (!(step.get("restartsFromDatabase") instanceof List<?> restarts)) {
					continue;
				}
				if (first) {
					line("");
					line("Connection manager, application restart from the database (" + run.get("sessionStore")
							+ "): close the manager, a new one on the same store, start(); seconds after start().");
					line("");
					line("| WebSocket | sessions | restore concurrency | close s | loaded s | all CONNECTED s | half s "
							+ "| peak connects/s | peak threads | states at the end | load average |");
					line("|---|---|---|---|---|---|---|---|---|---|---|");
					first = false;
				}
				for (Object restartValue : restarts) {
					Map<String, Object> restart = map(restartValue);
					line("| " + run.get("webSocketClient") + " | " + step.get("sessions") + " | "
							+ restart.get("restoreConcurrency") + " | " + restart.get("closeSeconds") + " | "
							+ restart.get("loadedSeconds") + " | " + restart.get("allBackSecondsAfterStart") + " | "
							+ restart.get("halfBackSecondsAfterStart") + " | " + restart.get("peakReconnectsPerSecond")
							+ " | " + restart.get("peakThreads") + " | " + restart.get("statesAtEnd") + " | "
							+ restart.get("loadAverage") + " |");
				}
			}
		}
	}

	private void startup() {
		Map<String, Object> doc = load("startup");
		if (doc == null) {
			return;
		}
		heading("6. Start-up: SpringApplication.run() in a fresh JVM (ms)", doc);
		line("| app | runs | median | min | max | JVM uptime median | process CPU median | main thread CPU median "
				+ "| bean definitions |");
		line("|---|---|---|---|---|---|---|---|---|");
		map(doc.get("apps")).forEach((app, value) -> {
			Map<String, Object> entry = map(value);
			Map<String, Object> run = map(entry.get("runMillis"));
			line("| " + app + " | " + run.get("n") + " | " + fmt(run.get("median")) + " | " + fmt(run.get("min"))
					+ " | " + fmt(run.get("max")) + " | " + fmt(map(entry.get("jvmUptimeMillis")).get("median"))
					+ " | " + fmt(mapOrEmpty(entry.get("cpuMillis")).get("median")) + " | "
					+ fmt(mapOrEmpty(entry.get("mainThreadCpuMillis")).get("median")) + " | "
					+ entry.get("beanDefinitions") + " |");
		});
		line("");
		if (!(doc.get("ratios") instanceof Map)) {
			line("Ratio with / without (medians): run " + doc.get("ratioRunMedian") + "×, JVM uptime "
					+ doc.get("ratioUptimeMedian") + "×.");
			return;
		}
		if (doc.get("loadAverage1m") instanceof Map<?, ?> load) {
			line("Load average (1 min) when the timed starts began: " + spread(load) + ".");
			line("");
		}
		line("| ratio | run, medians | run, extra ms | run, minima | JVM uptime, medians | process CPU, medians "
				+ "| main thread CPU, medians |");
		line("|---|---|---|---|---|---|---|");
		map(doc.get("ratios")).forEach((pair, value) -> {
			Map<String, Object> ratio = map(value);
			line("| " + pair + " | " + times(ratio.get("run")) + " | " + fmt(ratio.get("runExtraMillis")) + " | "
					+ times(ratio.get("runMin")) + " | " + times(ratio.get("jvmUptime")) + " | "
					+ times(ratio.get("cpu")) + " | " + times(ratio.get("mainThreadCpu")) + " |");
		});
		Map<String, Object> split = mapOrEmpty(doc.get("split"));
		if (split.isEmpty()) {
			return;
		}
		line("");
		line("Where the time went: self time of each `BufferingApplicationStartup` step (its time less its "
				+ "children's), by the bean it creates; median of " + doc.get("profileRuns") + " recorded starts per "
				+ "app, ms (medians do not add up to the median run exactly). Wall-clock:");
		startupSplit(split, "partsMillis", mapOrEmpty(doc.get("splitDifferences")), "runMillis");
		line("");
		line("The same, in CPU time of the thread that ran each step (other work on the machine hardly moves it; "
				+ "\"outside any step\" is the rest of the main thread's CPU time in run()):");
		startupSplit(split, "partsCpuMillis", mapOrEmpty(doc.get("splitCpuDifferences")), "runMainThreadCpuMillis");
		line("");
		split.forEach((app, value) -> {
			if (map(value).get("beforeMillis") instanceof Map<?, ?> before) {
				String pair = "jpa-starter - " + app;
				Map<String, Object> wall = mapOrEmpty(mapOrEmpty(doc.get("splitDifferences")).get(pair));
				Map<String, Object> cpu = mapOrEmpty(mapOrEmpty(doc.get("splitCpuDifferences")).get(pair));
				String client = StartupSplit.Part.COMETCHAT_CLIENT.label();
				line("- " + map(value).get("description") + ": that took " + fmt(map(before).get("median"))
						+ " ms (median); the CometChat client part is " + fmt(wall.get(client)) + " ms smaller ("
						+ fmt(cpu.get(client)) + " ms CPU), run() " + fmt(wall.get("run")) + " ms shorter.");
			}
		});
		Map<String, Object> goal = mapOrEmpty(split.get("jpa-starter"));
		if (goal.get("slowestBeans") instanceof List<?> beans) {
			line("");
			line("Slowest beans of the JPA app with the starter, by self CPU time (ms, median; min–max):");
			line("");
			line("| bean | part | self CPU ms | self wall-clock ms |");
			line("|---|---|---|---|");
			beans.stream().limit(15).forEach((value) -> {
				Map<String, Object> bean = map(value);
				line("| `" + bean.get("bean") + "` | " + bean.get("part") + " | " + spread(bean.get("selfCpuMillis"))
						+ " | " + spread(bean.get("selfMillis")) + " |");
			});
		}
	}

	/**
	 * One table of where the time of the recorded starts went, by part, with the differences between applications.
	 */
	private void startupSplit(Map<String, Object> split, String key, Map<String, Object> differences,
			String total) {
		List<String> shown = List.of("jpa-starter - jpa", "starter - plain", "starter-memory - plain");
		// The beans' parts in their order, then the other steps as the goal app has them (slowest first)
		List<String> parts = new java.util.ArrayList<>();
		for (StartupSplit.Part part : StartupSplit.Part.values()) {
			if (split.values().stream().anyMatch((app) -> partsOf(app, key).containsKey(part.label()))) {
				parts.add(part.label());
			}
		}
		Stream.concat(Stream.ofNullable(split.get("jpa-starter")), split.values().stream())
			.forEach((app) -> partsOf(app, key).keySet().forEach((part) -> {
				if (!parts.contains(part) && !part.equals(StartupSplit.OUTSIDE)) {
					parts.add(part);
				}
			}));
		parts.add(StartupSplit.OUTSIDE);
		line("");
		StringBuilder header = new StringBuilder("| part |");
		StringBuilder rule = new StringBuilder("|---|");
		split.keySet().forEach((app) -> {
			header.append(' ').append(app).append(" |");
			rule.append("---|");
		});
		shown.stream().filter(differences::containsKey).forEach((difference) -> {
			header.append(' ').append(difference.replace(" - ", " − ")).append(" |");
			rule.append("---|");
		});
		line(header.toString());
		line(rule.toString());
		for (String part : parts) {
			StringBuilder row = new StringBuilder("| " + part + " |");
			split.values()
				.forEach((app) -> row.append(' ')
					.append(fmt(mapOrEmpty(partsOf(app, key).get(part)).getOrDefault("median", 0.0)))
					.append(" |"));
			shown.stream()
				.filter(differences::containsKey)
				.forEach((difference) -> row.append(' ')
					.append(fmt(map(differences.get(difference)).getOrDefault(part, 0.0)))
					.append(" |"));
			line(row.toString());
		}
		StringBuilder sum = new StringBuilder("| **run() with recording** |");
		split.values()
			.forEach((value) -> sum.append(" **")
				.append(fmt(mapOrEmpty(map(value).get(total)).get("median")))
				.append("** |"));
		shown.stream()
			.filter(differences::containsKey)
			.forEach((difference) -> sum.append(" **")
				.append(fmt(map(differences.get(difference)).get("run")))
				.append("** |"));
		line(sum.toString());
	}

	private static Map<String, Object> partsOf(Object app, String key) {
		return mapOrEmpty(map(app).get(key));
	}

	private void heading(String title, Map<String, Object> doc) {
		Map<String, Object> machine = map(doc.get("machine"));
		line("");
		line("## " + title);
		line("");
		line("Run " + machine.get("date") + ", `" + machine.get("command") + "`.");
		line("");
	}

	/**
	 * Milliseconds as people read them: whole above 100, one decimal below, a dash for none.
	 */
	private static String fmt(Object value) {
		double number = number(value);
		if (Double.isNaN(number)) {
			return "–";
		}
		return (Math.abs(number) >= 100) ? String.valueOf(Math.round(number)) : String.format("%.1f", number);
	}

	private static String times(Object ratio) {
		return (ratio != null) ? ratio + "×" : "–";
	}

	private static String notBack(Object count) {
		return (count != null && number(count) > 0) ? " (" + count + " not back in 70 s)" : "";
	}

	private static String ratio(double value, double base) {
		return (Double.isNaN(value) || Double.isNaN(base) || base == 0) ? "–"
				: String.format("%.2f×", value / base);
	}

	private void line(String text) {
		this.md.append(text).append('\n');
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	private static Map<String, Object> mapOrEmpty(Object value) {
		return (value instanceof Map) ? map(value) : Map.of();
	}

	private static double number(Object value) {
		return (value instanceof Number n) ? n.doubleValue() : Double.NaN;
	}

}
