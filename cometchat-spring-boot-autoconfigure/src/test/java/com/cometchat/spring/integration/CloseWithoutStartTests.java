package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.SpringStompBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client used without {@code start()} (built by hand, logged in, then closed) ends its connection on close, before
 * its threads go (it used to die with them, and its reconnect then met a scheduler already shut down): Spring's broker
 * counts it closed.
 */
class CloseWithoutStartTests {

	@Test
	void closingAClientThatWasNeverStartedClosesItsSocket() throws Exception {
		try (SpringStompBroker broker = new SpringStompBroker()) {
			broker.addUser("alice", "alice-token");
			broker.start();
			DefaultCometChatClient client = CometChatClient.builder()
				.url(URI.create(broker.url()))
				.appId("close")
				.sessionStore(new InMemorySessionStore())
				.build();
			try {
				client.login("alice", "alice-token").get();
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
				await().atMost(Duration.ofSeconds(20)).until(() -> broker.connectionCount() == 1);
			}
			finally {
				client.close();
			}
			assertThat(client.getConnectionState()).as("ended by close(), not left to die with the threads")
				.isEqualTo(ConnectionState.DISCONNECTED);
			await().atMost(Duration.ofSeconds(20)).until(() -> broker.connectionCount() == 0);
		}
	}

}
