package com.cometchat.spring.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import com.cometchat.spring.benchmarks.broker.RabbitMqBroker;
import com.cometchat.spring.benchmarks.broker.RecoveryBroker;
import com.cometchat.spring.benchmarks.probe.OursProbe;
import com.cometchat.spring.benchmarks.probe.Probe;
import com.cometchat.spring.benchmarks.probe.RawTutorialProbe;
import com.cometchat.spring.benchmarks.probe.SpringIntegrationProbe;

/**
 * Figure 1: the broker (Artemis, own JVM) goes down for 1 s, 5 s and 30 s; time from the broker accepting again to
 * each client being CONNECTED with its subscription restored. All clients live through the same outages.
 *
 * @author CometChat
 */
public final class RecoveryBenchmark {

	static final String[] KINDS = { "ours (defaults)", "raw WebSocketStompClient + tutorial 5 s loop",
			"Spring Integration (default 10 s)", "Spring Integration (tuned 1 s)" };

	private final Results results;

	private final int oursInstances;

	private final Map<Integer, Integer> runsPerOutage;

	/** Outages of random length, in ms, measured as one figure ("random"); empty for the fixed lengths. */
	private final List<Long> randomOutages;

	private final boolean rabbitMq;

	/**
	 * Recovery against Artemis in a JVM of its own.
	 * @param results where to write
	 * @param oursInstances how many of our clients
	 * @param runsPerOutage runs per outage length in seconds
	 */
	public RecoveryBenchmark(Results results, int oursInstances, Map<Integer, Integer> runsPerOutage) {
		this(results, oursInstances, runsPerOutage, false);
	}

	/**
	 * Recovery against Artemis, or against the machine's RabbitMQ (Web-STOMP).
	 * @param results where to write
	 * @param oursInstances how many of our clients
	 * @param runsPerOutage runs per outage length in seconds
	 * @param rabbitMq whether to use RabbitMQ
	 */
	public RecoveryBenchmark(Results results, int oursInstances, Map<Integer, Integer> runsPerOutage,
			boolean rabbitMq) {
		this(results, oursInstances, runsPerOutage, List.of(), rabbitMq);
	}

	private RecoveryBenchmark(Results results, int oursInstances, Map<Integer, Integer> runsPerOutage,
			List<Long> randomOutages, boolean rabbitMq) {
		this.results = results;
		this.oursInstances = oursInstances;
		this.runsPerOutage = runsPerOutage;
		this.randomOutages = randomOutages;
		this.rabbitMq = rabbitMq;
	}

	/**
	 * Outages of random length, uniform between the bounds, from a seed (Artemis).
	 * @param results where results go
	 * @param oursInstances how many of our clients live through each outage
	 * @param outages how many outages
	 * @param minMillis the shortest outage
	 * @param maxMillis the longest outage
	 * @param seed the seed of the lengths
	 * @return the benchmark
	 */
	public static RecoveryBenchmark randomOutages(Results results, int oursInstances, int outages, long minMillis,
			long maxMillis, long seed) {
		java.util.Random random = new java.util.Random(seed);
		List<Long> lengths = new ArrayList<>();
		for (int i = 0; i < outages; i++) {
			lengths.add(minMillis + (long) (random.nextDouble() * (maxMillis - minMillis)));
		}
		return new RecoveryBenchmark(results, oursInstances, Map.of(), List.copyOf(lengths), false);
	}

	private RecoveryBroker broker() {
		if (!this.rabbitMq) {
			return BrokerProcess.fork("1g", this.results.logs().resolve("broker-recovery.log"));
		}
		List<String> users = new ArrayList<>(List.of("rec-raw", "rec-si-default", "rec-si-tuned"));
		for (int i = 0; i < this.oursInstances; i++) {
			users.add("rec-ours-" + i);
		}
		return new RabbitMqBroker(users);
	}

	private String name() {
		return this.rabbitMq ? "recovery-rabbitmq" : this.randomOutages.isEmpty() ? "recovery" : "recovery-random";
	}

	/**
	 * The outages to run, grouped by figure: a fixed length in seconds per group, or one group of random lengths.
	 */
	private Map<String, List<Long>> outages() {
		Map<String, List<Long>> outages = new LinkedHashMap<>();
		if (!this.randomOutages.isEmpty()) {
			outages.put("random", this.randomOutages);
		}
		this.runsPerOutage.forEach((seconds, runs) -> outages.put(seconds + "s",
				java.util.Collections.nCopies(runs, seconds * 1000L)));
		return outages;
	}

	public void run() throws Exception {
		List<List<Object>> rows = new ArrayList<>();
		Map<String, Object> figures = new LinkedHashMap<>();
		try (RecoveryBroker broker = broker()) {
			String url = broker.url();
			List<Probe> probes = new ArrayList<>();
			for (int i = 0; i < this.oursInstances; i++) {
				probes.add(new OursProbe(KINDS[0], url, "rec-ours-" + i, null));
			}
			probes.add(new RawTutorialProbe(KINDS[1], url, "rec-raw", Duration.ofSeconds(5)));
			probes.add(new SpringIntegrationProbe(KINDS[2], url, "rec-si-default", null));
			probes.add(new SpringIntegrationProbe(KINDS[3], url, "rec-si-tuned", 1000));
			try {
				probes.forEach(Probe::start);
				for (Map.Entry<String, List<Long>> outage : outages().entrySet()) {
					String label = outage.getKey();
					int runs = outage.getValue().size();
					Map<String, List<Double>> samples = new LinkedHashMap<>();
					for (int run = 1; run <= runs; run++) {
						long outageMillis = outage.getValue().get(run - 1);
						awaitAllConnected(probes, Duration.ofSeconds(90));
						Thread.sleep(500 + ThreadLocalRandom.current().nextInt(1000));
						Instant stopRequested = Instant.now();
						Instant stopped = broker.stop();
						Thread.sleep(outageMillis);
						Instant back = broker.start();
						for (Probe probe : probes) {
							Optional<Instant> at = probe.awaitConnectedAfter(stopRequested,
									Duration.between(Instant.now(), back.plusSeconds(70)));
							boolean lost = probe.firstLostAfter(stopRequested).isPresent();
							double millis = at.map((connected) -> Results.millisBetween(back, connected))
								.orElse(Double.NaN);
							if (at.isPresent()) {
								samples.computeIfAbsent(probe.name(), (key) -> new ArrayList<>()).add(millis);
							}
							rows.add(List.of(outageMillis / 1000.0, run, quote(probe.name()), Stats.round(millis), lost,
									Stats.round(Results.millisBetween(stopRequested, stopped)),
									probe.sessionsOpened()));
						}
						System.out.printf("recovery %s (%d ms) run %d: %s%n", label, outageMillis, run,
								lastRun(rows, probes.size()));
					}
					Map<String, Object> byKind = new LinkedHashMap<>();
					for (String kind : KINDS) {
						Map<String, Object> entry = new LinkedHashMap<>(
								Stats.of(samples.getOrDefault(kind, List.of())).toMap());
						int expected = runs * (kind.equals(KINDS[0]) ? this.oursInstances : 1);
						entry.put("notBackWithin70s", expected - samples.getOrDefault(kind, List.of()).size());
						byKind.put(kind, entry);
					}
					figures.put(label, Map.of("runs", runs, "recoveryMillis", byKind));
				}
				Map<String, Object> sessions = new LinkedHashMap<>();
				probes.forEach((probe) -> sessions.merge(probe.name(), probe.sessionsOpened(),
						(a, b) -> (Integer) a + (Integer) b));
				figures.put("sessionsOpened", sessions);
			}
			finally {
				probes.forEach(Probe::close);
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "1 recovery: broker down for N s, time from the broker accepting again to CONNECTED "
				+ "with the subscription restored (ms)");
		document.put("broker", this.rabbitMq ? "RabbitMQ Web-STOMP (the machine's, rabbitmqctl stop_app/start_app)"
				: "ActiveMQ Artemis in its own JVM");
		document.put("oursInstancesPerRun", this.oursInstances);
		document.put("outages", figures);
		this.results.json(name(), document);
		this.results.csv(name(), List.of("outageSeconds", "run", "client", "recoveryMillis", "lossReported",
				"brokerStopMillis", "sessionsOpenedSoFar"), rows);
	}

	private static String lastRun(List<List<Object>> rows, int count) {
		StringBuilder line = new StringBuilder();
		for (List<Object> row : rows.subList(rows.size() - count, rows.size())) {
			line.append(row.get(2)).append('=').append(row.get(3)).append("ms ");
		}
		return line.toString();
	}

	static String quote(String text) {
		return "\"" + text + "\"";
	}

	static void awaitAllConnected(List<Probe> probes, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!probes.stream().allMatch(Probe::isConnected)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not all clients connected within " + timeout);
			}
			Thread.sleep(20);
		}
	}

}
