package com.cometchat.spring.test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.session.InMemorySessionStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link RabbitMqStompBroker} offers beyond a {@link TestBroker}, against the machine's RabbitMQ ({@code -Pit}):
 * the pids of a user's Web-STOMP connections, a watcher told of each one in order, and a close from the broker's side
 * that reaches a Web-STOMP connection (which {@code rabbitmqctl close_connection} does not).
 */
class RabbitMqStompBrokerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void forceCloseDropsAWebStompConnectionAndTheWatcherSeesItCloseAndTheNextOneOpen() throws Exception {
		String uid = "fixture-" + UUID.randomUUID().toString().substring(0, 6);
		String token = "fixture-token-" + UUID.randomUUID();
		try (RabbitMqStompBroker broker = new RabbitMqStompBroker()) {
			broker.start();
			broker.addUser(uid, token);
			List<String> watched = new CopyOnWriteArrayList<>();
			broker.watchConnections((user, pid, open) -> {
				if (user.equals(uid)) {
					watched.add((open ? "opened " : "closed ") + pid);
				}
			});
			StateRecorder states = new StateRecorder();
			try (DefaultCometChatClient client = CometChatClient.builder()
				.url(URI.create(RabbitMqStompBroker.URL))
				.appId("fixture")
				.sessionStore(new InMemorySessionStore())
				.build()) {
				client.addConnectionListener("test", states);
				client.start();
				client.login(uid, token).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				List<String> first = broker.connectionPids(uid);
				assertThat(first).hasSize(1);
				broker.forceClose(first.get(0));
				await().atMost(TIMEOUT).until(() -> states.changes()
					.stream()
					.anyMatch((change) -> change.current() == ConnectionState.RECONNECTING));
				await().atMost(TIMEOUT)
					.until(() -> client.getConnectionState() == ConnectionState.CONNECTED
							&& broker.connectionPids(uid).size() == 1 && !broker.connectionPids(uid).equals(first));
				ConnectionStateChange drop = states.changes()
					.stream()
					.filter((change) -> change.current() == ConnectionState.RECONNECTING)
					.findFirst()
					.orElseThrow();
				assertThat(drop.reason()).isNotNull();
				assertThat(drop.reason().getMessage()).contains("WebSocket close 1000: STOMP died");
				assertThat(watched).containsExactly("opened " + first.get(0), "closed " + first.get(0),
						"opened " + broker.connectionPids(uid).get(0));
			}
			finally {
				broker.deleteQueue("cometchat.fixture.user." + uid);
			}
		}
	}

}
