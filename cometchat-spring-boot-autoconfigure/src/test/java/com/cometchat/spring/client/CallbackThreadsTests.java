package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
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
