package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.client.transport.TransportConnection;
import com.cometchat.spring.client.transport.TransportListener;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.client.transport.WebSocketStompTransport;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.CountingFrontDoor;
import com.cometchat.spring.test.SpringStompBroker;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * connect(), disconnect() and logout() hammered from 8 threads: every call is applied one at a time on the client's
 * loop, the client ends in the state of the last call, and it never has two sockets at once: a socket opens only after
 * the previous one finished its close handshake and was closed: counted at the client's transport and at a TCP front
 * door of the broker, from the broker's answer on each socket ({@link CountingFrontDoor}). (The broker's own WebSocket
 * callbacks cannot count it: Tomcat answers the close handshake before it runs its close callback, so a new session
 * can be announced first.)
 */
class ConcurrentControlTests {

	private static final int THREADS = 8;

	private static final int OPERATIONS = 10_000;

	/**
	 * Counts the sockets of a transport that are open or still closing.
	 */
	static final class CountingTransport implements Transport {

		private final Transport delegate;

		private final AtomicInteger open = new AtomicInteger();

		private final AtomicInteger opened = new AtomicInteger();

		private final AtomicInteger highWaterMark = new AtomicInteger();

		CountingTransport(Transport delegate) {
			this.delegate = delegate;
		}

		@Override
		public TransportConnection open(Credentials credentials, TransportListener listener) {
			this.opened.incrementAndGet();
			this.highWaterMark.accumulateAndGet(this.open.incrementAndGet(), Math::max);
			TransportConnection connection = this.delegate.open(credentials, listener);
			return new TransportConnection() {

				private final AtomicBoolean counted = new AtomicBoolean();

				@Override
				public void subscribe(String id, String destination, Map<String, String> headers) {
					connection.subscribe(id, destination, headers);
				}

				@Override
				public void unsubscribe(String id, Map<String, String> headers) {
					connection.unsubscribe(id, headers);
				}

				@Override
				public CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
						String receiptId) {
					return connection.send(destination, headers, payload, receiptId);
				}

				@Override
				public CompletableFuture<Void> close() {
					return counted(connection.close());
				}

				@Override
				public CompletableFuture<Void> abort() {
					return counted(connection.abort());
				}

				private CompletableFuture<Void> counted(CompletableFuture<Void> closed) {
					return closed.whenComplete((done, failure) -> {
						if (this.counted.compareAndSet(false, true)) {
							CountingTransport.this.open.decrementAndGet();
						}
					});
				}

			};
		}

		int highWaterMark() {
			return this.highWaterMark.get();
		}

		int opened() {
			return this.opened.get();
		}

	}

	private static void awaitQuietly(CompletableFuture<?> call) {
		try {
			call.get(20, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// Failed or superseded by another thread's call: either is fine here
		}
	}

	@Test
	void tenThousandCallsFrom8ThreadsNeverOpenTwoSocketsAndEndInTheLastCallsState() throws Exception {
		try (SpringStompBroker broker = new SpringStompBroker().addUser("alice", "alice-token")) {
			broker.start();
			URI brokerUrl = URI.create(broker.url());
			// Counts the sockets the broker answered on, at its door (see CountingFrontDoor)
			CountingFrontDoor door = new CountingFrontDoor(brokerUrl.getHost(), brokerUrl.getPort());
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.initialize();
			// The WebSocket client the starter ships with
			WebSocketClients.Created webSocket = WebSocketClients.create(WebSocketClientType.AUTO, 64 * 1024, null,
					WebSocketClients.DEFAULT_CONNECT_THREADS);
			CountingTransport transport = new CountingTransport(new WebSocketStompTransport(webSocket.client(),
					scheduler, new WebSocketStompTransport.Settings(URI.create(door.url("/ws")), "/", Duration.ofSeconds(10),
							Duration.ofSeconds(10), 64 * 1024, Duration.ofSeconds(15), Map.of()),
					Executors.newFixedThreadPool(2)));
			DefaultCometChatClient client = CometChatClient.builder()
				.transport(transport)
				.scheduler(scheduler)
				.appId("concurrent")
				.sessionStore(new InMemorySessionStore())
				.build();
			try {
				client.start();
				client.login("alice", "alice-token").get(20, TimeUnit.SECONDS);
				java.util.Queue<CompletableFuture<?>> calls = new java.util.concurrent.ConcurrentLinkedQueue<>();
				ExecutorService threads = Executors.newFixedThreadPool(THREADS);
				List<Future<?>> done = new ArrayList<>();
				for (int thread = 0; thread < THREADS; thread++) {
					done.add(threads.submit(() -> {
						for (int i = 0; i < OPERATIONS / THREADS; i++) {
							CompletableFuture<?> call = switch (ThreadLocalRandom.current().nextInt(5)) {
								case 0, 1 -> client.connect();
								case 2, 3 -> client.disconnect();
								default -> client.logout().thenCompose((out) -> client.login("alice", "alice-token"));
							};
							calls.add(call);
							if (i % 4 == 0) {
								// Now and then let a call finish, so that sockets really open and close
								awaitQuietly(call);
							}
						}
					}));
				}
				for (Future<?> future : done) {
					future.get(60, TimeUnit.SECONDS);
				}
				threads.shutdown();
				// The last calls may still run; each may fail (a newer call won)
				CompletableFuture.allOf(calls.stream()
					.map((call) -> call.handle((result, failure) -> null))
					.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
				client.login("alice", "alice-token").get(20, TimeUnit.SECONDS);
				client.connect().get(20, TimeUnit.SECONDS);
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
				await().atMost(Duration.ofSeconds(20)).until(() -> broker.connectionCount() == 1);
				client.disconnect().get(20, TimeUnit.SECONDS);
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
				await().atMost(Duration.ofSeconds(20)).until(() -> broker.connectionCount() == 0);
				assertThat(transport.highWaterMark()).as("sockets open at once").isEqualTo(1);
				assertThat(door.highWaterMark()).as("sockets open at once at the broker's door").isEqualTo(1);
				assertThat(door.accepted()).as("sockets opened at the broker's door").isGreaterThan(5);
				assertThat(transport.opened()).isGreaterThan(1);
				assertThat(broker.connectAttempts("alice")).isGreaterThan(1);
			}
			finally {
				client.close();
				scheduler.shutdown();
				webSocket.stop().run();
				door.close();
			}
		}
	}

}
