package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * User code never runs on the connection loop: listeners and the continuations of the futures a client returns run
 * on the callback executor, so one that blocks, or waits for another call of the client, holds up no connection.
 * Real threads, a scripted transport, virtual time for the timers (none of which fires here).
 */
class CallbackThreadsTests {

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	@Test
	void aContinuationThatWaitsForAnotherCallOfTheClientDoesNotDeadlockIt() throws Exception {
		ExecutorService loop = Executors.newSingleThreadExecutor((task) -> new Thread(task, "test-loop"));
		try (CometChatResources resources = CometChatResources.builder()
			.scheduler(this.scheduler)
			.loopExecutor(loop)
			.build()) {
			DefaultCometChatClient client = CometChatClient.builder()
				.resources(resources)
				.transport(this.transport)
				.appId("app")
				.autoEstablishSocketConnection(false)
				.sessionStore(new InMemorySessionStore())
				.build();
			client.login("alice", "alice-token").get(5, TimeUnit.SECONDS);
			CompletableFuture<Map<String, String>> subscriptions = client.connect()
				.thenApply((connected) -> client.getSubscriptions().join());
			await().until(() -> this.transport.opened() == 1);
			this.transport.last().connected();
			assertThat(subscriptions.get(5, TimeUnit.SECONDS)).containsKey("cometchat-app-alice-user");
		}
		finally {
			loop.shutdownNow();
		}
	}

	@Test
	void listenersThatBlockAndContinuationsThatWaitDelayNoOtherClientsReconnect() throws Exception {
		int clients = 100;
		CountDownLatch release = new CountDownLatch(1);
		try (CometChatResources resources = CometChatResources.builder().scheduler(this.scheduler).build()) {
			List<DefaultCometChatClient> all = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				DefaultCometChatClient client = CometChatClient.builder()
					.resources(resources)
					.transport(this.transport)
					.appId("app-" + i)
					.sessionStore(new InMemorySessionStore())
					.build();
				all.add(client);
			}
			// Two listeners block on every state change after the first connect, as a listener calling a slow service
			// would; a continuation waits for another call
			for (int i = 0; i < 2; i++) {
				all.get(i).addConnectionListener("slow", (change) -> {
					if (change.current() == ConnectionState.RECONNECTING) {
						awaitQuietly(release);
					}
				});
			}
			List<CompletableFuture<CometChatUser>> logins = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				logins.add(all.get(i).login("user-" + i, "token-" + i));
			}
			Set<ScriptedTransport.Connection> answered = ConcurrentHashMap.newKeySet();
			answerEveryNewConnection(answered, clients);
			CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
			CompletableFuture<Integer> waiting = all.get(2).connect()
				.thenApply((connected) -> all.get(3).getPendingSends().join());
			// Every socket drops: each client retries at once
			List<ScriptedTransport.Connection> first = new ArrayList<>(this.transport.connections());
			first.forEach(ScriptedTransport.Connection::dropped);
			answerEveryNewConnection(answered, 2 * clients);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> all.stream().allMatch((client) -> client.getConnectionState() == ConnectionState.CONNECTED));
			assertThat(release.getCount()).as("the slow listeners are still blocked").isOne();
			assertThat(waiting.get(20, TimeUnit.SECONDS)).isZero();
			release.countDown();
			all.forEach(DefaultCometChatClient::close);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aSendItsCallerWroteIsReturnedCompleteAndAnyOtherCompletesOnTheCallbackExecutor() throws Exception {
		ExecutorService loop = Executors.newSingleThreadExecutor((task) -> new Thread(task, "test-loop"));
		ExecutorService callbacks = Executors.newSingleThreadExecutor((task) -> new Thread(task, "test-callbacks"));
		// Written and settled on the calling thread, as by a connection whose writer was idle; or held for a writer
		// thread, run after the call returned
		BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
		ScriptedTransport byCaller = new ScriptedTransport();
		ScriptedTransport byWriter = new ScriptedTransport(held::add);
		try (CometChatResources resources = CometChatResources.builder()
			.scheduler(this.scheduler)
			.loopExecutor(loop)
			.callbackExecutor(callbacks)
			.build()) {
			for (ScriptedTransport transport : List.of(byCaller, byWriter)) {
				for (boolean receipts : List.of(false, true)) {
					String scenario = ((transport == byCaller) ? "written by the caller" : "written by a writer")
							+ ((receipts) ? ", with a receipt" : ", without a receipt");
					DefaultCometChatClient client = CometChatClient.builder()
						.resources(resources)
						.transport(transport)
						.appId("app")
						.receipts(receipts)
						.sessionStore(new InMemorySessionStore())
						.build();
					int opened = transport.opened();
					CompletableFuture<CometChatUser> login = client.login("alice", "alice-token");
					await().until(() -> transport.opened() == opened + 1);
					transport.last().connected();
					login.get(5, TimeUnit.SECONDS);
					// The callback thread is kept busy meanwhile: a future relayed to it cannot complete before the
					// gate opens
					CountDownLatch gate = new CountDownLatch(1);
					callbacks.execute(() -> awaitQuietly(gate));
					CompletableFuture<SentMessage> sent = client
						.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "hi"));
					if (transport == byCaller && !receipts) {
						assertThat(sent).as(scenario).isDone();
						assertThat(sent.thenApply((done) -> Thread.currentThread().getName()).join()).as(scenario)
							.isEqualTo(Thread.currentThread().getName());
						gate.countDown();
					}
					else {
						assertThat(sent).as(scenario).isNotDone();
						CompletableFuture<String> continuation = sent
							.thenApply((done) -> Thread.currentThread().getName());
						gate.countDown();
						if (receipts) {
							await().until(() -> hi(transport) != null);
							hi(transport).receipt();
						}
						else {
							Thread writer = new Thread(() -> {
								for (Runnable write = held.poll(); write != null; write = held.poll()) {
									write.run();
								}
							}, "test-writer");
							writer.start();
							writer.join();
						}
						assertThat(continuation.get(5, TimeUnit.SECONDS)).as(scenario).isEqualTo("test-callbacks");
					}
					client.close();
				}
			}
		}
		finally {
			loop.shutdownNow();
			callbacks.shutdownNow();
		}
	}

	private static ScriptedTransport.@Nullable Frame hi(ScriptedTransport transport) {
		return transport.last()
			.sends()
			.stream()
			.filter((frame) -> frame.body().contains("\"text\":\"hi\""))
			.findFirst()
			.orElse(null);
	}

	private void answerEveryNewConnection(Set<ScriptedTransport.Connection> answered, int total) {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (ScriptedTransport.Connection connection : this.transport.connections()) {
				if (answered.add(connection)) {
					connection.connected();
				}
			}
			return answered.size() >= total;
		});
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
