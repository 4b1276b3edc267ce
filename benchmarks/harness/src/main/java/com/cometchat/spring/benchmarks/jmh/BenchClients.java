package com.cometchat.spring.benchmarks.jmh;

import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatClientBuilder;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.session.InMemorySessionStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Clients for the JMH benchmarks: ours with its defaults (receipts as given), and the raw Spring client with a
 * {@code TaskScheduler} (needed for receipts; it also gives the same 10 s heart-beats as ours), sending the same
 * bytes with the same headers.
 *
 * @author CometChat
 */
final class BenchClients {

	static final String TEXT = "benchmark message, about as long as a short chat line";

	private BenchClients() {
	}

	static String url() {
		String url = System.getProperty("bench.url");
		if (url == null) {
			throw new IllegalStateException("-Dbench.url=ws://127.0.0.1:<port>/ws is required");
		}
		return url;
	}

	static DefaultCometChatClient ours(String uid, boolean receipts) throws Exception {
		CometChatClientBuilder builder = CometChatClient.builder()
			.url(URI.create(url()))
			.appId("bench")
			.sessionStore(new InMemorySessionStore())
			.receipts(receipts);
		// An A/B of the ACK delay without a rebuild: BENCH_JMH_JVM_ARGS=-Dbench.acknowledge-delay-micros=0
		String acknowledgeDelay = System.getProperty("bench.acknowledge-delay-micros");
		if (acknowledgeDelay != null) {
			builder.acknowledgeDelay(Duration.ofNanos(Long.parseLong(acknowledgeDelay) * 1000));
		}
		// An experiment on the hand-off to the callback threads: BENCH_JMH_JVM_ARGS=-Dbench.callback-executor=direct
		// (listeners on the thread that read the frame, which the product does not allow) or spin<micros>
		Executor callbacks = callbackExecutor(System.getProperty("bench.callback-executor"));
		if (callbacks != null) {
			builder.callbackExecutor(callbacks);
		}
		DefaultCometChatClient client = builder.build();
		client.start();
		client.login(uid, ArtemisBrokerMain.PASSCODE).get(30, TimeUnit.SECONDS);
		return client;
	}

	/**
	 * The callback executor of an experiment, shared by all of ours' clients in the JVM as the default pool is, or
	 * {@code null} for the default: {@code direct} runs the listeners on the thread that read the frame (what the
	 * product must not do, DESIGN §11: the bound of what the hand-off costs), {@code spin<micros>} hands them to one
	 * thread that spins that long for the next task before it parks.
	 */
	private static synchronized @Nullable Executor callbackExecutor(@Nullable String experiment) {
		if (experiment == null) {
			return null;
		}
		if (experiment.equals("direct")) {
			return Runnable::run;
		}
		if (experiment.startsWith("spin")) {
			if (spinning == null) {
				spinning = new SpinningExecutor(TimeUnit.MICROSECONDS.toNanos(Long.parseLong(experiment.substring(4))));
			}
			return spinning;
		}
		throw new IllegalArgumentException("-Dbench.callback-executor=" + experiment + ": direct or spin<micros>");
	}

	private static @Nullable SpinningExecutor spinning;

	/**
	 * One thread that runs the tasks in order and, once out of them, spins for the next one for a while before it
	 * parks: the thread that hands a task over then finds it awake, at the cost of a core while it spins.
	 */
	private static final class SpinningExecutor implements Executor {

		private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

		private final Thread worker;

		private volatile boolean parked;

		SpinningExecutor(long spinNanos) {
			this.worker = new Thread(() -> {
				while (true) {
					Runnable task = this.tasks.poll();
					if (task != null) {
						task.run();
						continue;
					}
					for (long end = System.nanoTime() + spinNanos; this.tasks.isEmpty()
							&& System.nanoTime() - end < 0;) {
						Thread.onSpinWait();
					}
					if (this.tasks.isEmpty()) {
						this.parked = true;
						if (this.tasks.isEmpty()) {
							LockSupport.park(this);
						}
						this.parked = false;
					}
				}
			}, "bench-spinning-callback");
			this.worker.setDaemon(true);
			this.worker.start();
		}

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
			if (this.parked) {
				LockSupport.unpark(this.worker);
			}
		}

	}

	/**
	 * Raw's WebSocket client: by default what {@code new StandardWebSocketClient()} gives (the container
	 * {@code ContainerProvider} finds first on the class path: Tomcat's here); with {@code -Dbench.raw.websocket=jetty}
	 * Jetty's, the library ours ships with, to compare our code with raw on the same library.
	 */
	static jakarta.websocket.WebSocketContainer container() {
		if (!"jetty".equals(System.getProperty("bench.raw.websocket"))) {
			return jakarta.websocket.ContainerProvider.getWebSocketContainer();
		}
		org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer container =
				new org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer();
		org.eclipse.jetty.util.component.LifeCycle.start(container);
		return container;
	}

	static final class Raw implements AutoCloseable {

		final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

		final jakarta.websocket.WebSocketContainer container = container();

		final WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient(this.container));

		final StompSession session;

		Raw(String uid) throws Exception {
			this(uid, url());
		}

		Raw(String uid, String url) throws Exception {
			this.scheduler.setThreadNamePrefix("raw-scheduler-");
			this.scheduler.setDaemon(true);
			this.scheduler.initialize();
			this.client.setTaskScheduler(this.scheduler);
			StompHeaders connect = new StompHeaders();
			connect.setLogin(uid);
			connect.setPasscode(ArtemisBrokerMain.PASSCODE);
			connect.setHost("/");
			this.session = this.client
				.connectAsync(url, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
				})
				.get(30, TimeUnit.SECONDS);
		}

		void subscribe(String destination, Consumer<byte[]> handler) {
			this.session.subscribe(destination, new StompFrameHandler() {
				@Override
				public Type getPayloadType(StompHeaders headers) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders headers, Object payload) {
					handler.accept((byte[]) payload);
				}
			});
		}

		/**
		 * Subscribe as ours does, {@code ack:client-individual}, and acknowledge each message once handled, on the
		 * thread that received it, as an application on the raw client would.
		 */
		void subscribeAcknowledged(String destination, Consumer<byte[]> handler) {
			StompHeaders subscribe = new StompHeaders();
			subscribe.setDestination(destination);
			subscribe.setAck("client-individual");
			this.session.subscribe(subscribe, new StompFrameHandler() {
				@Override
				public Type getPayloadType(StompHeaders headers) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders headers, Object payload) {
					handler.accept((byte[]) payload);
					Raw.this.session.acknowledge(headers.getAck(), true);
				}
			});
		}

		@Override
		public void close() {
			try {
				this.session.disconnect();
			}
			catch (RuntimeException ex) {
				// closing anyway
			}
			this.client.stop();
			this.scheduler.shutdown();
			if (this.container instanceof org.eclipse.jetty.util.component.LifeCycle jetty) {
				org.eclipse.jetty.util.component.LifeCycle.stop(jetty);
			}
		}

	}

	/**
	 * Headers as ours sends them (message id, content type, persistent).
	 */
	static StompHeaders rawHeaders(String destination, String id) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.set("cometchat-message-id", id);
		headers.set("content-type", "application/json");
		headers.set("persistent", "true");
		return headers;
	}

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/**
	 * Decode a body as an application on the raw client would.
	 */
	static Map<?, ?> decode(byte[] body) {
		return MAPPER.readValue(body, Map.class);
	}

	/**
	 * A JSON body of the same shape and size as the one ours writes for a text message, written per message as an
	 * application on the raw client would (one shared mapper).
	 */
	static byte[] payload(String id, String sender, String receiverType, String receiver) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("sender", sender);
		body.put("receiverType", receiverType);
		body.put("receiver", receiver);
		body.put("type", "text");
		body.put("text", TEXT);
		body.put("sentAt", Instant.now().toString());
		return MAPPER.writeValueAsBytes(body);
	}

	/**
	 * A text message in the JSON ours writes and reads ({@code kind} first), so that ours and raw receive the same
	 * bytes.
	 */
	static byte[] chatBody(String id, String sender, String receiverType, String receiver) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("kind", "message");
		body.put("id", id);
		body.put("sender", sender);
		body.put("receiverType", receiverType);
		body.put("receiver", receiver);
		body.put("type", "text");
		body.put("text", TEXT);
		body.put("sentAt", Instant.now().toString());
		return MAPPER.writeValueAsBytes(body);
	}

}
