package com.cometchat.spring.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import com.cometchat.spring.session.InMemorySessionStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the shipped WebSocket client (Jetty's) reports when nothing listens on the broker's port, as the reconnect rule
 * that takes an open port after such an attempt for the broker back ({@link ConnectionManager#portClosed}) needs to
 * tell it: a real connect to a closed port of this machine.
 */
class RefusedConnectionTests {

	@Test
	void anAttemptOnAClosedPortIsReportedAsThePortClosed() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		DefaultCometChatClient client = CometChatClient.builder()
			.url(URI.create("ws://127.0.0.1:" + port + "/ws"))
			.appId("refused")
			.sessionStore(new InMemorySessionStore())
			.build();
		client.start();
		try {
			client.login("alice", "alice-token");
			await().atMost(Duration.ofSeconds(20)).until(() -> client.getConnectionSnapshot().lastError() != null);
			CometChatException error = client.getConnectionSnapshot().lastError();
			assertThat(error.getCode()).isEqualTo(ErrorCode.CONNECT_FAILED);
			assertThat(ConnectionManager.portClosed(error)).as("%s", error).isTrue();
		}
		finally {
			client.close();
		}
	}

}
