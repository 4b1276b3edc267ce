package com.cometchat.spring.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import com.cometchat.spring.benchmarks.probe.DirectPublisher;
import com.cometchat.spring.benchmarks.probe.OursProbe;
import com.cometchat.spring.benchmarks.probe.Probe;
import com.cometchat.spring.benchmarks.probe.RawTutorialProbe;
import com.cometchat.spring.benchmarks.probe.SpringIntegrationProbe;
import com.cometchat.spring.test.FaultProxy;

/**
 * Figure 2: the link is blackholed (the proxy keeps the sockets open and forwards nothing); time until each client
 * reports the connection lost and starts reconnecting ("detected"), and time until a message sent to its
 * subscription reaches it again ("receiving again"), with each client's default settings. Each client has a proxy of
 * its own, healed as soon as that client reports the loss, so that its reconnect is not held up by the others; a
 * publisher connected straight to the broker sends a message to every client that has not received one since the
 * blackhole, every {@value #PUBLISH_INTERVAL_MILLIS} ms. Clients connect at random moments, so their heart-beat checks
 * have different phases.
 *
 * <p>Two rounds, each with fresh clients and a fresh broker, differ in what the heal brings back: the old connection
 * too, with the bytes it held, or only new connections, the old one staying dead ({@link FaultProxy#strand()}), which
 * is what shows a client that waits on its dead socket before it opens the next.
 *
 * @author CometChat
 */
public final class SilentDropBenchmark {

	static final String OURS = "ours (defaults: heart-beat 10 s out, 2 s in)";

	static final String OURS_2S = "ours, heart-beat 2 s both ways";

	static final String RAW = "raw WebSocketStompClient (defaults: no scheduler, heart-beat 0,0)";

	static final String SI = "Spring Integration (with the TaskScheduler its recovery needs: heart-beat 10 s)";

	static final long PUBLISH_INTERVAL_MILLIS = 100;

	/**
	 * What comes back when the link heals (back to normal, once the client has reported the loss).
	 */
	enum Heal {

		/** The old connection resumes too, with the bytes it held. */
		NORMAL("link back to normal"),

		/**
		 * The connections open at the blackhole are {@link FaultProxy#strand() stranded} with it: only a new
		 * connection gets through.
		 */
		OLD_CONNECTION_STAYS_DEAD("old connection stays dead");

		final String label;

		Heal(String label) {
			this.label = label;
		}

	}

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
		Map<Heal, Map<String, Object>> figures = new LinkedHashMap<>();
		for (Heal heal : Heal.values()) {
			figures.put(heal, round(heal, rows));
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "2 silent drop: link blackholed by a TCP proxy (one per client, healed as soon as that "
				+ "client reports the loss); time until the client reports the loss and starts reconnecting, until a "
				+ "message sent to its subscription reaches it again, and the difference (ms)");
		document.put("capSeconds", this.cap.toSeconds());
		document.put("publishIntervalMillis", PUBLISH_INTERVAL_MILLIS);
		document.put("heal", Heal.NORMAL.label);
		document.putAll(figures.get(Heal.NORMAL));
		Map<String, Object> staysDead = new LinkedHashMap<>();
		staysDead.put("heal", Heal.OLD_CONNECTION_STAYS_DEAD.label);
		staysDead.putAll(figures.get(Heal.OLD_CONNECTION_STAYS_DEAD));
		document.put("oldConnectionStaysDead", staysDead);
		this.results.json("silent-drop", document);
		this.results.csv("silent-drop", List.of("heal", "client", "detectionMillis", "detected", "healedMillis",
				"reconnectedMillis", "receivingAgainMillis", "receivingAgain", "gapMillis", "reason"), rows);
	}

	private Map<String, Object> round(Heal heal, List<List<Object>> rows) throws Exception {
		Map<String, List<Double>> detected = new LinkedHashMap<>();
		Map<String, List<Double>> receiving = new LinkedHashMap<>();
		Map<String, List<Double>> gaps = new LinkedHashMap<>();
		Map<String, Integer> counts = new LinkedHashMap<>();
		List<Link> links = new ArrayList<>();
		try (BrokerProcess broker = BrokerProcess.fork("1g", this.results.logs().resolve("broker-silent.log"));
				DirectPublisher publisher = new DirectPublisher(broker.url())) {
			try {
				for (int i = 0; i < this.oursInstances; i++) {
					String uid = "drop-ours-" + i;
					links.add(new Link(broker, heal, (url) -> new OursProbe(OURS, url, uid, null)));
				}
				for (int i = 0; i < 3; i++) {
					String uid = "drop-ours2s-" + i;
					links.add(new Link(broker, heal,
							(url) -> new OursProbe(OURS_2S, url, uid, Duration.ofSeconds(2))));
				}
				links.add(new Link(broker, heal,
						(url) -> new RawTutorialProbe(RAW, url, "drop-raw", Duration.ofSeconds(5))));
				for (int i = 0; i < 2; i++) {
					String uid = "drop-si-" + i;
					links.add(new Link(broker, heal, (url) -> new SpringIntegrationProbe(SI, url, uid, null)));
				}
				List<Probe> probes = links.stream().map(Link::probe).toList();
				probes.forEach((probe) -> counts.merge(probe.name(), 1, Integer::sum));
				for (Probe probe : probes) {
					probe.start();
					Thread.sleep(ThreadLocalRandom.current().nextInt(2000));
				}
				RecoveryBenchmark.awaitAllConnected(probes, Duration.ofSeconds(30));
				awaitDelivery(probes, publisher);
				Thread.sleep(1000);
				links.forEach(Link::blackhole);
				publishUntilAllReceiveAgain(links, publisher);
				for (Link link : links) {
					Probe probe = link.probe();
					Instant blackholed = link.blackholed.get();
					Optional<Instant> lost = probe.firstLostAfter(blackholed);
					Optional<Instant> back = probe.firstReceivedAfter(blackholed);
					double detection = millisSince(blackholed, lost);
					double receivingAgain = millisSince(blackholed, back);
					double gap = receivingAgain - detection;
					lost.ifPresent((at) -> add(detected, probe.name(), detection));
					back.ifPresent((at) -> add(receiving, probe.name(), receivingAgain));
					if (lost.isPresent() && back.isPresent()) {
						add(gaps, probe.name(), gap);
					}
					String reason = probe.lostReasons().isEmpty() ? ""
							: probe.lostReasons().get(probe.lostReasons().size() - 1);
					rows.add(List.of(RecoveryBenchmark.quote(heal.label), RecoveryBenchmark.quote(probe.name()),
							Stats.round(detection), lost.isPresent(),
							Stats.round(millisSince(blackholed, Optional.ofNullable(link.healed.get()))),
							Stats.round(millisSince(blackholed, probe.firstConnectedAfter(blackholed))),
							Stats.round(receivingAgain), back.isPresent(), Stats.round(gap),
							RecoveryBenchmark.quote(reason.replace("\"", "'"))));
					System.out.printf("silent drop (%s): %s -> detected %s, receiving again %s, gap %s %s%n",
							heal.label, probe.name(),
							lost.isPresent() ? Stats.round(detection) + " ms" : "never (cap " + this.cap + ")",
							back.isPresent() ? Stats.round(receivingAgain) + " ms" : "never (cap " + this.cap + ")",
							Double.isNaN(gap) ? "–" : Stats.round(gap) + " ms", reason);
				}
			}
			finally {
				links.forEach(Link::close);
			}
		}
		Map<String, Object> figure = new LinkedHashMap<>();
		figure.put("detectionMillis", byKind(counts, detected, "notDetectedWithinCap"));
		figure.put("receivingAgainMillis", byKind(counts, receiving, "notReceivingAgainWithinCap"));
		figure.put("reconnectGapMillis", byKind(counts, gaps, null));
		return figure;
	}

	/**
	 * Check that a message reaches every client before the fault, so that one never received later is the fault's.
	 */
	private static void awaitDelivery(List<Probe> probes, DirectPublisher publisher) throws InterruptedException {
		Instant sent = Instant.now().minusMillis(1);
		probes.forEach(publisher::send);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!probes.stream().allMatch((probe) -> probe.firstReceivedAfter(sent).isPresent())) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("No message reached " + probes.stream()
					.filter((probe) -> probe.firstReceivedAfter(sent).isEmpty())
					.map(Probe::name)
					.toList() + " within 10 s of connecting");
			}
			Thread.sleep(20);
		}
	}

	private void publishUntilAllReceiveAgain(List<Link> links, DirectPublisher publisher)
			throws InterruptedException {
		long started = System.nanoTime();
		long deadline = started + this.cap.toNanos();
		for (long tick = 0; System.nanoTime() < deadline; tick++) {
			List<Link> waiting = links.stream()
				.filter((link) -> link.probe().firstReceivedAfter(link.blackholed.get()).isEmpty())
				.toList();
			if (waiting.isEmpty()) {
				return;
			}
			waiting.forEach((link) -> publisher.send(link.probe()));
			long next = started + Duration.ofMillis((tick + 1) * PUBLISH_INTERVAL_MILLIS).toNanos();
			long sleep = next - System.nanoTime();
			if (sleep > 0) {
				Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
			}
		}
	}

	private static Map<String, Object> byKind(Map<String, Integer> counts, Map<String, List<Double>> samples,
			String missingKey) {
		Map<String, Object> byKind = new LinkedHashMap<>();
		counts.forEach((kind, count) -> {
			List<Double> values = samples.getOrDefault(kind, List.of());
			Map<String, Object> entry = new LinkedHashMap<>(Stats.of(values).toMap());
			entry.put("instances", count);
			if (missingKey != null) {
				entry.put(missingKey, count - values.size());
			}
			byKind.put(kind, entry);
		});
		return byKind;
	}

	private static void add(Map<String, List<Double>> samples, String kind, double value) {
		samples.computeIfAbsent(kind, (key) -> new ArrayList<>()).add(value);
	}

	private static double millisSince(Instant from, Optional<Instant> to) {
		return to.map((at) -> Results.millisBetween(from, at)).orElse(Double.NaN);
	}

	/**
	 * One client behind a proxy of its own: blackholed with the others, healed as soon as it reports the loss.
	 */
	private static final class Link implements AutoCloseable {

		private final FaultProxy proxy;

		private final Heal heal;

		private final Probe probe;

		final AtomicReference<Instant> blackholed = new AtomicReference<>();

		final AtomicReference<Instant> healed = new AtomicReference<>();

		Link(BrokerProcess broker, Heal heal, Function<String, Probe> probe) {
			this.proxy = new FaultProxy("127.0.0.1", broker.port());
			this.heal = heal;
			this.probe = probe.apply(this.proxy.url("/ws"));
			this.probe.onLost((at) -> heal());
		}

		Probe probe() {
			return this.probe;
		}

		void blackhole() {
			this.blackholed.set(Instant.now());
			this.proxy.blackhole();
			if (this.heal == Heal.OLD_CONNECTION_STAYS_DEAD) {
				// Only the connections open now: one the client opens before it is healed must get through
				this.proxy.strand();
			}
		}

		private void heal() {
			if (this.blackholed.get() != null && this.healed.compareAndSet(null, Instant.now())) {
				this.proxy.normal();
			}
		}

		@Override
		public void close() {
			this.proxy.normal();
			this.probe.close();
			this.proxy.close();
		}

	}

}
