package com.cometchat.spring.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DemoBot}: a plain STOMP client, speaking the starter's JSON format as the demo page does, chats
 * with the bot directly and in the group, and hears everything the bot sends: read receipts, typing and answers.
 *
 * @author CometChat
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.datasource.url=jdbc:h2:mem:demo-test")
class DemoBotTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String INBOX = "/queue/cometchat.demo.user.";

	private static final String GROUP = "/topic/cometchat.demo.group.lobby";

	private final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();

	@LocalServerPort
	private int port;

	@Autowired
	private CometChatClient client;

	private StompUser alice;

	@BeforeEach
	void aliceConnects() throws Exception {
		await().atMost(TIMEOUT).until(this.client::getConnectionState, ConnectionState.CONNECTED::equals);
		await().atMost(TIMEOUT).until(() -> this.client.getJoinedGroups().contains("lobby"));
		this.alice = new StompUser(this.port, "alice", "alice-token");
		this.alice.subscribe(INBOX + "alice", (headers, body) -> this.received.add(body));
		this.alice.subscribe(GROUP, (headers, body) -> this.received.add(body));
	}

	@AfterEach
	void aliceDisconnects() {
		if (this.alice != null) {
			this.alice.close();
		}
	}

	@Test
	void botEchoesADirectMessage() throws Exception {
		send(INBOX + "bot", "user", "bot", "Hello bot");
		Map<String, Object> reply = awaitMessageFrom("bot");
		assertThat(reply).containsEntry("kind", "message")
			.containsEntry("v", 1)
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

	@Test
	void botMarksADirectMessageReadAndTypesBeforeItAnswersThenStopsTyping() throws Exception {
		String id = send(INBOX + "bot", "user", "bot", "Hello bot");
		assertThat(botEventsFrom(id)).containsExactly("receipt read " + id + " of user:bot by bot",
				"typing started by bot to user:alice", "message by bot to user:alice: Echo: Hello bot",
				"typing ended by bot to user:alice");
	}

	@Test
	void botMarksAGroupMessageReadAndTypesInTheGroupBeforeItAnswersThenStopsTyping() throws Exception {
		String id = send(GROUP, "group", "lobby", "Hello everyone");
		assertThat(botEventsFrom(id)).containsExactly("receipt read " + id + " of group:lobby by bot",
				"typing started by bot to group:lobby", "message by bot to group:lobby: alice said: Hello everyone",
				"typing ended by bot to group:lobby");
	}

	@Test
	void theBrokerStampsWhoSentEachMessageWhateverTheClientWrote() throws Exception {
		List<String> stamps = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.alice.subscribe(GROUP, (headers, body) -> {
			if ("message".equals(body.get("kind"))) {
				stamps.add(headers.getFirst("user-id") + " sent " + body.get("sender"));
			}
		});
		// The broker registers the SUBSCRIBE on its own time: send (again) until alice's own message comes back
		await().atMost(TIMEOUT).until(() -> {
			StompHeaders headers = new StompHeaders();
			headers.setDestination(GROUP);
			headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
			headers.set("user-id", "bot");
			this.alice.send(headers, Map.of("kind", "message", "v", 1, "id", UUID.randomUUID().toString(), "sender",
					"alice", "receiverType", "group", "receiver", "lobby", "type", "text", "text", "Hello", "sentAt",
					Instant.now().toString()));
			return stamps.contains("alice sent alice");
		});
		await().atMost(TIMEOUT).until(() -> stamps.contains("bot sent bot"));
		assertThat(stamps).as("a forged user-id never reaches a subscriber").doesNotContain("bot sent alice");
	}

	/**
	 * Send a text message in the starter's format (docs/protocol.md), as the demo page does.
	 * @return the id of the message
	 */
	private String send(String destination, String receiverType, String receiver, String text) {
		String id = UUID.randomUUID().toString();
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("kind", "message");
		message.put("v", 1);
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
		this.alice.send(headers, message);
		return id;
	}

	/**
	 * Wait for the next message from a sender; the group also delivers alice's own message back to her.
	 */
	private Map<String, Object> awaitMessageFrom(String sender) throws InterruptedException {
		Map<String, Object> body;
		do {
			body = awaitBodyFrom(sender);
		}
		while (!"message".equals(body.get("kind")));
		return body;
	}

	/**
	 * What the bot sends alice about a message of hers, in the order she gets it: from its read receipt to the end of
	 * its typing, as text.
	 */
	private List<String> botEventsFrom(String messageId) throws InterruptedException {
		Map<String, Object> body;
		do {
			body = awaitBodyFrom("bot");
		}
		while (!("receipt".equals(body.get("kind")) && messageId.equals(body.get("messageId"))));
		List<String> events = new ArrayList<>();
		events.add(describe(body));
		do {
			body = awaitBodyFrom("bot");
			events.add(describe(body));
		}
		while (!("typing".equals(body.get("kind")) && "ended".equals(body.get("status"))));
		return events;
	}

	private static String describe(Map<String, Object> body) {
		String to = body.get("receiverType") + ":" + body.get("receiver");
		return switch ((String) body.get("kind")) {
			case "receipt" -> "receipt " + body.get("receipt") + " " + body.get("messageId") + " of " + to + " by "
					+ body.get("sender");
			case "typing" -> "typing " + body.get("status") + " by " + body.get("sender") + " to " + to;
			case "message" -> "message by " + body.get("sender") + " to " + to + ": " + body.get("text");
			default -> body.toString();
		};
	}

	/**
	 * Wait for the next body from a sender, of any kind.
	 */
	private Map<String, Object> awaitBodyFrom(String sender) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> body = this.received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (body != null && sender.equals(body.get("sender"))) {
				return body;
			}
		}
		throw new AssertionError("Nothing from '" + sender + "' within " + TIMEOUT + "; alice's session "
				+ (this.alice.isConnected() ? "is connected" : "is closed") + ", problems: " + this.alice.problems());
	}

}
