package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.SpringStompBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * connect(), disconnect() and logout() hammered from 8 threads: every call is applied one at a time on the client's
 * loop, the client ends in the state of the last call, and the broker never sees two sockets of the client at once.
 */
class ConcurrentControlTests {

	private static final int THREADS = 8;

	private static final int OPERATIONS = 10_000;

	@Test
	void tenThousandCallsFrom8ThreadsNeverOpenTwoSocketsAndEndInTheLastCallsState() throws Exception {
		try (SpringStompBroker broker = new SpringStompBroker().addUser("alice", "alice-token")) {
			broker.start();
			DefaultCometChatClient client = CometChatClient.builder()
				.url(URI.create(broker.url()))
				.appId("concurrent")
				.sessionStore(new InMemorySessionStore())
				.build();
			try {
				client.start();
				client.login("alice", "alice-token").get(20, TimeUnit.SECONDS);
				broker.sessions().resetHighWaterMark();
				ExecutorService threads = Executors.newFixedThreadPool(THREADS);
				List<Future<?>> done = new ArrayList<>();
				for (int thread = 0; thread < THREADS; thread++) {
					done.add(threads.submit(() -> {
						for (int i = 0; i < OPERATIONS / THREADS; i++) {
							switch (ThreadLocalRandom.current().nextInt(5)) {
								case 0, 1 -> client.connect();
								case 2, 3 -> client.disconnect();
								default -> client.logout().thenCompose((out) -> client.login("alice", "alice-token"));
							}
						}
					}));
				}
				for (Future<?> future : done) {
					future.get(60, TimeUnit.SECONDS);
				}
				threads.shutdown();
				client.login("alice", "alice-token").get(20, TimeUnit.SECONDS);
				client.connect().get(20, TimeUnit.SECONDS);
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
				await().atMost(Duration.ofSeconds(20)).until(() -> broker.connectionCount() == 1);
				client.disconnect().get(20, TimeUnit.SECONDS);
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
				await().atMost(Duration.ofSeconds(20)).until(() -> broker.connectionCount() == 0);
				assertThat(broker.sessions().highWaterMark()).as("sockets open at once at the broker").isEqualTo(1);
				assertThat(broker.connectAttempts("alice")).isGreaterThan(1);
			}
			finally {
				client.close();
			}
		}
	}

}
