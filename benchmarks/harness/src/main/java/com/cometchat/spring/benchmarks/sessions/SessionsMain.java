package com.cometchat.spring.benchmarks.sessions;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.cometchat.spring.benchmarks.Results;
import com.cometchat.spring.benchmarks.Stats;
import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;
import com.cometchat.spring.benchmarks.broker.BrokerProcess;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatResources;
import com.cometchat.spring.client.ConnectionListener;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.client.transport.WebSocketStompTransport;
import com.cometchat.spring.session.InMemorySessionStore;
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
 * <p>Arguments: {@code ours|raw tomcat|jetty 1000,5000,10000 <result.json> <concurrency>}.
 *
 * @author CometChat
 */
public final class SessionsMain {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final String mode;

	private final String webSocket;

	private final int concurrency;

	private final BrokerProcess broker;

	private final AtomicInteger connectedNow = new AtomicInteger();

	private final AtomicInteger loginFailures = new AtomicInteger();

	private AtomicLongArray lastConnectedMicros;

	private SessionsMain(String mode, String webSocket, int concurrency, BrokerProcess broker) {
		this.mode = mode;
		this.webSocket = webSocket;
		this.concurrency = concurrency;
		this.broker = broker;
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		String webSocket = args[1];
		int[] counts = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
		Path output = Path.of(args[3]);
		int concurrency = Integer.parseInt(args[4]);
		Map<String, Object> result;
		try (BrokerProcess broker = BrokerProcess.fork("3g",
				output.resolveSibling("logs").resolve("broker-sessions-" + mode + "-" + webSocket + ".log"))) {
			result = new SessionsMain(mode, webSocket, concurrency, broker).run(counts);
		}
		new Results(output.getParent()).write(output.getFileName().toString(),
				tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(result));
		System.exit(0);
	}

	/**
	 * Ours: the client the builder creates ({@link WebSocketClients}: whole 64 KiB frames, bounded connect pool,
	 * Jetty's core client created before the first connect).
	 */
	static StandardWebSocketClient oursWebSocketClient(String kind) {
		return WebSocketClients.create(kind.equals("jetty") ? WebSocketClientType.JETTY : WebSocketClientType.TOMCAT,
				64 * 1024, null, WebSocketClients.DEFAULT_CONNECT_THREADS).client();
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
		this.lastConnectedMicros = new AtomicLongArray(max);
		URI url = URI.create(this.broker.url());
		StandardWebSocketClient webSocketClient = this.mode.equals("ours") ? oursWebSocketClient(this.webSocket)
				: webSocketClient(this.webSocket);
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("cometchat-scheduler-");
		scheduler.setPoolSize(2);
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setDaemon(true);
		scheduler.initialize();
		ThreadPoolTaskExecutor io = pool("cometchat-io-", 4);
		// Given to every client: without it each would make its own callback pool
		CometChatResources shared = CometChatResources.builder()
			.scheduler(scheduler)
			.loopExecutor(pool("cometchat-loop-", 2))
			.ioExecutor(io)
			.build();
		WebSocketStompTransport transport = new WebSocketStompTransport(webSocketClient, scheduler,
				new WebSocketStompTransport.Settings(url, "/", Duration.ofSeconds(10), Duration.ofSeconds(10),
						64 * 1024, Duration.ofSeconds(15), Map.of("app-id", "bench")),
				io);
		WebSocketStompClient rawClient = new WebSocketStompClient(webSocketClient);
		rawClient.setTaskScheduler(scheduler);
		rawClient.setDefaultHeartbeat(new long[] { 10_000, 10_000 });

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
			step.put("connectSecondsThisStep", Stats.round(connectSeconds));
			step.put("connectSecondsCumulative", Stats.round(connectSecondsTotal));
			step.put("heapBaselineMiB", Stats.round(baseline / 1048576.0));
			step.put("heapMiB", Stats.round(heap / 1048576.0));
			step.put("heapPerSessionKiB", Stats.round((heap - baseline) / 1024.0 / target));
			step.put("threads", THREADS.getThreadCount());
			step.put("threadsBaseline", baselineThreads);
			step.put("idleCpuPercentOfOneCore", Stats.round(idleCpu(Duration.ofSeconds(5))));
			step.put("loginFailures", this.loginFailures.get());
			if (this.mode.equals("ours")) {
				step.putAll(restart(target));
			}
			System.out.println("sessions " + this.mode + " " + this.webSocket + ": " + step);
			steps.add(step);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("mode", this.mode);
		result.put("webSocketClient", this.webSocket);
		result.put("concurrency", this.concurrency);
		result.put("jvm", Map.of("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576));
		result.put("steps", steps);
		return result;
	}

	private DefaultCometChatClient openOurs(int i, URI url, CometChatResources shared,
			WebSocketStompTransport transport, Semaphore inFlight) {
		DefaultCometChatClient client = CometChatClient.builder()
			.url(url)
			.appId("bench")
			.sessionStore(new InMemorySessionStore())
			.resources(shared)
			.transport(transport)
			.build();
		client.addConnectionListener("bench", new ConnectionListener() {
			@Override
			public void onStateChange(ConnectionStateChange change) {
				if (change.current() == ConnectionState.CONNECTED) {
					SessionsMain.this.lastConnectedMicros.set(i, micros(change.timestamp()));
					SessionsMain.this.connectedNow.incrementAndGet();
				}
				else if (change.previous() == ConnectionState.CONNECTED) {
					SessionsMain.this.connectedNow.decrementAndGet();
				}
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

	private void openRaw(int i, WebSocketStompClient client, Semaphore inFlight, List<Object> keep) {
		StompHeaders connect = new StompHeaders();
		connect.setLogin("s" + i);
		connect.setPasscode(ArtemisBrokerMain.PASSCODE);
		connect.setHost("/");
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
				SessionsMain.this.connectedNow.incrementAndGet();
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
		Instant stopRequested = Instant.now();
		Instant stopped = this.broker.stop();
		Instant back = this.broker.start();
		long since = micros(stopRequested);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		int backCount;
		while ((backCount = countAfter(target, since)) < target && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		long[] times = new long[backCount];
		int j = 0;
		long last = 0;
		for (int i = 0; i < target; i++) {
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
		Map<String, Object> restart = new LinkedHashMap<>();
		restart.put("brokerStopSeconds", Stats.round(Results.millisBetween(stopRequested, stopped) / 1000));
		restart.put("brokerStartSeconds", Stats.round(Results.millisBetween(stopped, back) / 1000));
		restart.put("backAfterRestart", backCount);
		restart.put("allBackSecondsAfterBrokerAccepts",
				(backCount == target) ? Stats.round((last - micros(back)) / 1e6) : Double.NaN);
		restart.put("halfBackSecondsAfterBrokerAccepts",
				(times.length > target / 2) ? Stats.round((times[target / 2] - micros(back)) / 1e6) : Double.NaN);
		restart.put("peakReconnectsPerSecond", peak);
		restart.put("peakThreadsDuringRestart", THREADS.getPeakThreadCount());
		Thread.sleep(2000);
		return restart;
	}

	private int countAfter(int target, long since) {
		int count = 0;
		for (int i = 0; i < target; i++) {
			if (this.lastConnectedMicros.get(i) > since) {
				count++;
			}
		}
		return count;
	}

	private void awaitConnected(int target, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.connectedNow.get() < target) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Only " + this.connectedNow.get() + " of " + target + " connected within " + timeout);
			}
			Thread.sleep(20);
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

}
