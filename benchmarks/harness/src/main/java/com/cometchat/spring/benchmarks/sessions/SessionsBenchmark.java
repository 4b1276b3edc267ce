package com.cometchat.spring.benchmarks.sessions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.benchmarks.Results;

/**
 * Figure 5: forks one client JVM ({@link SessionsMain}) per WebSocket client and mode; each forks its own broker.
 * The runs are named {@code <mode>-<websocket>}, for example {@code ours-jetty} or {@code manager-jetty}.
 *
 * @author CometChat
 */
public final class SessionsBenchmark {

	private final Results results;

	private final String counts;

	private final int rawCount;

	private final int concurrency;

	private final List<String> runs;

	private final String store;

	private final String restoreConcurrencies;

	/**
	 * Create the figure.
	 * @param results where the results go
	 * @param counts the session counts ours and the manager grow to, e.g. {@code 1000,5000,10000}
	 * @param rawCount the sessions of raw
	 * @param concurrency logins in flight
	 * @param runs which runs, in order, e.g. {@code ours-tomcat,raw-tomcat,ours-jetty,raw-jetty,manager-jetty}
	 * @param store the manager's session store, {@code jpa} (H2 in memory) or {@code memory}
	 * @param restoreConcurrencies the manager's restore concurrency for each restart from the database, e.g.
	 * {@code 64,256}
	 */
	public SessionsBenchmark(Results results, String counts, int rawCount, int concurrency, List<String> runs,
			String store, String restoreConcurrencies) {
		this.results = results;
		this.counts = counts;
		this.rawCount = rawCount;
		this.concurrency = concurrency;
		this.runs = runs;
		this.store = store;
		this.restoreConcurrencies = restoreConcurrencies;
	}

	public void run() throws Exception {
		List<Map<String, Object>> runs = new ArrayList<>();
		for (String run : this.runs) {
			String[] parts = run.trim().split("-");
			String mode = parts[0];
			runs.add(fork(mode, parts[1], mode.equals("raw") ? String.valueOf(this.rawCount) : this.counts));
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "5 sessions per JVM: Artemis in its own JVM, heart-beats 10 s/10 s, one subscription "
				+ "per session; ours = clients from the builder sharing scheduler, pools and transport; manager = "
				+ "users logged in through DefaultCometChatConnectionManager on the resources it creates, with "
				+ "restarts from the database");
		document.put("runs", runs);
		this.results.json("sessions", document);
	}

	private Map<String, Object> fork(String mode, String webSocket, String counts) throws Exception {
		Path output = this.results.directory().resolve("sessions-" + mode + "-" + webSocket + ".tmp.json");
		Files.deleteIfExists(output);
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g",
				"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
				SessionsMain.class.getName(), mode, webSocket, counts, output.toString(),
				String.valueOf(this.concurrency), this.store, this.restoreConcurrencies);
		Path log = this.results.logs().resolve("sessions-" + mode + "-" + webSocket + ".log");
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		if (!process.waitFor(20, TimeUnit.MINUTES)) {
			process.destroyForcibly().waitFor();
		}
		Files.readAllLines(log).stream().filter((line) -> line.startsWith("sessions ")).forEach(System.out::println);
		if (!Files.exists(output)) {
			Map<String, Object> failed = new LinkedHashMap<>();
			failed.put("mode", mode);
			failed.put("webSocketClient", webSocket);
			failed.put("error", "no result, see " + log + " (exit " + process.exitValue() + ")");
			return failed;
		}
		Map<String, Object> result = Results.read(output);
		Files.delete(output);
		return result;
	}

}
