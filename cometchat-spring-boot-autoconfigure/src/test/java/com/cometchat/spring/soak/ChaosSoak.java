package com.cometchat.spring.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.FaultProxy;
import com.cometchat.spring.test.RabbitMqStompBroker;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A chaos soak of the client against the machine's RabbitMQ Web-STOMP: three clients in one JVM, each through a
 * {@link FaultProxy} of its own, while faults are injected at random, one after another, and the system recovers
 * between them.
 * <ul>
 * <li><b>A</b> sends a text message to B's inbox every {@value #SEND_INTERVAL_MILLIS} ms, receipts on;
 * <b>B</b>'s listener records every id it gets ({@link Traffic});</li>
 * <li><b>C</b> gets random {@code login}, {@code logout}, {@code connect}, {@code disconnect} and {@code joinGroup}
 * calls from four threads, as two users, and its views of itself are checked at a checkpoint after each batch
 * ({@link ControlChaos}, which defines a split state);</li>
 * <li>each client's sockets are counted in the OS and at the broker ({@link SocketCounts}).</li>
 * </ul>
 * The faults ({@link FaultType}) and their targets come from the seed ({@code -Dsoak.seed}, default
 * {@value #DEFAULT_SEED}); there are {@code -Dsoak.faults} of them (default {@value #DEFAULT_FAULTS}). A link fault
 * hits one client's proxy; the broker faults hit everyone. While the broker is down its clients' proxies refuse
 * connections, as the broker's own port does (a proxy that accepted would hide the outage from the client's
 * reachability probe). After each fault the soak waits for the recovery, as {@link FaultRecord} defines it: the hit
 * clients {@code CONNECTED} again and B receiving a message that A sent after the heal; then it lets five more messages
 * through before the next fault. Faults and C's checkpoints take turns through a gate, so a checkpoint never looks at a
 * fault in progress; C's calls themselves run across faults.
 * <p>
 * At the end everything is healed, C's last batch finishes, A stops sending, the soak waits (at most
 * {@value #SETTLE_SECONDS} s) until every send completed and every confirmed message reached B, logs C in and connects
 * it as at the start, lets the clients' idle threads time out (pools keep an idle thread for 60 s; at most
 * {@value #THREAD_SETTLE_SECONDS} s, until the count is back at the start's) and prints the {@link SoakResult}: first
 * exactly one summary
 * line
 * <pre>
 * faults=… sent=… confirmed=… failed=… pending=… lost=… duplicates=… maxSockets=… threadsStart=… threadsEnd=… splitStates=…
 * </pre>
 * then the failed sends by error code, the details (sockets per client at the broker and in the OS, C's calls) and the
 * recovery median, 95th percentile and maximum per fault type. The same lines go to
 * {@code target/soak/seed-<seed>-faults-<n>.summary.txt}, and every fault, split state and second socket to
 * {@code target/soak/seed-<seed>-faults-<n>.log}.
 * <p>
 * The clients use the builder's defaults (reconnect back-off, connect timeout, receipts, Jetty's WebSocket client)
 * except for heart-beats of {@value #HEARTBEAT_MILLIS} ms both ways (RabbitMQ rounds heart-beats up to whole seconds:
 * it answers a request for 500 ms with {@code heart-beat:1000,1000}), so that a silent link is noticed in 3 to 4.5 s.
 * Run it with {@link ChaosSoakIT} (the {@code it} profile, which {@code .ci/run} runs with 100 faults); a longer run
 * is the same test with more faults:
 * <pre>
 * ./mvnw -Pit -pl cometchat-spring-boot-autoconfigure verify -Dit.test=ChaosSoakIT -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.faults=1000 -Dsoak.seed=7
 * </pre>
 * Every thread the soak starts is stopped before it returns, and every user, queue and proxy it made is removed.
 */
final class ChaosSoak implements AutoCloseable {

	static final String SEED_PROPERTY = "soak.seed";

	static final String FAULTS_PROPERTY = "soak.faults";

	static final long DEFAULT_SEED = 1;

	static final int DEFAULT_FAULTS = 100;

	static final int THREAD_MARGIN = 5;

	static final String APP_ID = "soak";

	private static final int SEND_INTERVAL_MILLIS = 50;

	private static final int HEARTBEAT_MILLIS = 1000;

	/** The builder's default, which the clients keep; a connection up this long is stable. */
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration NOTICE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

	private static final int MESSAGES_BETWEEN_FAULTS = 5;

	private static final int SETTLE_SECONDS = 60;

	private static final int THREAD_SETTLE_SECONDS = 75;

	private static final String INJECTED_ERROR = "ERROR\nmessage:injected by the soak\n\n\0";

	private static final Predicate<ConnectionState> IS_CONNECTED = (state) -> state == ConnectionState.CONNECTED;

	private static final Predicate<ConnectionState> IS_SETTLED = (state) -> state != ConnectionState.CONNECTING
			&& state != ConnectionState.RECONNECTING;

	private final long seed;

	private final int faultCount;

	private final Path reportDirectory;

	private final String run = UUID.randomUUID().toString().substring(0, 6);

	private final Map<ClientRole, List<String>> uids = new EnumMap<>(ClientRole.class);

	private final Map<String, String> tokens = new LinkedHashMap<>();

	private final Map<ClientRole, FaultProxy> proxies = new EnumMap<>(ClientRole.class);

	private final Map<ClientRole, DefaultCometChatClient> clients = new EnumMap<>(ClientRole.class);

	private final Map<ClientRole, StateHistory> histories = new EnumMap<>(ClientRole.class);

	private final InMemorySessionStore cStore = new InMemorySessionStore();

	private final Semaphore faultGate = new Semaphore(1, true);

	private final ScheduledExecutorService pacer = Executors
		.newSingleThreadScheduledExecutor(SoakThreads.named("soak-pacer"));

	private final SoakLog log;

	private final SocketCounts sockets;

	private RabbitMqStompBroker broker;

	private Traffic traffic;

	private ControlChaos chaos;

	/**
	 * Prepare a soak; nothing runs before {@link #run()}.
	 * @param seed the seed of the faults and of C's calls
	 * @param faults how many faults to inject
	 * @param reportDirectory where to write the summary and the log
	 */
	ChaosSoak(long seed, int faults, Path reportDirectory) {
		this.seed = seed;
		this.faultCount = faults;
		this.reportDirectory = reportDirectory;
		this.log = new SoakLog(reportDirectory.resolve(baseName() + ".log"));
		this.sockets = new SocketCounts(this.log::write);
	}

	/**
	 * Prepare a soak from the system properties {@code soak.seed} and {@code soak.faults}, writing to
	 * {@code target/soak}.
	 * @return the soak
	 */
	static ChaosSoak fromSystemProperties() {
		return new ChaosSoak(Long.getLong(SEED_PROPERTY, DEFAULT_SEED), Integer.getInteger(FAULTS_PROPERTY,
				DEFAULT_FAULTS), Path.of("target", "soak"));
	}

	/**
	 * Return the number of faults this soak injects.
	 * @return the count
	 */
	int faultCount() {
		return this.faultCount;
	}

	/**
	 * Waits on a condition, polling it on the calling thread (no thread is started for it) every 10 ms.
	 * @param atMost the bound
	 * @return the condition factory
	 */
	static ConditionFactory waiting(Duration atMost) {
		return Awaitility.await()
			.pollInSameThread()
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(10))
			.atMost(atMost);
	}

	/**
	 * Run the soak: set up, inject every fault, settle, measure, print and write the result.
	 * @return the result
	 * @throws Exception if the set-up fails (the broker is not there, a first login fails)
	 */
	SoakResult run() throws Exception {
		long start = System.nanoTime();
		setUp();
		// A JDK singleton the client starts on its first timeout (CompletableFuture.completeOnTimeout): started now,
		// it is not taken for a thread the soak's faults left behind
		new CompletableFuture<Void>().completeOnTimeout(null, 1, TimeUnit.MILLISECONDS).join();
		int threadsStart = threadCount();
		Map<String, Integer> threadsAtStart = threadCensus();
		this.log.write("start: seed=" + this.seed + " faults=" + this.faultCount + " run=" + this.run + " threads="
				+ threadsStart + " " + threadsAtStart);
		this.chaos = new ControlChaos(this.clients.get(ClientRole.C), this.cStore, tokensOf(ClientRole.C),
				this.seed + 1, this.faultGate, this.sockets, this.log);
		this.traffic.start();
		this.chaos.start();
		List<FaultRecord> records = new ArrayList<>();
		for (PlannedFault fault : plan()) {
			FaultRecord record = inject(fault);
			records.add(record);
			this.log.write(record.toString());
			if (!record.recovered()) {
				this.log.write("not recovered: " + states());
			}
			pause();
			if (fault.number() % 10 == 0) {
				System.out.printf("soak: %d/%d faults in %.0f s%n", fault.number(), this.faultCount,
						this.log.seconds());
			}
		}
		healAll();
		this.chaos.stop(Duration.ofSeconds(ControlChaos.CALL_TIMEOUT_SECONDS + 2L * ControlChaos.SETTLE_SECONDS));
		this.traffic.stop();
		awaitQuietly(Duration.ofSeconds(SETTLE_SECONDS), Duration.ofMillis(100), this.traffic::isSettled,
				"A's sends to settle");
		Traffic.Figures figures = this.traffic.figures();
		restoreC();
		awaitQuietly(LOGIN_TIMEOUT, Duration.ofMillis(10), () -> this.clients.values()
			.stream()
			.allMatch((client) -> client.getConnectionState() == ConnectionState.CONNECTED), "A, B and C to connect");
		// The harness's own threads end here; what remains is the clients', the proxies' and the broker fixture's
		this.chaos.close();
		this.traffic.close();
		SoakThreads.stop(this.pacer);
		awaitQuietly(Duration.ofSeconds(THREAD_SETTLE_SECONDS), Duration.ofSeconds(1),
				() -> threadCount() <= threadsStart, "the clients' idle threads to end");
		int threadsEnd = threadCount();
		this.log.write("end: threads=" + threadsEnd + " new thread kinds " + difference(threadCensus(), threadsAtStart));
		SoakResult result = new SoakResult(this.seed, this.faultCount, figures, maxima(this.sockets::maxBroker),
				maxima(this.sockets::maxOs), threadsStart, threadsEnd, this.chaos.checkpoints(),
				this.chaos.splitStates(), this.chaos.calls(), this.chaos.stuckCalls(), this.chaos.outcomes(), records,
				maxima((role) -> this.histories.get(role).drops()), Duration.ofNanos(System.nanoTime() - start));
		report(result);
		return result;
	}

	private void setUp() throws Exception {
		this.broker = new RabbitMqStompBroker();
		this.broker.start();
		for (ClientRole role : ClientRole.values()) {
			String name = "soak-" + role.name().toLowerCase(java.util.Locale.ROOT);
			List<String> names = (role == ClientRole.C) ? List.of(name + "1-" + this.run, name + "2-" + this.run)
					: List.of(name + "-" + this.run);
			this.uids.put(role, names);
			for (String uid : names) {
				String token = "soak-token-" + UUID.randomUUID();
				this.tokens.put(uid, token);
				this.broker.addUser(uid, token);
			}
			FaultProxy proxy = new FaultProxy("127.0.0.1", URI.create(RabbitMqStompBroker.URL).getPort());
			this.proxies.put(role, proxy);
			this.sockets.add(role, proxy.port(), names.toArray(String[]::new));
		}
		this.sockets.watch(this.broker);
		this.sockets.start();
		for (ClientRole role : ClientRole.values()) {
			DefaultCometChatClient client = CometChatClient.builder()
				.url(URI.create(this.proxies.get(role).url("/ws")))
				.appId(APP_ID)
				.sessionStore((role == ClientRole.C) ? this.cStore : new InMemorySessionStore())
				.heartbeat(Duration.ofMillis(HEARTBEAT_MILLIS), Duration.ofMillis(HEARTBEAT_MILLIS))
				.connectTimeout(CONNECT_TIMEOUT)
				.build();
			this.clients.put(role, client);
			StateHistory history = new StateHistory();
			this.histories.put(role, history);
			client.addConnectionListener("soak", history);
			client.start();
		}
		this.traffic = new Traffic(this.clients.get(ClientRole.A), this.clients.get(ClientRole.B),
				uid(ClientRole.B), Duration.ofMillis(SEND_INTERVAL_MILLIS));
		for (ClientRole role : ClientRole.values()) {
			this.clients.get(role)
				.login(uid(role), this.tokens.get(uid(role)))
				.get(LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private List<PlannedFault> plan() {
		Random random = new Random(this.seed);
		FaultType[] types = FaultType.values();
		ClientRole[] roles = ClientRole.values();
		List<PlannedFault> plan = new ArrayList<>();
		for (int number = 1; number <= this.faultCount; number++) {
			FaultType type = types[random.nextInt(types.length)];
			ClientRole target = roles[random.nextInt(roles.length)];
			Duration silence = Duration.ofMillis(300 + random.nextInt(1201));
			plan.add(new PlannedFault(number, type, type.onALink() ? target : null, silence));
		}
		return plan;
	}

	/**
	 * Inject a fault, heal it and wait for the recovery, holding the fault gate.
	 */
	private FaultRecord inject(PlannedFault fault) throws Exception {
		this.faultGate.acquireUninterruptibly();
		try {
			ClientRole target = fault.target();
			Set<ClientRole> connected = EnumSet.noneOf(ClientRole.class);
			for (ClientRole role : ClientRole.values()) {
				if (state(role) == ConnectionState.CONNECTED) {
					connected.add(role);
				}
			}
			boolean targetConnected = target != null && connected.contains(target);
			String upFor = upFor((target != null) ? Set.of(target) : connected);
			Set<ClientRole> stable = stable();
			FaultProxy proxy = (target != null) ? this.proxies.get(target) : null;
			Set<ClientRole> hit = EnumSet.noneOf(ClientRole.class);
			double at = this.log.seconds();
			long injectedAt = System.nanoTime();
			long healedAt;
			String effect;
			switch (fault.type()) {
				case CUT -> {
					int open = proxy.connectionCount();
					proxy.cut();
					healedAt = System.nanoTime();
					effect = open + " connection(s) cut";
					if (open > 0 && targetConnected) {
						hit.add(target);
					}
				}
				case BLACKHOLE -> {
					proxy.blackhole();
					boolean noticed = awaitQuietly(NOTICE_TIMEOUT, Duration.ofMillis(10),
							() -> state(target) != ConnectionState.CONNECTED, null);
					proxy.normal();
					healedAt = System.nanoTime();
					// C also leaves CONNECTED by its own calls
					effect = "silent for " + millis(healedAt - injectedAt) + "ms, until " + target
							+ (noticed ? " left CONNECTED" : " (still CONNECTED)");
					if (noticed && targetConnected) {
						hit.add(target);
					}
				}
				case SHORT_BLACKHOLE -> {
					proxy.blackhole();
					CompletableFuture<Long> healed = new CompletableFuture<>();
					this.pacer.schedule(() -> {
						proxy.normal();
						healed.complete(System.nanoTime());
					}, fault.silence().toMillis(), TimeUnit.MILLISECONDS);
					waiting(fault.silence().plusSeconds(10)).until(healed::isDone);
					healedAt = healed.join();
					effect = "silent for " + millis(healedAt - injectedAt) + "ms";
				}
				case BROKER_CLOSE -> {
					List<String> pids = new ArrayList<>();
					for (String uid : this.uids.get(target)) {
						pids.addAll(this.broker.connectionPids(uid));
					}
					pids.forEach(this.broker::forceClose);
					healedAt = System.nanoTime();
					effect = "closed " + (pids.isEmpty() ? "nothing" : pids);
					if (!pids.isEmpty() && targetConnected) {
						hit.add(target);
					}
				}
				case BROKER_RESTART -> {
					this.proxies.values().forEach((each) -> each.refuse(true));
					this.broker.stop();
					this.broker.start();
					this.proxies.values().forEach((each) -> each.refuse(false));
					healedAt = System.nanoTime();
					effect = "down for " + millis(healedAt - injectedAt) + "ms";
					hit.addAll(connected);
				}
				case ERROR_FRAME -> {
					// Heart-beats bring the broker's stream to a boundary at least once a second
					int written = proxy.injectServerMessage(INJECTED_ERROR)
						.completeOnTimeout(0, 10, TimeUnit.SECONDS)
						.join();
					healedAt = System.nanoTime();
					effect = "ERROR written to " + written + " connection(s)";
					if (written > 0 && targetConnected) {
						hit.add(target);
					}
				}
				default -> throw new IllegalStateException("Unknown fault " + fault.type());
			}
			boolean cTouched = target == ClientRole.C || fault.type() == FaultType.BROKER_RESTART;
			return recover(fault, target, at, effect + upFor, hit, stable.containsAll(hit), cTouched, injectedAt,
					healedAt);
		}
		finally {
			this.faultGate.release();
		}
	}

	/**
	 * Wait until the hit clients dropped and are back ({@code CONNECTED}; C: settled), A and B are
	 * {@code CONNECTED}, C is settled if the fault touched it, and B got a message A sent after the heal.
	 */
	private FaultRecord recover(PlannedFault fault, ClientRole target, double at, String effect, Set<ClientRole> hit,
			boolean stable, boolean cTouched, long injectedAt, long healedAt) {
		boolean recovered = awaitQuietly(RECOVERY_TIMEOUT, Duration.ofMillis(10), () -> {
			for (ClientRole role : hit) {
				if (!this.histories.get(role).droppedSince(injectedAt)) {
					return false;
				}
			}
			return state(ClientRole.A) == ConnectionState.CONNECTED && state(ClientRole.B) == ConnectionState.CONNECTED
					&& (!cTouched || IS_SETTLED.test(state(ClientRole.C)))
					&& this.traffic.firstReceiptOfMessageSentSince(healedAt).isPresent();
		}, null);
		if (fault.type() == FaultType.SHORT_BLACKHOLE && target != ClientRole.C
				&& this.histories.get(target).droppedSince(injectedAt)) {
			// C's own calls also change its state
			effect += "; noticed";
		}
		for (ClientRole role : hit) {
			String reason = this.histories.get(role).dropReasonSince(injectedAt);
			if (reason != null) {
				effect += "; " + role + ": " + reason;
			}
		}
		if (!recovered) {
			return new FaultRecord(fault.number(), fault.type(), target, at, effect, hit, stable, -1, -1);
		}
		long receive = this.traffic.firstReceiptOfMessageSentSince(healedAt).getAsLong() - healedAt;
		long reconnect = 0;
		for (ClientRole role : hit) {
			long back = this.histories.get(role)
				.backSince(injectedAt, (role == ClientRole.C) ? IS_SETTLED : IS_CONNECTED);
			reconnect = Math.max(reconnect, (back >= 0) ? back - healedAt : 0);
		}
		return new FaultRecord(fault.number(), fault.type(), target, at, effect, hit, stable,
				millis(Math.max(0, reconnect)), millis(Math.max(0, receive)));
	}

	/**
	 * Let a few messages through before the next fault.
	 */
	private void pause() {
		long mark = this.traffic.received();
		awaitQuietly(RECOVERY_TIMEOUT, Duration.ofMillis(10),
				() -> this.traffic.received() >= mark + MESSAGES_BETWEEN_FAULTS, "messages between faults");
	}

	/**
	 * How long the clients had been connected: with the back-off reset only after a connection stayed up for the
	 * connect timeout, a client hit again sooner reconnects later.
	 */
	private String upFor(Set<ClientRole> roles) {
		long now = System.nanoTime();
		return roles.stream().map((role) -> {
			long connected = this.histories.get(role).connectedFor(now);
			return role + ((connected >= 0) ? String.format(java.util.Locale.ROOT, " up %.1fs", connected / 1e9)
					: " not connected");
		}).collect(Collectors.joining(", ", " (", ")"));
	}

	/**
	 * The clients that have been connected for the connect timeout or longer.
	 */
	private Set<ClientRole> stable() {
		long now = System.nanoTime();
		Set<ClientRole> stable = EnumSet.noneOf(ClientRole.class);
		for (ClientRole role : ClientRole.values()) {
			if (this.histories.get(role).connectedFor(now) >= CONNECT_TIMEOUT.toNanos()) {
				stable.add(role);
			}
		}
		return stable;
	}

	private void healAll() {
		this.proxies.values().forEach(FaultProxy::normal);
		this.broker.start();
	}

	/**
	 * Log C in as its first user and connect it, as at the start, so that the thread counts compare like with like.
	 */
	private void restoreC() {
		DefaultCometChatClient c = this.clients.get(ClientRole.C);
		try {
			c.login(uid(ClientRole.C), this.tokens.get(uid(ClientRole.C)))
				.get(LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			c.connect().get(LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			this.log.write("end: C could not be logged in and connected again: " + ex);
		}
	}

	private void report(SoakResult result) throws IOException {
		List<String> lines = result.lines();
		lines.forEach(System.out::println);
		lines.forEach(this.log::write);
		Files.write(this.reportDirectory.resolve(baseName() + ".summary.txt"), lines, StandardCharsets.UTF_8);
	}

	/**
	 * Wait for a condition; a timeout is logged (unless there is nothing to say) and returned, not thrown.
	 */
	private boolean awaitQuietly(Duration atMost, Duration pollInterval, java.util.concurrent.Callable<Boolean> condition,
			String what) {
		try {
			waiting(atMost).pollInterval(pollInterval).until(condition);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			if (what != null) {
				this.log.write("timed out after " + atMost.toSeconds() + " s waiting for " + what + "; " + states());
			}
			return false;
		}
	}

	private String states() {
		return this.clients.keySet()
			.stream()
			.map((role) -> role + "=" + state(role))
			.collect(Collectors.joining(" ", "states ", ""));
	}

	private ConnectionState state(ClientRole role) {
		return this.clients.get(role).getConnectionState();
	}

	private String uid(ClientRole role) {
		return this.uids.get(role).get(0);
	}

	private Map<String, String> tokensOf(ClientRole role) {
		Map<String, String> tokens = new LinkedHashMap<>();
		this.uids.get(role).forEach((uid) -> tokens.put(uid, this.tokens.get(uid)));
		return tokens;
	}

	private String baseName() {
		return "seed-" + this.seed + "-faults-" + this.faultCount;
	}

	private static Map<ClientRole, Integer> maxima(java.util.function.ToIntFunction<ClientRole> count) {
		Map<ClientRole, Integer> maxima = new EnumMap<>(ClientRole.class);
		for (ClientRole role : ClientRole.values()) {
			maxima.put(role, count.applyAsInt(role));
		}
		return maxima;
	}

	private static int threadCount() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	/**
	 * Live threads by name, digits replaced by {@code #}, so that pools show as one kind.
	 */
	private static Map<String, Integer> threadCensus() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.collect(Collectors.toMap((thread) -> thread.getName().replaceAll("\\d+", "#"), (thread) -> 1,
					Integer::sum, TreeMap::new));
	}

	private static Map<String, Integer> difference(Map<String, Integer> now, Map<String, Integer> before) {
		Map<String, Integer> difference = new TreeMap<>();
		now.forEach((name, count) -> {
			int change = count - before.getOrDefault(name, 0);
			if (change != 0) {
				difference.put(name, change);
			}
		});
		before.forEach((name, count) -> difference.putIfAbsent(name, now.containsKey(name) ? 0 : -count));
		difference.values().removeIf((change) -> change == 0);
		return difference;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/**
	 * Close the clients, the proxies and the broker fixture (which deletes the users), delete the inboxes and stop
	 * every thread the soak started.
	 */
	@Override
	public void close() {
		List<Runnable> steps = new ArrayList<>();
		if (this.chaos != null) {
			steps.add(this.chaos::close);
		}
		if (this.traffic != null) {
			steps.add(this.traffic::close);
		}
		steps.add(() -> SoakThreads.stop(this.pacer));
		this.clients.values().forEach((client) -> steps.add(client::close));
		this.proxies.values().forEach((proxy) -> steps.add(proxy::close));
		steps.add(this.sockets::close);
		if (this.broker != null) {
			steps.add(() -> {
				for (String uid : this.tokens.keySet()) {
					this.broker.deleteQueue("cometchat." + APP_ID + ".user." + uid);
				}
			});
			steps.add(this.broker::close);
		}
		steps.add(this.log::close);
		RuntimeException failure = null;
		for (Runnable step : steps) {
			try {
				step.run();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw new IllegalStateException("The soak did not close cleanly", failure);
		}
	}

	/**
	 * A fault of the plan.
	 *
	 * @param number its number, from 1
	 * @param type the fault
	 * @param target the client whose link it hits, {@code null} for the broker
	 * @param silence how long a short blackhole lasts
	 */
	private record PlannedFault(int number, FaultType type, ClientRole target, Duration silence) {
	}

}
