package com.cometchat.spring.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figure 6: the same Boot application with and without the starter, each started in a fresh JVM, alternately; the
 * time {@code SpringApplication.run()} took and the JVM's uptime when it returned.
 *
 * @author CometChat
 */
public final class StartupBenchmark {

	private static final Pattern LINE = Pattern
		.compile("STARTUP runMillis=([0-9.]+) uptimeMillis=([0-9]+) beans=([0-9]+)");

	private final Results results;

	private final int runs;

	public StartupBenchmark(Results results, int runs) {
		this.results = results;
		this.runs = runs;
	}

	public void run() throws Exception {
		Map<String, String> classpaths = new LinkedHashMap<>();
		classpaths.put("without the starter", System.getProperty("bench.startup.plain.cp"));
		classpaths.put("with the starter", System.getProperty("bench.startup.starter.cp"));
		Map<String, List<Double>> run = new LinkedHashMap<>();
		Map<String, List<Double>> uptime = new LinkedHashMap<>();
		Map<String, Integer> beans = new LinkedHashMap<>();
		List<List<Object>> rows = new ArrayList<>();
		for (int i = 0; i <= this.runs; i++) {
			for (Map.Entry<String, String> app : classpaths.entrySet()) {
				double[] measured = start(app.getValue());
				if (i == 0) {
					continue; // warm-up: file cache
				}
				run.computeIfAbsent(app.getKey(), (key) -> new ArrayList<>()).add(measured[0]);
				uptime.computeIfAbsent(app.getKey(), (key) -> new ArrayList<>()).add(measured[1]);
				beans.put(app.getKey(), (int) measured[2]);
				rows.add(List.of(i, RecoveryBenchmark.quote(app.getKey()), Stats.round(measured[0]), measured[1]));
			}
		}
		Map<String, Object> apps = new LinkedHashMap<>();
		for (String app : classpaths.keySet()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("runMillis", Stats.of(run.get(app)).toMap());
			entry.put("jvmUptimeMillis", Stats.of(uptime.get(app)).toMap());
			entry.put("beanDefinitions", beans.get(app));
			apps.put(app, entry);
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "6 start-up: SpringApplication.run() of the same app with and without the starter");
		document.put("runs", this.runs);
		document.put("apps", apps);
		document.put("ratioRunMedian", Stats.round(Stats.of(run.get("with the starter")).median()
				/ Stats.of(run.get("without the starter")).median()));
		document.put("ratioUptimeMedian", Stats.round(Stats.of(uptime.get("with the starter")).median()
				/ Stats.of(uptime.get("without the starter")).median()));
		System.out.println("start-up: " + document.get("ratioRunMedian") + "x (run), "
				+ document.get("ratioUptimeMedian") + "x (JVM uptime)");
		this.results.json("startup", document);
		this.results.csv("startup", List.of("run", "app", "runMillis", "jvmUptimeMillis"), rows);
	}

	private static double[] start(String classpath) throws Exception {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				classpath, "com.cometchat.spring.benchmarks.startup.StartupApp", "--spring.main.banner-mode=off",
				"--logging.level.root=warn", "--cometchat.url=ws://127.0.0.1:9/ws");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		double[] measured = null;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.append(line).append('\n');
				Matcher matcher = LINE.matcher(line);
				if (matcher.find()) {
					measured = new double[] { Double.parseDouble(matcher.group(1)),
							Double.parseDouble(matcher.group(2)), Double.parseDouble(matcher.group(3)) };
				}
			}
		}
		process.waitFor();
		if (measured == null) {
			throw new IllegalStateException("The app did not report its start-up:\n" + output);
		}
		return measured;
	}

}
