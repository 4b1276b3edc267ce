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
 *
 * @author CometChat
 */
public final class SessionsBenchmark {

	private final Results results;

	private final String counts;

	private final int rawCount;

	private final int concurrency;

	public SessionsBenchmark(Results results, String counts, int rawCount, int concurrency) {
		this.results = results;
		this.counts = counts;
		this.rawCount = rawCount;
		this.concurrency = concurrency;
	}

	public void run() throws Exception {
		List<Map<String, Object>> runs = new ArrayList<>();
		for (String webSocket : List.of("tomcat", "jetty")) {
			runs.add(fork("ours", webSocket, this.counts));
			if (this.rawCount > 0) {
				runs.add(fork("raw", webSocket, String.valueOf(this.rawCount)));
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "5 sessions per JVM: Artemis in its own JVM, heart-beats 10 s/10 s, one subscription "
				+ "per session; ours = clients from the builder sharing scheduler, pools and transport");
		document.put("runs", runs);
		this.results.json("sessions", document);
	}

	private Map<String, Object> fork(String mode, String webSocket, String counts) throws Exception {
		Path output = this.results.directory().resolve("sessions-" + mode + "-" + webSocket + ".tmp.json");
		Files.deleteIfExists(output);
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g",
				"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
				SessionsMain.class.getName(), mode, webSocket, counts, output.toString(),
				String.valueOf(this.concurrency));
		Path log = this.results.logs().resolve("sessions-" + mode + "-" + webSocket + ".log");
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		if (!process.waitFor(12, TimeUnit.MINUTES)) {
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
