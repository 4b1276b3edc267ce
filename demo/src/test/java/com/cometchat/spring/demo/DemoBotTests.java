package com.cometchat.spring.demo;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DemoBot}: a plain STOMP client, speaking the starter's JSON format as the demo page does, chats
 * with the bot directly and in the group.
 *
 * @author CometChat
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.datasource.url=jdbc:h2:mem:demo-test")
class DemoBotTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String INBOX = "/queue/cometchat.demo.user.";

	private static final String GROUP = "/topic/cometchat.demo.group.lobby";

	private final JsonMapper json = JsonMapper.builder().build();

	private final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();

	@LocalServerPort
	private int port;

	@Autowired
	private CometChatClient client;

	private WebSocketStompClient stompClient;

	private StompSession alice;

	@BeforeEach
	void aliceConnects() throws Exception {
		await().atMost(TIMEOUT).until(this.client::getConnectionState, ConnectionState.CONNECTED::equals);
		await().atMost(TIMEOUT).until(() -> this.client.getJoinedGroups().contains("lobby"));
		this.stompClient = new WebSocketStompClient(new StandardWebSocketClient());
		StompHeaders connect = new StompHeaders();
		connect.setLogin("alice");
		connect.setPasscode("alice-token");
		this.alice = this.stompClient
			.connectAsync("ws://localhost:" + this.port + "/ws", new WebSocketHttpHeaders(), connect,
					new StompSessionHandlerAdapter() {
			})
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		this.alice.subscribe(INBOX + "alice", new Receiver());
		this.alice.subscribe(GROUP, new Receiver());
	}

	@AfterEach
	void aliceDisconnects() {
		if (this.alice != null) {
			this.alice.disconnect();
		}
		this.stompClient.stop();
	}

	@Test
	void botEchoesADirectMessage() throws Exception {
		send(INBOX + "bot", "user", "bot", "Hello bot");
		Map<String, Object> reply = awaitMessageFrom("bot");
		assertThat(reply).containsEntry("kind", "message")
			.containsEntry("receiverType", "user")
			.containsEntry("receiver", "alice")
			.containsEntry("type", "text")
			.containsEntry("text", "Echo: Hello bot");
	}

	@Test
	void botAnswersInTheGroup() throws Exception {
		send(GROUP, "group", "lobby", "Hello everyone");
		Map<String, Object> reply = awaitMessageFrom("bot");
		assertThat(reply).containsEntry("receiverType", "group")
			.containsEntry("receiver", "lobby")
			.containsEntry("text", "alice said: Hello everyone");
	}

	/**
	 * Send a text message in the starter's format (see {@code MessageCodec}), as the demo page does.
	 */
	private void send(String destination, String receiverType, String receiver, String text) {
		String id = UUID.randomUUID().toString();
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("kind", "message");
		message.put("id", id);
		message.put("sender", "alice");
		message.put("receiverType", receiverType);
		message.put("receiver", receiver);
		message.put("type", "text");
		message.put("text", text);
		message.put("sentAt", Instant.now().toString());
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		headers.set("cometchat-message-id", id);
		this.alice.send(headers, this.json.writeValueAsBytes(message));
	}

	/**
	 * Wait for the next message from a sender; the group also delivers alice's own message back to her.
	 */
	private Map<String, Object> awaitMessageFrom(String sender) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> message = this.received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (message != null && sender.equals(message.get("sender"))) {
				return message;
			}
		}
		throw new AssertionError("No message from '" + sender + "' within " + TIMEOUT);
	}

	private final class Receiver implements StompFrameHandler {

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		@SuppressWarnings("unchecked")
		public void handleFrame(StompHeaders headers, Object payload) {
			DemoBotTests.this.received.add(DemoBotTests.this.json.readValue((byte[]) payload, Map.class));
		}

	}

}
