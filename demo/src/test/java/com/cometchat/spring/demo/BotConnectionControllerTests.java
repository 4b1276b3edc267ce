package com.cometchat.spring.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.demo.BotConnectionController.BotConnection;
import com.cometchat.spring.demo.BotConnectionController.Change;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BotConnectionController}: the bot's state and timeline as JSON, manual disconnect and connect
 * through the starter, and a link dropped by the broker that the client restores by itself.
 *
 * @author CometChat
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.datasource.url=jdbc:h2:mem:demo-test")
class BotConnectionControllerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private CometChatClient client;

	private RestTestClient rest;

	@BeforeEach
	void botIsConnected() {
		this.rest = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		await().atMost(TIMEOUT).until(this.client::getConnectionState, ConnectionState.CONNECTED::equals);
	}

	@Test
	void connectionShowsStateModeAndTimeline() {
		BotConnection connection = connection();
		assertThat(connection.uid()).isEqualTo("bot");
		assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(connection.status()).isEqualTo("connected");
		assertThat(connection.autoEstablishSocketConnection()).isTrue();
		assertThat(connection.changes()).isNotEmpty().last().satisfies((change) -> {
			assertThat(change.previous()).isEqualTo(ConnectionState.CONNECTING);
			assertThat(change.current()).isEqualTo(ConnectionState.CONNECTED);
		});
		assertThat(connection.changes().get(0).at()).isAfterOrEqualTo(connection.startedAt());
		assertThat(connection.now()).isAfterOrEqualTo(connection.since());
	}

	@Test
	void disconnectAndConnectChangeTheStateAndTheHealth() {
		try {
			BotConnection disconnected = post("/demo/bot/disconnect", HttpStatus.OK);
			assertThat(disconnected.state()).isEqualTo(ConnectionState.DISCONNECTED);
			// The bot's own state is UNKNOWN to health; the helpers' sockets keep the whole UP
			assertHealth("UP", "DISCONNECTED");
			this.rest.get()
				.uri("/actuator/health/cometchat")
				.exchange()
				.expectBody()
				.jsonPath("$.details.sessions.byState.DISCONNECTED")
				.isEqualTo(1);
		}
		finally {
			BotConnection connected = post("/demo/bot/connect", HttpStatus.OK);
			assertThat(connected.state()).isEqualTo(ConnectionState.CONNECTED);
		}
		assertHealth("UP", "CONNECTED");
	}

	@Test
	void dropLinkReconnectsByItself() {
		Instant before = connection().now();
		BotConnection dropped = post("/demo/bot/drop", HttpStatus.ACCEPTED);
		assertThat(dropped.uid()).isEqualTo("bot");
		await().atMost(TIMEOUT).untilAsserted(() -> {
			BotConnection connection = connection();
			List<Change> changes = connection.changes().stream().filter((change) -> change.at().isAfter(before)).toList();
			assertThat(changes).extracting(Change::current)
				.containsSubsequence(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
			assertThat(changes).filteredOn((change) -> change.current() == ConnectionState.RECONNECTING)
				.first()
				.satisfies((change) -> assertThat(change.reason()).isNotNull()
					.extracting(BotConnectionController.Failure::code)
					.isEqualTo("CONNECTION_LOST"));
			assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(connection.reconnects()).isPositive();
			assertThat(connection.lastError()).isNotNull();
		});
	}

	@Test
	void dropLinkWithoutABotSessionIsAConflict() {
		try {
			post("/demo/bot/disconnect", HttpStatus.OK);
			// The broker sees the close a moment after the client
			await().atMost(TIMEOUT)
				.untilAsserted(() -> this.rest.post()
					.uri("/demo/bot/drop")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.CONFLICT)
					.expectBody()
					.jsonPath("$.detail")
					.value(String.class, (detail) -> assertThat(detail).contains("DISCONNECTED")));
		}
		finally {
			post("/demo/bot/connect", HttpStatus.OK);
		}
	}

	private BotConnection connection() {
		return this.rest.get()
			.uri("/demo/bot/connection")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(BotConnection.class)
			.returnResult()
			.getResponseBody();
	}

	private BotConnection post(String uri, HttpStatus status) {
		return this.rest.post()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(BotConnection.class)
			.returnResult()
			.getResponseBody();
	}

	private void assertHealth(String status, String state) {
		this.rest.get()
			.uri("/actuator/health/cometchat")
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.details.state")
			.isEqualTo(state);
	}

}
