package com.cometchat.spring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes raw results (JSON and CSV) under the results directory, with the machine they were measured on.
 *
 * @author CometChat
 */
public final class Results {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final Path directory;

	public Results(Path directory) {
		this.directory = directory;
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Path directory() {
		return this.directory;
	}

	public Path logs() {
		return this.directory.resolve("logs");
	}

	public static Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("memoryGiB", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024)));
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		machine.put("date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
		machine.put("command", System.getProperty("bench.command", "benchmarks/run.sh"));
		return machine;
	}

	public void json(String name, Map<String, Object> result) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("machine", machine());
		document.putAll(result);
		write(name + ".json", JSON.writeValueAsString(document));
	}

	public static Map<String, Object> read(Path file) {
		@SuppressWarnings("unchecked")
		Map<String, Object> map = JSON.readValue(file.toFile(), Map.class);
		return map;
	}

	public void csv(String name, List<String> header, List<List<Object>> rows) {
		StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
		for (List<Object> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				csv.append((i > 0) ? "," : "").append(row.get(i));
			}
			csv.append('\n');
		}
		write(name + ".csv", csv.toString());
	}

	public void write(String file, String content) {
		try {
			Files.writeString(this.directory.resolve(file), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static double millisBetween(java.time.Instant from, java.time.Instant to) {
		return ChronoUnit.MICROS.between(from, to) / 1000.0;
	}

}
