package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.MisbehavingStompServer;
import com.cometchat.spring.test.MisbehavingStompServer.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a broker that misbehaves does to the client: each failure is a state change with a precise reason, the
 * client neither crashes nor storms the broker, and frames up to the inbound limit arrive intact on the WebSocket
 * client the starter ships with (Tomcat's, whose default 8 KiB buffers would close the session).
 */
class MisbehavingBrokerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static MisbehavingStompServer server;

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	private DefaultCometChatClient client;

	@BeforeAll
	static void startServer() {
		server = new MisbehavingStompServer();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.close();
		}
		server.behave(Behaviour.NORMAL).messageOnSubscribe("");
	}

	private DefaultCometChatClient connect(boolean awaitConnected) throws Exception {
		return connect(awaitConnected, WebSocketClientType.AUTO);
	}

	private DefaultCometChatClient connect(boolean awaitConnected, WebSocketClientType webSocketClientType)
			throws Exception {
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
		backOff.setMaxInterval(5000);
		this.client = CometChatClient.builder()
			.url(URI.create(server.url()))
			.appId("bad")
			.sessionStore(new InMemorySessionStore())
			.autoEstablishSocketConnection(false)
			.reconnectBackOff(backOff)
			.connectTimeout(Duration.ofSeconds(3))
			.receipts(false)
			.webSocketClientType(webSocketClientType)
			.build();
		this.client.addConnectionListener("changes", this.changes::add);
		this.client.start();
		this.client.login("alice", "token").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		if (awaitConnected) {
			this.client.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		else {
			this.client.connect();
		}
		return this.client;
	}

	private CometChatException firstReason() {
		await().atMost(TIMEOUT).until(() -> this.changes.stream().anyMatch((change) -> change.reason() != null));
		return this.changes.stream().filter((change) -> change.reason() != null).findFirst().orElseThrow().reason();
	}

	/**
	 * A broker that fails every connection the same way gets a few attempts with growing delays, not a storm.
	 */
	private void assertNoStorm() {
		int connections = server.connections();
		// 2 s at 200 ms doubling: at most about 4 attempts; a storm makes hundreds
		await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> server.connections() - connections <= 5);
		assertThat(this.client.getConnectionState()).isIn(ConnectionState.RECONNECTING, ConnectionState.CONNECTING);
	}

	@Test
	void aMalformedFrameIsALostConnectionWithItsReason() throws Exception {
		server.behave(Behaviour.MALFORMED_AFTER_CONNECTED);
		connect(false);
		CometChatException reason = firstReason();
		assertThat(reason.getCode()).isEqualTo(ErrorCode.CONNECTION_LOST);
		assertThat(reason.getMessage()).startsWith("Connection lost: ");
		assertNoStorm();
	}

	@Test
	void anErrorFrameWhileConnectedIsAServerErrorWithItsMessage() throws Exception {
		server.behave(Behaviour.ERROR_AFTER_CONNECTED);
		connect(false);
		CometChatException reason = firstReason();
		assertThat(reason.getCode()).isEqualTo(ErrorCode.SERVER_ERROR);
		assertThat(reason.getMessage()).contains("Queue quota exceeded");
		assertNoStorm();
	}

	@Test
	void closingDuringConnectIsAFailedAttempt() throws Exception {
		server.behave(Behaviour.CLOSE_ON_CONNECT);
		connect(false);
		CometChatException reason = firstReason();
		assertThat(reason.getCode()).isEqualTo(ErrorCode.CONNECT_FAILED);
		assertThat(reason.getMessage()).contains("Connection closed").contains("WebSocket close 1011");
		assertThat(this.changes.get(0).current()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(this.changes.get(1).current()).isEqualTo(ConnectionState.RECONNECTING);
		assertNoStorm();
	}

	static Stream<Arguments> sizesOnEachClient() {
		return Stream.of(WebSocketClientType.JETTY, WebSocketClientType.TOMCAT)
			.flatMap((type) -> Stream.of(1024, 9 * 1024, 63 * 1024).map((size) -> Arguments.of(type, size)));
	}

	@Test
	void subscribesWithClientAcknowledgementAndAcknowledgesWhatItReceived() throws Exception {
		server.frames().clear();
		server.messageOnSubscribe(chatMessage("ack me"));
		List<ChatMessage> received = new CopyOnWriteArrayList<>();
		connect(false).addMessageListener("ack", received::add);
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		assertThat(server.frames()).filteredOn((frame) -> frame.startsWith("SUBSCRIBE"))
			.isNotEmpty()
			.allSatisfy((frame) -> assertThat(frame).contains("\nack:client-individual\n"));
		await().atMost(TIMEOUT)
			.until(() -> server.frames().stream().anyMatch((frame) -> frame.startsWith("ACK\n")));
		assertThat(server.frames()).filteredOn((frame) -> frame.startsWith("ACK\n"))
			.singleElement()
			.satisfies((frame) -> assertThat(frame).contains("\nid:ack-1\n"));
	}

	@Test
	void theStarterShipsJettysClient() {
		assertThat(WebSocketClients.resolve(WebSocketClientType.AUTO)).isEqualTo(WebSocketClientType.JETTY);
	}

	@ParameterizedTest
	@MethodSource("sizesOnEachClient")
	void messagesUpToTheInboundLimitArriveIntact(WebSocketClientType type, int size) throws Exception {
		String text = "x".repeat(size);
		server.messageOnSubscribe(chatMessage(text));
		List<ChatMessage> received = new CopyOnWriteArrayList<>();
		connect(false, type).addMessageListener("size", received::add);
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		assertThat(received.get(0).text()).isEqualTo(text);
		assertThat(this.client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aFrameOverTheInboundLimitIsALostConnectionWithItsReasonOnJetty() throws Exception {
		server.messageOnSubscribe(chatMessage("x".repeat(70 * 1024)));
		connect(false, WebSocketClientType.JETTY);
		CometChatException reason = firstReason();
		assertThat(reason.getCode()).isEqualTo(ErrorCode.CONNECTION_LOST);
		// Jetty's client fails the session with the sizes
		assertThat(reason.getMessage()).contains("MessageTooLargeException", "65,536");
		assertNoStorm();
	}

	@Test
	void aFrameOverTheInboundLimitIsALostConnectionWithItsReasonOnTomcat() throws Exception {
		server.messageOnSubscribe(chatMessage("x".repeat(70 * 1024)));
		connect(false, WebSocketClientType.TOMCAT);
		CometChatException reason = firstReason();
		assertThat(reason.getCode()).isEqualTo(ErrorCode.CONNECTION_LOST);
		// Tomcat's client closes with 1009 (message too big) when a frame overflows its buffer
		assertThat(reason.getMessage()).contains("WebSocket close 1009");
		assertNoStorm();
	}

	private static String chatMessage(String text) {
		return "{\"kind\":\"message\",\"id\":\"big-" + text.length() + "\",\"sender\":\"bob\",\"receiverType\":\"user\","
				+ "\"receiver\":\"alice\",\"type\":\"text\",\"text\":\"" + text + "\",\"sentAt\":\"2026-01-01T00:00:00Z\"}";
	}

}
