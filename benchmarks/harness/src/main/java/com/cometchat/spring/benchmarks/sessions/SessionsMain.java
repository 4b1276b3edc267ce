package com.cometchat.spring.benchmarks.sessions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.cometchat.spring.benchmarks.Results;
import com.cometchat.spring.benchmarks.Stats;
import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;
import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatClientBuilder;
import com.cometchat.spring.client.CometChatClientObserver;
import com.cometchat.spring.client.CometChatResources;
import com.cometchat.spring.client.ConnectionListener;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.client.transport.WebSocketStompTransport;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.SessionStore;
import jakarta.websocket.WebSocketContainer;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.component.LifeCycle;

import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Figure 5, in a client JVM of its own: N sessions against Artemis in another JVM, heart-beats on (10 s, 10 s).
 *
 * <p>{@code ours}: N clients built with {@link CometChatClient#builder()} sharing one {@link CometChatResources}
 * (scheduler, loop, I/O and callback pools) and one {@link WebSocketStompTransport}, each logged in (so subscribed to its inbox). Grows to each count in turn; at
 * each: time to connect the new sessions ({@code concurrency} logins in flight), heap per session after GC, threads,
 * then a broker restart: time from the broker accepting again until every client is CONNECTED again, and the peak
 * reconnect rate. {@code raw}: the same with one shared {@link WebSocketStompClient} and N sessions, no restart
 * (the raw client does not reconnect).
 *
 * <p>{@code manager}: the same N users logged in through one {@link DefaultCometChatConnectionManager} (on the
 * resources it creates itself, as an application without Spring gets them) and, at each count after the broker
 * restart, an application restart from the database once per restore concurrency given: the manager is closed (the
 * sessions stay saved), a new one is created on the same store and started, and we measure until every saved session
 * is CONNECTED again. The store is {@code jpa} ({@link H2SessionStore}: the starter's {@code JpaSessionStore} on H2 in
 * memory) or {@code memory} (one {@link InMemorySessionStore} given to both managers).
 *
 * <p>Arguments: {@code ours|raw|manager tomcat|jetty 1000,5000,10000 <result.json> <concurrency>
 * [jpa|memory 64,256]}.
 *
 * @author CometChat
 */
public final class SessionsMain {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final String APP_ID = "bench";

	private final String mode;

	private final String webSocket;

	private final int concurrency;

	private final BrokerProcess broker;

	private final String storeKind;

	private final int[] restoreConcurrencies;

	private final AtomicInteger loginFailures = new AtomicInteger();

	/** The CONNECTED times of the clients in use: a new manager gets a new tracker. */
	private volatile Tracker tracker;

	private SessionStore store;

	private DefaultCometChatConnectionManager manager;

	private SessionsMain(String mode, String webSocket, int concurrency, BrokerProcess broker, String storeKind,
			int[] restoreConcurrencies) {
		this.mode = mode;
		this.webSocket = webSocket;
		this.concurrency = concurrency;
		this.broker = broker;
		this.storeKind = storeKind;
		this.restoreConcurrencies = restoreConcurrencies;
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		String webSocket = args[1];
		int[] counts = ints(args[2]);
		Path output = Path.of(args[3]);
		int concurrency = Integer.parseInt(args[4]);
		String storeKind = (args.length > 5) ? args[5] : "memory";
		int[] restoreConcurrencies = (args.length > 6) ? ints(args[6])
				: new int[] { DefaultCometChatConnectionManager.DEFAULT_RESTORE_CONCURRENCY };
		Map<String, Object> result;
		try (BrokerProcess broker = BrokerProcess.fork("3g",
				output.resolveSibling("logs").resolve("broker-sessions-" + mode + "-" + webSocket + ".log"))) {
			result = new SessionsMain(mode, webSocket, concurrency, broker, storeKind, restoreConcurrencies)
				.run(counts);
		}
		new Results(output.getParent()).write(output.getFileName().toString(),
				tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(result));
		System.exit(0);
	}

	private static int[] ints(String list) {
		return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
	}

	/**
	 * Ours: the client the builder creates ({@link WebSocketClients}: whole 64 KiB frames, bounded connect pool,
	 * Jetty's core client created before the first connect).
	 */
	static StandardWebSocketClient oursWebSocketClient(String kind) {
		return WebSocketClients.create(webSocketClientType(kind), 64 * 1024, null,
				WebSocketClients.DEFAULT_CONNECT_THREADS).client();
	}

	private static WebSocketClientType webSocketClientType(String kind) {
		return kind.equals("jetty") ? WebSocketClientType.JETTY : WebSocketClientType.TOMCAT;
	}

	/**
	 * Raw: the container at its defaults, as a user of Spring's STOMP client would create it.
	 */
	static StandardWebSocketClient webSocketClient(String kind) throws Exception {
		WebSocketContainer container;
		if (kind.equals("jetty")) {
			JakartaWebSocketClientContainer jetty = new JakartaWebSocketClientContainer();
			LifeCycle.start(jetty);
			container = jetty;
		}
		else {
			container = new WsWebSocketContainer();
		}
		return new StandardWebSocketClient(container);
	}

	private Map<String, Object> run(int[] counts) throws Exception {
		int max = Arrays.stream(counts).max().getAsInt();
		this.tracker = new Tracker(max);
		URI url = URI.create(this.broker.url());
		boolean managed = this.mode.equals("manager");
		StandardWebSocketClient webSocketClient = null;
		ThreadPoolTaskScheduler scheduler = null;
		CometChatResources shared = null;
		WebSocketStompTransport transport = null;
		WebSocketStompClient rawClient = null;
		H2SessionStore database = null;
		if (managed) {
			if (this.storeKind.equals("jpa") || this.storeKind.equals("jdbc")) {
				database = H2SessionStore.start(this.storeKind);
				this.store = database.store();
			}
			else {
				this.store = new InMemorySessionStore();
			}
			this.manager = newManager(url, DefaultCometChatConnectionManager.DEFAULT_RESTORE_CONCURRENCY,
					this.tracker);
			this.manager.start();
			this.manager.restored().get(30, TimeUnit.SECONDS);
		}
		else {
			webSocketClient = this.mode.equals("ours") ? oursWebSocketClient(this.webSocket)
					: webSocketClient(this.webSocket);
			scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("cometchat-scheduler-");
			scheduler.setPoolSize(2);
			scheduler.setRemoveOnCancelPolicy(true);
			scheduler.setDaemon(true);
			scheduler.initialize();
			ThreadPoolTaskExecutor io = pool("cometchat-io-", 4);
			// Given to every client: without it each would make its own callback pool
			shared = CometChatResources.builder()
				.scheduler(scheduler)
				.loopExecutor(pool("cometchat-loop-", 2))
				.ioExecutor(io)
				.build();
			transport = new WebSocketStompTransport(webSocketClient, scheduler,
					new WebSocketStompTransport.Settings(url, "/", Duration.ofSeconds(10), Duration.ofSeconds(10),
							64 * 1024, Duration.ofSeconds(15), Map.of("app-id", APP_ID)),
					io);
			rawClient = new WebSocketStompClient(webSocketClient);
			rawClient.setTaskScheduler(scheduler);
			rawClient.setDefaultHeartbeat(new long[] { 10_000, 10_000 });
		}

		long baseline = usedHeapAfterGc();
		int baselineThreads = THREADS.getThreadCount();
		List<Object> keep = new ArrayList<>();
		List<Map<String, Object>> steps = new ArrayList<>();
		double connectSecondsTotal = 0;
		int connected = 0;
		for (int target : counts) {
			long started = System.nanoTime();
			Semaphore inFlight = new Semaphore(this.concurrency);
			for (int i = connected; i < target; i++) {
				inFlight.acquire();
				if (this.mode.equals("ours")) {
					keep.add(openOurs(i, url, shared, transport, inFlight));
				}
				else if (managed) {
					loginManaged("s" + i, inFlight, 0);
				}
				else {
					openRaw(i, rawClient, inFlight, keep);
				}
				if (i == 0) {
					// Jetty's client starts its core client lazily, and concurrent first connects fail with
					// "WebSocketCoreClient is not started": open one connection before the others
					awaitConnected(1, Duration.ofSeconds(30));
				}
			}
			awaitConnected(target, Duration.ofMinutes(3));
			double connectSeconds = (System.nanoTime() - started) / 1e9;
			connectSecondsTotal += connectSeconds;
			connected = target;
			Thread.sleep(2000);
			long heap = usedHeapAfterGc();
			Map<String, Object> step = new LinkedHashMap<>();
			step.put("sessions", target);
			step.put("loadAverage", loadAverage());
			step.put("connectSecondsThisStep", Stats.round(connectSeconds));
			step.put("connectSecondsCumulative", Stats.round(connectSecondsTotal));
			step.put("heapBaselineMiB", Stats.round(baseline / 1048576.0));
			step.put("heapMiB", Stats.round(heap / 1048576.0));
			step.put("heapPerSessionKiB", Stats.round((heap - baseline) / 1024.0 / target));
			step.put("threads", THREADS.getThreadCount());
			step.put("threadsBaseline", baselineThreads);
			step.put("idleCpuPercentOfOneCore", Stats.round(idleCpu(Duration.ofSeconds(5))));
			step.put("loginFailures", this.loginFailures.get());
			if (!this.mode.equals("raw")) {
				step.putAll(restart(target));
			}
			if (managed) {
				step.put("statesAfterBrokerRestart", states());
				List<Map<String, Object>> restarts = new ArrayList<>();
				for (int restoreConcurrency : this.restoreConcurrencies) {
					Map<String, Object> restart = restartFromDatabase(url, target, restoreConcurrency);
					System.out.println("sessions " + this.mode + " " + this.webSocket + " " + target
							+ " restart from the database: " + restart);
					restarts.add(restart);
				}
				step.put("restartsFromDatabase", restarts);
				Thread.sleep(2000);
				step.put("heapPerSessionKiBAfterRestartFromDatabase",
						Stats.round((usedHeapAfterGc() - baseline) / 1024.0 / target));
				step.put("threadsAfterRestartFromDatabase", THREADS.getThreadCount());
			}
			System.out.println("sessions " + this.mode + " " + this.webSocket + ": " + step);
			steps.add(step);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("mode", this.mode);
		result.put("webSocketClient", this.webSocket);
		result.put("concurrency", this.concurrency);
		if (managed) {
			result.put("sessionStore", switch (this.storeKind) {
				case "jpa" -> "JpaSessionStore on H2 in memory";
				case "jdbc" -> "JdbcSessionStore on H2 in memory";
				default -> "one InMemorySessionStore for both managers";
			});
		}
		result.put("jvm", Map.of("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576));
		result.put("steps", steps);
		if (this.manager != null) {
			this.manager.close();
		}
		if (database != null) {
			database.close();
		}
		return result;
	}

	private DefaultCometChatClient openOurs(int i, URI url, CometChatResources shared,
			WebSocketStompTransport transport, Semaphore inFlight) {
		DefaultCometChatClient client = CometChatClient.builder()
			.url(url)
			.appId(APP_ID)
			.sessionStore(new InMemorySessionStore())
			.resources(shared)
			.transport(transport)
			.build();
		Tracker clients = this.tracker;
		client.addConnectionListener("bench", new ConnectionListener() {
			@Override
			public void onStateChange(ConnectionStateChange change) {
				clients.onStateChange(i, change);
			}
		});
		client.start();
		login(client, "s" + i, inFlight, 0);
		return client;
	}

	private void login(DefaultCometChatClient client, String uid, Semaphore inFlight, int attempt) {
		client.login(uid, ArtemisBrokerMain.PASSCODE).whenComplete((user, failure) -> {
			if (failure != null && attempt < 5) {
				this.loginFailures.incrementAndGet();
				login(client, uid, inFlight, attempt + 1);
			}
			else {
				inFlight.release();
			}
		});
	}

	/**
	 * A manager as an application without Spring makes it: a builder (the template of every session) with the broker,
	 * the heart-beats of the other rows and the store; the manager creates its resources (threads, one WebSocket
	 * client of the given kind, one transport) and closes them when it closes.
	 */
	private DefaultCometChatConnectionManager newManager(URI url, int restoreConcurrency, Tracker clients) {
		CometChatClientBuilder template = CometChatClient.builder()
			.url(url)
			.appId(APP_ID)
			.heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(10))
			.webSocketClientType(webSocketClientType(this.webSocket))
			.sessionStore(this.store);
		DefaultCometChatConnectionManager manager = new DefaultCometChatConnectionManager(template, null,
				restoreConcurrency, () -> new CometChatClientObserver() {
				});
		manager.addConnectionListener("bench",
				(uid, change) -> clients.onStateChange(Integer.parseInt(uid.substring(1)), change));
		return manager;
	}

	private void loginManaged(String uid, Semaphore inFlight, int attempt) {
		this.manager.login(uid, ArtemisBrokerMain.PASSCODE).whenComplete((client, failure) -> {
			if (failure != null && attempt < 5) {
				this.loginFailures.incrementAndGet();
				System.out.println("login of " + uid + " failed: " + failure);
				loginManaged(uid, inFlight, attempt + 1);
			}
			else {
				inFlight.release();
			}
		});
	}

	/**
	 * An application restart from the database: close the manager (its sessions stay saved), create a new one on the
	 * same store and start it; time until every saved session is CONNECTED again, from {@code start()}.
	 */
	private Map<String, Object> restartFromDatabase(URI url, int target, int restoreConcurrency) throws Exception {
		Map<String, Object> restart = new LinkedHashMap<>();
		restart.put("restoreConcurrency", restoreConcurrency);
		restart.put("loadAverage", loadAverage());
		long closing = System.nanoTime();
		this.manager.close();
		restart.put("closeSeconds", Stats.round((System.nanoTime() - closing) / 1e9));
		restart.put("brokerConnectionsAfterClose", this.broker.connections());
		// The old process's sockets would be gone; let the broker finish closing them before the new one starts
		long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		int left;
		while ((left = this.broker.connections()) > 0 && System.nanoTime() < drainDeadline) {
			Thread.sleep(100);
		}
		restart.put("brokerConnectionsAtStart", left);
		restart.put("savedSessions", this.store.loadAll(APP_ID).size());
		Thread.sleep(1000);
		int threadsBefore = THREADS.getThreadCount();
		THREADS.resetPeakThreadCount();
		Tracker clients = new Tracker(this.tracker.size());
		this.tracker = clients;
		Instant creating = Instant.now();
		this.manager = newManager(url, restoreConcurrency, clients);
		Instant starting = Instant.now();
		this.manager.start();
		CompletableFuture<Void> restored = this.manager.restored();
		long since = micros(starting);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		Instant loaded = null;
		int back;
		while ((back = clients.countAfter(target, since)) < target && System.nanoTime() < deadline) {
			if (loaded == null && restored.isDone()) {
				loaded = Instant.now();
			}
			Thread.sleep(10);
		}
		if (loaded == null) {
			restored.get(10, TimeUnit.SECONDS);
			loaded = Instant.now();
		}
		restart.put("threadsBeforeStart", threadsBefore);
		restart.put("createSeconds", Stats.round(Results.millisBetween(creating, starting) / 1000));
		restart.put("loadedSeconds", Stats.round(Results.millisBetween(starting, loaded) / 1000));
		restart.put("connected", back);
		restart.putAll(clients.summary(target, since, micros(starting), "AfterStart"));
		restart.put("peakThreads", THREADS.getPeakThreadCount());
		restart.put("statesAtEnd", states());
		restart.put("threadsAtEnd", THREADS.getThreadCount());
		restart.put("loginFailures", this.loginFailures.get());
		if (back < target) {
			System.out.println("Only " + back + " of " + target + " CONNECTED 120 s after start(): " + states());
			threadDump();
		}
		Thread.sleep(2000);
		restart.put("statesAfter2s", states());
		return restart;
	}

	private Map<String, Integer> states() {
		Map<String, Integer> states = new LinkedHashMap<>();
		this.manager.countByState().forEach((state, count) -> {
			if (count > 0) {
				states.put(state.name(), count);
			}
		});
		return states;
	}

	private void openRaw(int i, WebSocketStompClient client, Semaphore inFlight, List<Object> keep) {
		StompHeaders connect = new StompHeaders();
		connect.setLogin("s" + i);
		connect.setPasscode(ArtemisBrokerMain.PASSCODE);
		connect.setHost("/");
		Tracker clients = this.tracker;
		client.connectAsync(this.broker.url(), new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
			@Override
			public void afterConnected(StompSession session, StompHeaders headers) {
				session.subscribe("/queue/cometchat.bench.user.s" + i, new StompFrameHandler() {
					@Override
					public Type getPayloadType(StompHeaders headers) {
						return byte[].class;
					}

					@Override
					public void handleFrame(StompHeaders headers, Object payload) {
					}
				});
				clients.connectedNow.incrementAndGet();
			}
		}).whenComplete((session, failure) -> {
			if (failure != null) {
				this.loginFailures.incrementAndGet();
			}
			else {
				synchronized (keep) {
					keep.add(session);
				}
			}
			inFlight.release();
		});
	}

	private Map<String, Object> restart(int target) throws Exception {
		THREADS.resetPeakThreadCount();
		Tracker clients = this.tracker;
		Instant stopRequested = Instant.now();
		Instant stopped = this.broker.stop();
		Instant back = this.broker.start();
		long since = micros(stopRequested);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		int backCount;
		while ((backCount = clients.countAfter(target, since)) < target && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		Map<String, Object> restart = new LinkedHashMap<>();
		restart.put("brokerStopSeconds", Stats.round(Results.millisBetween(stopRequested, stopped) / 1000));
		restart.put("brokerStartSeconds", Stats.round(Results.millisBetween(stopped, back) / 1000));
		restart.put("backAfterRestart", backCount);
		restart.putAll(clients.summary(target, since, micros(back), "AfterBrokerAccepts"));
		restart.put("peakThreadsDuringRestart", THREADS.getPeakThreadCount());
		if (backCount < target) {
			System.out.println("Only " + backCount + " of " + target + " back 120 s after the broker restart");
			threadDump();
		}
		Thread.sleep(2000);
		return restart;
	}

	private void awaitConnected(int target, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.tracker.connectedNow.get() < target) {
			if (System.nanoTime() > deadline) {
				if (this.manager != null) {
					System.out.println("States: " + states());
				}
				threadDump();
				throw new IllegalStateException("Only " + this.tracker.connectedNow.get() + " of " + target
						+ " connected within " + timeout);
			}
			Thread.sleep(20);
		}
	}

	private static void threadDump() {
		StringBuilder dump = new StringBuilder("Thread dump (" + THREADS.getThreadCount() + " threads)\n");
		for (ThreadInfo info : THREADS.dumpAllThreads(false, false, 30)) {
			dump.append(info);
		}
		System.out.println(dump);
	}

	/**
	 * The 1, 5 and 15 minute load averages of the machine (other work on it shows here).
	 */
	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static double idleCpu(Duration window) throws InterruptedException {
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		long cpuBefore = os.getProcessCpuTime();
		long before = System.nanoTime();
		Thread.sleep(window.toMillis());
		return 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - before);
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(300);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static ThreadPoolTaskExecutor pool(String prefix, int threads) {
		ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
		pool.setThreadNamePrefix(prefix);
		pool.setCorePoolSize(threads);
		pool.setMaxPoolSize(threads);
		pool.setDaemon(true);
		pool.initialize();
		return pool;
	}

	private static long micros(Instant instant) {
		return java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, instant);
	}

	/**
	 * When each client (by session number) was last CONNECTED, and how many are CONNECTED now.
	 */
	private static final class Tracker {

		private final AtomicLongArray lastConnectedMicros;

		private final AtomicInteger connectedNow = new AtomicInteger();

		Tracker(int size) {
			this.lastConnectedMicros = new AtomicLongArray(size);
		}

		int size() {
			return this.lastConnectedMicros.length();
		}

		void onStateChange(int i, ConnectionStateChange change) {
			if (change.current() == ConnectionState.CONNECTED) {
				this.lastConnectedMicros.set(i, micros(change.timestamp()));
				this.connectedNow.incrementAndGet();
			}
			else if (change.previous() == ConnectionState.CONNECTED) {
				this.connectedNow.decrementAndGet();
			}
		}

		int countAfter(int target, long since) {
			int count = 0;
			for (int i = 0; i < target; i++) {
				if (this.lastConnectedMicros.get(i) > since) {
					count++;
				}
			}
			return count;
		}

		/**
		 * All back and half back (seconds after {@code reference}) and the most CONNECTED in any 1 s window, over the
		 * clients CONNECTED after {@code since}.
		 */
		Map<String, Object> summary(int target, long since, long reference, String suffix) {
			long[] times = new long[countAfter(target, since)];
			int j = 0;
			long last = 0;
			for (int i = 0; i < target && j < times.length; i++) {
				long at = this.lastConnectedMicros.get(i);
				if (at > since) {
					times[j++] = at;
					last = Math.max(last, at);
				}
			}
			Arrays.sort(times);
			int peak = 0;
			for (int lo = 0, hi = 0; hi < times.length; hi++) {
				while (times[hi] - times[lo] >= 1_000_000) {
					lo++;
				}
				peak = Math.max(peak, hi - lo + 1);
			}
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("allBackSeconds" + suffix,
					(times.length == target) ? Stats.round((last - reference) / 1e6) : Double.NaN);
			summary.put("halfBackSeconds" + suffix,
					(times.length > target / 2) ? Stats.round((times[target / 2] - reference) / 1e6) : Double.NaN);
			summary.put("peakReconnectsPerSecond", peak);
			return summary;
		}

	}

}
