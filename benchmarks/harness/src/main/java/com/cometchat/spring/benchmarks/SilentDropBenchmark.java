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
import com.cometchat.spring.test.FaultProxy;
import com.cometchat.spring.benchmarks.probe.OursProbe;
import com.cometchat.spring.benchmarks.probe.Probe;
import com.cometchat.spring.benchmarks.probe.RawTutorialProbe;
import com.cometchat.spring.benchmarks.probe.SpringIntegrationProbe;

/**
 * Figure 2: the link is blackholed (the proxy keeps the sockets open and forwards nothing); time until each client
 * reports the connection lost and starts reconnecting, with each client's default settings. Clients connect at
 * random moments, so their heart-beat checks have different phases.
 *
 * @author CometChat
 */
public final class SilentDropBenchmark {

	static final String OURS = "ours (defaults: heart-beat 10 s out, 2 s in)";

	static final String OURS_2S = "ours, heart-beat 2 s both ways";

	static final String RAW = "raw WebSocketStompClient (defaults: no scheduler, heart-beat 0,0)";

	static final String SI = "Spring Integration (with the TaskScheduler its recovery needs: heart-beat 10 s)";

	private final Results results;

	private final int oursInstances;

	private final Duration cap;

	public SilentDropBenchmark(Results results, int oursInstances, Duration cap) {
		this.results = results;
		this.oursInstances = oursInstances;
		this.cap = cap;
	}

	public void run() throws Exception {
		List<List<Object>> rows = new ArrayList<>();
		Map<String, List<Double>> samples = new LinkedHashMap<>();
		Map<String, Integer> counts = new LinkedHashMap<>();
		try (BrokerProcess broker = BrokerProcess.fork("1g", this.results.logs().resolve("broker-silent.log"));
				FaultProxy proxy = new FaultProxy("127.0.0.1", broker.port())) {
			String url = proxy.url("/ws");
			List<Probe> probes = new ArrayList<>();
			for (int i = 0; i < this.oursInstances; i++) {
				probes.add(new OursProbe(OURS, url, "drop-ours-" + i, null));
			}
			for (int i = 0; i < 3; i++) {
				probes.add(new OursProbe(OURS_2S, url, "drop-ours2s-" + i, Duration.ofSeconds(2)));
			}
			probes.add(new RawTutorialProbe(RAW, url, "drop-raw", Duration.ofSeconds(5)));
			for (int i = 0; i < 2; i++) {
				probes.add(new SpringIntegrationProbe(SI, url, "drop-si-" + i, null));
			}
			probes.forEach((probe) -> counts.merge(probe.name(), 1, Integer::sum));
			try {
				for (Probe probe : probes) {
					probe.start();
					Thread.sleep(ThreadLocalRandom.current().nextInt(2000));
				}
				RecoveryBenchmark.awaitAllConnected(probes, Duration.ofSeconds(30));
				Thread.sleep(1000);
				Instant blackholed = Instant.now();
				proxy.blackhole();
				long deadline = System.nanoTime() + this.cap.toNanos();
				while (System.nanoTime() < deadline
						&& !probes.stream().allMatch((probe) -> probe.firstLostAfter(blackholed).isPresent())) {
					Thread.sleep(50);
				}
				for (Probe probe : probes) {
					Optional<Instant> lost = probe.firstLostAfter(blackholed);
					double millis = lost.map((at) -> Results.millisBetween(blackholed, at)).orElse(Double.NaN);
					lost.ifPresent((at) -> samples.computeIfAbsent(probe.name(), (key) -> new ArrayList<>()).add(millis));
					String reason = probe.lostReasons().isEmpty() ? ""
							: probe.lostReasons().get(probe.lostReasons().size() - 1);
					rows.add(List.of(RecoveryBenchmark.quote(probe.name()), Stats.round(millis), lost.isPresent(),
							RecoveryBenchmark.quote(reason.replace("\"", "'"))));
					System.out.printf("silent drop: %s -> %s %s%n", probe.name(),
							lost.isPresent() ? Stats.round(millis) + " ms" : "not detected in " + this.cap, reason);
				}
				proxy.normal();
			}
			finally {
				probes.forEach(Probe::close);
			}
		}
		Map<String, Object> byKind = new LinkedHashMap<>();
		counts.forEach((kind, count) -> {
			Map<String, Object> entry = new LinkedHashMap<>(Stats.of(samples.getOrDefault(kind, List.of())).toMap());
			entry.put("instances", count);
			entry.put("notDetectedWithinCap", count - samples.getOrDefault(kind, List.of()).size());
			byKind.put(kind, entry);
		});
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "2 silent drop: link blackholed by a TCP proxy; time until the client reports the loss "
				+ "and starts reconnecting (ms)");
		document.put("capSeconds", this.cap.toSeconds());
		document.put("detectionMillis", byKind);
		this.results.json("silent-drop", document);
		this.results.csv("silent-drop", List.of("client", "detectionMillis", "detected", "reason"), rows);
	}

}
