package com.cometchat.spring.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

import com.cometchat.spring.benchmarks.StartupSplit.Bean;
import com.cometchat.spring.benchmarks.StartupSplit.Part;
import com.cometchat.spring.benchmarks.StartupSplit.Step;

/**
 * Figure 6: the same Boot application bare, with JPA and an entity of its own, and each with the starter, every start
 * in a fresh JVM, the applications taking turns; the time {@code SpringApplication.run()} took, the JVM's uptime and
 * the process's CPU time when it returned. Then, in separate starts so that the timed ones carry no recording, each
 * application again with a {@code BufferingApplicationStartup}, split by {@link StartupSplit}; and the application with
 * JPA and the starter once more with the WebSocket client made before it starts, to tell the WebSocket client's part
 * of the client bean.
 *
 * @author CometChat
 */
public final class StartupBenchmark {

	private static final Pattern LINE = Pattern
		.compile("STARTUP runMillis=([0-9.]+) uptimeMillis=([0-9]+) beans=([0-9]+) cpuMillis=([0-9.]+) "
				+ "mainCpuMillis=([0-9.]+)");

	private static final Pattern BEFORE = Pattern.compile("BEFORE millis=([0-9.]+)");

	/** The application of the goal: the JPA application with the starter. */
	private static final String GOAL_APP = "jpa-starter";

	/**
	 * Recorded only: the goal application with part of the client's work done before {@code run()}, by a
	 * {@code Runnable} of {@code startup-jpa-starter}: {id suffix, what is done first, the class}.
	 */
	private static final List<List<String>> DONE_FIRST = List.of(
			List.of("-websocket-first", "the WebSocket client made (and stopped) before run()",
					"com.cometchat.spring.benchmarks.startup.WebSocketClientFirst"),
			List.of("-json-first", "a Jackson JsonMapper built and used before run()",
					"com.cometchat.spring.benchmarks.startup.JsonMapperFirst"));

	/** The start-up ratios reported: {with, without}. */
	private static final List<List<String>> RATIOS = List.of(List.of("jpa-starter", "jpa"),
			List.of("jpa-starter-jdbc", "jpa"),
			List.of("starter", "plain"), List.of("jpa-starter", "plain"), List.of("jpa", "plain"),
			List.of("starter-memory", "plain"));

	private static final int TOP_BEANS = 25;

	private final Results results;

	private final int runs;

	private final int profileRuns;

	/**
	 * Create the figure.
	 * @param results where to write
	 * @param runs timed starts of each application, after one discarded warm-up
	 * @param profileRuns recorded starts of each application
	 */
	public StartupBenchmark(Results results, int runs, int profileRuns) {
		this.results = results;
		this.runs = runs;
		this.profileRuns = profileRuns;
	}

	/**
	 * The applications whose class path the script passed ({@code -Dbench.startup.<id>.cp}).
	 */
	private static List<App> apps() {
		List<App> apps = new ArrayList<>();
		app(apps, "plain", "bare Boot app (spring-boot-starter)", List.of());
		app(apps, "starter", "bare Boot app + the starter (which brings JPA, H2, Jetty's client)", List.of());
		app(apps, "starter-memory", "bare Boot app + the starter without JPA and H2 (memory store)",
				List.of("--cometchat.session.store=memory"));
		app(apps, "jpa", "app with Spring Data JPA + H2 and an entity of its own", List.of());
		app(apps, GOAL_APP, "the same JPA app + the starter", List.of());
		app(apps, GOAL_APP + "-jdbc", "the same JPA app + the starter with the JDBC session store", GOAL_APP,
				List.of("--cometchat.session.store=jdbc"));
		return apps;
	}

	private static void app(List<App> apps, String id, String description, List<String> args) {
		app(apps, id, description, id, args);
	}

	private static void app(List<App> apps, String id, String description, String build, List<String> args) {
		String classpath = System.getProperty("bench.startup." + build + ".cp");
		if (classpath != null) {
			apps.add(new App(id, description, classpath, args, null));
		}
	}

	public void run() throws Exception {
		List<App> apps = apps();
		Map<String, List<Start>> timed = new LinkedHashMap<>();
		List<List<Object>> rows = new ArrayList<>();
		for (int i = 0; i <= this.runs; i++) {
			for (App app : apps) {
				Start start = start(app, false);
				if (i == 0) {
					continue; // warm-up: file cache
				}
				timed.computeIfAbsent(app.id(), (key) -> new ArrayList<>()).add(start);
				rows.add(List.of(i, RecoveryBenchmark.quote(app.id()), Stats.round(start.runMillis()),
						start.uptimeMillis(), Stats.round(start.cpuMillis()), Stats.round(start.mainCpuMillis()),
						start.beanDefinitions(), Stats.round(start.loadAverage())));
			}
		}
		List<App> profiled = new ArrayList<>(apps);
		apps.stream()
			.filter((app) -> app.id().equals(GOAL_APP))
			.findFirst()
			.ifPresent((goal) -> DONE_FIRST.forEach((first) -> profiled.add(new App(GOAL_APP + first.get(0),
					goal.description() + ", " + first.get(1), goal.classpath(), goal.args(), first.get(2)))));
		Map<String, List<Start>> recorded = new LinkedHashMap<>();
		List<List<Object>> splitRows = new ArrayList<>();
		List<List<Object>> beanRows = new ArrayList<>();
		for (int i = 1; i <= this.profileRuns; i++) {
			for (App app : profiled) {
				Start start = start(app, true);
				recorded.computeIfAbsent(app.id(), (key) -> new ArrayList<>()).add(start);
				for (Map.Entry<String, Double> part : start.split().parts().entrySet()) {
					splitRows.add(List.of(i, RecoveryBenchmark.quote(app.id()),
							RecoveryBenchmark.quote(part.getKey()), Stats.round(part.getValue()),
							Stats.round(start.cpuSplit().parts().getOrDefault(part.getKey(), 0.0))));
				}
				for (Map.Entry<String, Double> bean : start.split().beans().entrySet()) {
					double cpu = start.cpuSplit().beans().getOrDefault(bean.getKey(), 0.0);
					if (bean.getValue() >= 1 || cpu >= 1) {
						beanRows.add(List.of(i, RecoveryBenchmark.quote(app.id()),
								RecoveryBenchmark.quote(bean.getKey()),
								RecoveryBenchmark.quote(partOf(start, bean.getKey()).label()),
								Stats.round(bean.getValue()), Stats.round(cpu)));
					}
				}
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "6 start-up: SpringApplication.run() of the same app bare, with JPA, and each with "
				+ "the starter; then where the time went (BufferingApplicationStartup, self time of each step)");
		document.put("runs", this.runs);
		document.put("profileRuns", this.profileRuns);
		Map<String, Object> timedApps = new LinkedHashMap<>();
		for (App app : apps) {
			timedApps.put(app.id(), timed(app, timed.get(app.id())));
		}
		document.put("apps", timedApps);
		// Other work on the machine stretches wall-clock times far more than CPU times
		document.put("loadAverage1m", Stats.of(timed.values()
			.stream()
			.flatMap(List::stream)
			.map(Start::loadAverage)
			.toList()).toMap());
		document.put("ratios", ratios(timed));
		Map<String, Object> profiles = new LinkedHashMap<>();
		for (App app : profiled) {
			profiles.put(app.id(), profile(app, recorded.get(app.id())));
		}
		document.put("split", profiles);
		document.put("splitDifferences", differences(recorded, Start::split, Start::runMillis));
		document.put("splitCpuDifferences", differences(recorded, Start::cpuSplit, Start::runCpuMillis));
		this.results.json("startup", document);
		this.results.csv("startup", List.of("run", "app", "runMillis", "jvmUptimeMillis", "cpuMillis", "mainCpuMillis",
				"beans", "loadAverage1m"), rows);
		this.results.csv("startup-split", List.of("run", "app", "part", "millis", "cpuMillis"), splitRows);
		this.results.csv("startup-beans", List.of("run", "app", "bean", "part", "selfMillis", "selfCpuMillis"),
				beanRows);
	}

	private static Map<String, Object> timed(App app, List<Start> starts) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("description", app.description());
		entry.put("runMillis", stats(starts, Start::runMillis).toMap());
		entry.put("jvmUptimeMillis", stats(starts, (start) -> (double) start.uptimeMillis()).toMap());
		entry.put("cpuMillis", stats(starts, Start::cpuMillis).toMap());
		entry.put("mainThreadCpuMillis", stats(starts, Start::mainCpuMillis).toMap());
		entry.put("beanDefinitions", starts.get(starts.size() - 1).beanDefinitions());
		return entry;
	}

	private static Map<String, Object> ratios(Map<String, List<Start>> timed) {
		Map<String, Object> ratios = new LinkedHashMap<>();
		for (List<String> pair : RATIOS) {
			List<Start> with = timed.get(pair.get(0));
			List<Start> without = timed.get(pair.get(1));
			if (with == null || without == null) {
				continue;
			}
			Map<String, Object> ratio = new LinkedHashMap<>();
			double run = stats(with, Start::runMillis).median();
			double baseRun = stats(without, Start::runMillis).median();
			ratio.put("run", Stats.round(run / baseRun));
			ratio.put("runExtraMillis", Stats.round(run - baseRun));
			// The fastest starts are the least disturbed by other work on the machine
			ratio.put("runMin",
					Stats.round(stats(with, Start::runMillis).min() / stats(without, Start::runMillis).min()));
			ratio.put("jvmUptime", Stats.round(stats(with, (start) -> (double) start.uptimeMillis()).median()
					/ stats(without, (start) -> (double) start.uptimeMillis()).median()));
			ratio.put("cpu", Stats.round(stats(with, Start::cpuMillis).median()
					/ stats(without, Start::cpuMillis).median()));
			ratio.put("mainThreadCpu", Stats.round(stats(with, Start::mainCpuMillis).median()
					/ stats(without, Start::mainCpuMillis).median()));
			ratios.put(pair.get(0) + " / " + pair.get(1), ratio);
			System.out.println("start-up " + pair.get(0) + " / " + pair.get(1) + ": " + ratio);
		}
		return ratios;
	}

	private static Map<String, Object> profile(App app, List<Start> starts) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("description", app.description());
		entry.put("runMillis", stats(starts, Start::runMillis).toMap());
		entry.put("runMainThreadCpuMillis", stats(starts, Start::runCpuMillis).toMap());
		if (app.before() != null) {
			entry.put("beforeMillis", stats(starts, Start::beforeMillis).toMap());
		}
		entry.put("partsMillis", parts(starts, Start::split));
		entry.put("partsCpuMillis", parts(starts, Start::cpuSplit));
		List<Map<String, Object>> beans = new ArrayList<>();
		List<Map<String, Object>> ours = new ArrayList<>();
		for (String bean : starts.get(0).split().beans().keySet()) {
			Bean info = starts.get(0).beans().getOrDefault(bean, new Bean(bean, "", ""));
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("bean", bean);
			row.put("part", StartupSplit.part(info).label());
			row.put("type", info.type());
			row.put("selfMillis", stats(starts, (start) -> start.split().beans().getOrDefault(bean, 0.0)).toMap());
			row.put("selfCpuMillis",
					stats(starts, (start) -> start.cpuSplit().beans().getOrDefault(bean, 0.0)).toMap());
			beans.add(row);
			if (StartupSplit.part(info).name().startsWith("COMETCHAT")) {
				ours.add(row);
			}
		}
		// By CPU time: other work on the machine stretches the wall-clock times unevenly
		Comparator<Map<String, Object>> slowestFirst = Comparator
			.comparingDouble((Map<String, Object> row) -> median(row.get("selfCpuMillis")))
			.reversed();
		beans.sort(slowestFirst);
		ours.sort(slowestFirst);
		entry.put("slowestBeans", beans.subList(0, Math.min(TOP_BEANS, beans.size())));
		entry.put("cometChatBeans", ours);
		Map<String, Object> threads = new LinkedHashMap<>();
		starts.get(0).threadCpuMillis().keySet().forEach((thread) -> threads.put(thread,
				Stats.round(stats(starts, (start) -> start.threadCpuMillis().getOrDefault(thread, 0.0)).median())));
		entry.put("threadCpuMillisMedian", threads);
		return entry;
	}

	private static Map<String, Object> parts(List<Start> starts, Function<Start, StartupSplit> split) {
		Map<String, Object> parts = new LinkedHashMap<>();
		for (String part : partsInOrder(starts, split)) {
			parts.put(part, stats(starts, (start) -> split.apply(start).parts().getOrDefault(part, 0.0)).toMap());
		}
		return parts;
	}

	/**
	 * The bean parts in their order, then the steps outside beans, slowest first, then the time outside any step.
	 */
	private static List<String> partsInOrder(List<Start> starts, Function<Start, StartupSplit> split) {
		List<String> order = new ArrayList<>();
		for (Part part : Part.values()) {
			if (starts.stream().anyMatch((start) -> split.apply(start).parts().containsKey(part.label()))) {
				order.add(part.label());
			}
		}
		List<String> steps = new ArrayList<>();
		starts.forEach((start) -> split.apply(start).parts().keySet().forEach((part) -> {
			if (!order.contains(part) && !steps.contains(part) && !part.equals(StartupSplit.OUTSIDE)) {
				steps.add(part);
			}
		}));
		steps.sort(Comparator.comparingDouble(
				(String part) -> stats(starts, (start) -> split.apply(start).parts().getOrDefault(part, 0.0)).median())
			.reversed());
		order.addAll(steps);
		order.add(StartupSplit.OUTSIDE);
		return order;
	}

	/**
	 * What an application's parts add to another's, medians of each less medians of the other's, for the pairs of
	 * {@link #RATIOS} and the goal application less each of its {@link #DONE_FIRST} variants.
	 */
	private static Map<String, Object> differences(Map<String, List<Start>> recorded,
			Function<Start, StartupSplit> split, ToDoubleFunction<Start> total) {
		List<List<String>> pairs = new ArrayList<>(RATIOS);
		DONE_FIRST.forEach((first) -> pairs.add(List.of(GOAL_APP, GOAL_APP + first.get(0))));
		Map<String, Object> differences = new LinkedHashMap<>();
		for (List<String> pair : pairs) {
			List<Start> with = recorded.get(pair.get(0));
			List<Start> without = recorded.get(pair.get(1));
			if (with == null || without == null) {
				continue;
			}
			List<Start> both = new ArrayList<>(with);
			both.addAll(without);
			Map<String, Object> difference = new LinkedHashMap<>();
			for (String part : partsInOrder(both, split)) {
				difference.put(part,
						Stats.round(stats(with, (start) -> split.apply(start).parts().getOrDefault(part, 0.0)).median()
								- stats(without, (start) -> split.apply(start).parts().getOrDefault(part, 0.0))
									.median()));
			}
			difference.put("run", Stats.round(stats(with, total).median() - stats(without, total).median()));
			differences.put(pair.get(0) + " - " + pair.get(1), difference);
		}
		return differences;
	}

	private static Part partOf(Start start, String bean) {
		return StartupSplit.part(start.beans().getOrDefault(bean, new Bean(bean, "", "")));
	}

	private static Stats stats(List<Start> starts, ToDoubleFunction<Start> value) {
		return Stats.of(starts.stream().map(value::applyAsDouble).toList());
	}

	@SuppressWarnings("unchecked")
	private static double median(Object stats) {
		return ((Number) ((Map<String, Object>) stats).get("median")).doubleValue();
	}

	private static Start start(App app, boolean profile) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", app.classpath()));
		if (profile) {
			command.add("-Dbench.startup.profile=true");
		}
		if (app.before() != null) {
			command.add("-Dbench.startup.before=" + app.before());
		}
		command.addAll(List.of("com.cometchat.spring.benchmarks.startup.StartupApp", "--spring.main.banner-mode=off",
				"--logging.level.root=warn", "--cometchat.url=ws://127.0.0.1:9/ws"));
		command.addAll(app.args());
		double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		double[] measured = null;
		double beforeMillis = Double.NaN;
		double runCpuMillis = Double.NaN;
		List<Step> steps = new ArrayList<>();
		Map<String, Bean> beans = new LinkedHashMap<>();
		Map<String, Double> threadCpu = new LinkedHashMap<>();
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				String[] fields = line.split("\t", -1);
				switch (fields[0]) {
					case "STEP" -> steps.add(new Step(Long.parseLong(fields[1]), Long.parseLong(fields[2]), fields[3],
							Long.parseLong(fields[4]) / 1e6, fields[5].isEmpty() ? null : fields[5],
							(Long.parseLong(fields[7]) >= 0) ? Long.parseLong(fields[7]) / 1e6 : Double.NaN));
					case "RUNCPU" -> runCpuMillis = Long.parseLong(fields[1]) / 1e6;
					case "BEAN" -> beans.put(fields[1], new Bean(fields[1], fields[2], fields[3]));
					case "CPU" -> threadCpu.put(fields[1], Long.parseLong(fields[2]) / 1e6);
					default -> {
						output.append(line).append('\n');
						Matcher matcher = LINE.matcher(line);
						if (matcher.find()) {
							measured = new double[] { Double.parseDouble(matcher.group(1)),
									Double.parseDouble(matcher.group(2)), Double.parseDouble(matcher.group(3)),
									Double.parseDouble(matcher.group(4)), Double.parseDouble(matcher.group(5)) };
						}
						Matcher before = BEFORE.matcher(line);
						if (before.find()) {
							beforeMillis = Double.parseDouble(before.group(1));
						}
					}
				}
			}
		}
		process.waitFor();
		if (measured == null) {
			throw new IllegalStateException("The app " + app.id() + " did not report its start-up:\n" + output);
		}
		StartupSplit split = profile ? StartupSplit.of(steps, beans, measured[0]) : null;
		StartupSplit cpuSplit = profile ? StartupSplit.of(steps, beans, runCpuMillis, Step::cpuMillis) : null;
		return new Start(measured[0], (long) measured[1], (int) measured[2], measured[3], measured[4], beforeMillis,
				runCpuMillis, split, cpuSplit, beans, threadCpu, loadAverage);
	}

	/**
	 * An application of the figure.
	 *
	 * @param id short name, as in the results
	 * @param description what it is
	 * @param classpath its class path
	 * @param args its arguments besides the common ones
	 * @param before a {@link Runnable} to run before {@code run()}, or {@code null}
	 */
	private record App(String id, String description, String classpath, List<String> args, String before) {

	}

	/**
	 * What one start reported (CPU times: of the process and of the main thread since the JVM started, of the main
	 * thread in {@code run()} when recorded), and the machine's load average (1 minute) when it began.
	 */
	private record Start(double runMillis, long uptimeMillis, int beanDefinitions, double cpuMillis,
			double mainCpuMillis, double beforeMillis, double runCpuMillis, StartupSplit split, StartupSplit cpuSplit,
			Map<String, Bean> beans, Map<String, Double> threadCpuMillis, double loadAverage) {

	}

}
