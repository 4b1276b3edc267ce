package com.cometchat.spring.integration;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatClientBuilder;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.GroupListener;
import com.cometchat.spring.client.GroupMemberEvent;
import com.cometchat.spring.client.MessageEdit;
import com.cometchat.spring.client.MessageListener;
import com.cometchat.spring.client.MessageReaction;
import com.cometchat.spring.client.MessageReceipt;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.SentMessage;
import com.cometchat.spring.client.TransientMessage;
import com.cometchat.spring.client.TypingIndicator;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.TestBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages between clients built with the builder, through a real broker: round trips, groups, and subscriptions
 * that stay exact across reconnects. Subclasses supply the broker.
 */
abstract class AbstractMessagingIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static TestBroker broker;

	private final List<DefaultCometChatClient> clients = new ArrayList<>();

	final String run = UUID.randomUUID().toString().substring(0, 6);

	/** The users {@link #connect} made, on each broker (a second client of one user logs in as the same). */
	private final java.util.Set<java.util.Map.Entry<TestBroker, String>> users = new java.util.HashSet<>();

	/** The users {@link #publishAs} made. */
	private final java.util.Set<String> publishers = new java.util.HashSet<>();

	abstract TestBroker createBroker();

	TestBroker broker() {
		return broker;
	}

	@BeforeEach
	void startBroker() {
		if (broker == null) {
			broker = createBroker();
		}
		broker.start();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(DefaultCometChatClient::close);
	}

	@AfterAll
	static void closeBroker() {
		if (broker != null) {
			broker.close();
			broker = null;
		}
	}

	String uid(String name) {
		return name + "-" + this.run;
	}

	DefaultCometChatClient connect(TestBroker broker, String name, Consumer<CometChatClientBuilder> customizer)
			throws Exception {
		return connect(broker, name, customizer, (client) -> {
		});
	}

	/**
	 * Connect a client as the given user, after {@code beforeLogin} set it up (a listener that must not miss what the
	 * broker delivers right after the login, for example).
	 */
	DefaultCometChatClient connect(TestBroker broker, String name, Consumer<CometChatClientBuilder> customizer,
			Consumer<DefaultCometChatClient> beforeLogin) throws Exception {
		String uid = uid(name);
		if (this.users.add(java.util.Map.entry(broker, uid))) {
			broker.addUser(uid, uid + "-token");
		}
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2.0);
		backOff.setMaxInterval(1000);
		CometChatClientBuilder builder = CometChatClient.builder()
			.url(URI.create(broker.url()))
			.appId("it")
			.sessionStore(new InMemorySessionStore())
			.reconnectBackOff(backOff)
			.connectTimeout(Duration.ofSeconds(5));
		customizer.accept(builder);
		DefaultCometChatClient client = builder.build();
		this.clients.add(client);
		beforeLogin.accept(client);
		client.start();
		client.login(uid, uid + "-token").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		return client;
	}

	DefaultCometChatClient connect(String name) throws Exception {
		return connect(broker, name, (builder) -> {
		});
	}

	static Inbox inbox(CometChatClient client) {
		Inbox inbox = new Inbox();
		client.addMessageListener("inbox", inbox::add);
		return inbox;
	}

	static void awaitConnected(CometChatClient... clients) {
		await().atMost(TIMEOUT).until(() -> {
			for (CometChatClient client : clients) {
				if (client.getConnectionState() != ConnectionState.CONNECTED) {
					return false;
				}
			}
			return true;
		});
	}

	@Test
	void userMessagesRoundTrip() throws Exception {
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect("bob");
		Inbox bobs = inbox(bob);
		SentMessage sent = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "hello bob"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == 1);
		ChatMessage received = bobs.messages().get(0);
		assertThat(received.id()).isEqualTo(sent.id());
		assertThat(received.sender()).isEqualTo(uid("alice"));
		assertThat(received.receiverType()).isEqualTo(ReceiverType.USER);
		assertThat(received.text()).isEqualTo("hello bob");
	}

	@Test
	void groupMessagesReachEveryMemberButNotTheSender() throws Exception {
		String group = "g-" + this.run;
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect("bob");
		DefaultCometChatClient carol = connect("carol");
		Inbox alices = inbox(alice);
		Inbox bobs = inbox(bob);
		Inbox carols = inbox(carol);
		for (DefaultCometChatClient member : List.of(alice, bob, carol)) {
			member.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		await().atMost(TIMEOUT).until(() -> broker.subscriptions(uid("carol")).size() == 2);
		alice.sendMessage(OutgoingMessage.custom(ReceiverType.GROUP, group, "location", Map.of("lat", 52.5)))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == 1 && carols.messages().size() == 1);
		assertThat(bobs.messages().get(0).customType()).isEqualTo("location");
		assertThat(bobs.messages().get(0).data()).containsEntry("lat", 52.5);
		assertThat(carols.messages().get(0).receiver()).isEqualTo(group);
		bob.leaveGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker.subscriptions(uid("bob")).size() == 1);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "second"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> carols.messages().size() == 2);
		assertThat(bobs.messages()).hasSize(1);
		assertThat(alices.messages()).as("no echo of one's own group message").isEmpty();
	}

	@Test
	void subscriptionsOnTheBrokerStayExactAfter20Reconnects() throws Exception {
		String group = "g-" + this.run;
		DefaultCometChatClient bob = connect("bob");
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		int wanted = bob.getSubscriptions().get().size();
		assertThat(wanted).isEqualTo(2);
		await().atMost(TIMEOUT).until(() -> broker.subscriptions(uid("bob")).size() == wanted);
		for (int i = 0; i < 20; i++) {
			broker.dropConnections();
			await().atMost(TIMEOUT)
				.until(() -> bob.getConnectionState() == ConnectionState.CONNECTED
						&& broker.subscriptions(uid("bob")).size() == wanted);
		}
		assertThat(broker.subscriptions(uid("bob"))).hasSize(wanted).doesNotHaveDuplicates();
		DefaultCometChatClient alice = connect("alice");
		Inbox bobs = inbox(bob);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "once"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "twice?"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == 2);
	}

	/**
	 * Sends at a steady rate while the broker drops every connection {@code drops} times, then checks both sides:
	 * every message was received exactly once or failed to its sender with a reason.
	 */
	LoadResult sendThroughDrops(TestBroker broker, DefaultCometChatClient sender, DefaultCometChatClient receiver,
			String receiverUid, int drops, Runnable drop) throws Exception {
		Inbox inbox = inbox(receiver);
		Map<String, CompletableFuture<SentMessage>> sent = new ConcurrentHashMap<>();
		AtomicInteger sequence = new AtomicInteger();
		java.util.concurrent.ScheduledExecutorService rate = java.util.concurrent.Executors
			.newSingleThreadScheduledExecutor();
		try {
			// 50 messages a second
			rate.scheduleAtFixedRate(() -> {
				String text = "m" + sequence.incrementAndGet();
				sent.put(text, sender.sendMessage(OutgoingMessage.text(ReceiverType.USER, receiverUid, text)));
			}, 0, 20, TimeUnit.MILLISECONDS);
			for (int i = 0; i < drops; i++) {
				int before = inbox.messages().size();
				drop.run();
				awaitConnected(sender, receiver);
				await().atMost(TIMEOUT).until(() -> inbox.messages().size() > before + 10);
			}
		}
		finally {
			rate.shutdown();
			rate.awaitTermination(5, TimeUnit.SECONDS);
		}
		await().atMost(TIMEOUT).until(() -> sent.values().stream().allMatch(CompletableFuture::isDone));
		List<String> confirmed = sent.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isCompletedExceptionally())
			.map(Map.Entry::getKey)
			.toList();
		List<String> failed = sent.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().isCompletedExceptionally())
			.map(Map.Entry::getKey)
			.toList();
		await().atMost(TIMEOUT).until(() -> inbox.texts().containsAll(confirmed));
		List<String> texts = inbox.texts();
		assertThat(texts).as("no message reaches the listener twice").doesNotHaveDuplicates();
		List<String> lost = sent.keySet().stream().filter((text) -> !texts.contains(text)).toList();
		assertThat(failed).as("every message not received failed to its sender").containsAll(lost);
		failed.forEach((text) -> assertThat(sent.get(text)).isCompletedExceptionally());
		return new LoadResult(sent.size(), confirmed.size(), failed.size(), texts.size());
	}

	@Test
	void typingReceiptsEditsReactionsAndTransientMessagesReachTheOtherClient() throws Exception {
		String group = "g-" + this.run;
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect("bob");
		Events alices = events(alice);
		Events bobs = events(bob);
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker.subscriptions(uid("bob")).size() == 2);
		alice.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("joined " + uid("alice")));
		alice.startTyping(ReceiverType.USER, uid("bob")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("typing started " + uid("alice")));
		alice.endTyping(ReceiverType.USER, uid("bob")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("typing ended " + uid("alice")));
		SentMessage sent = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "helo"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("message " + sent.id()));
		bob.markAsDelivered(sent.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		bob.markAsRead(sent.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> alices.heard()
			.containsAll(List.of("delivered " + sent.id() + " by " + uid("bob"), "read " + sent.id() + " by " + uid("bob"))));
		alice.editMessage(sent.id(), "hello").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("edited " + sent.id() + ": hello"));
		bob.addReaction(sent.id(), "👍").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> alices.heard().contains("reaction added 👍 by " + uid("bob")));
		alice.deleteMessage(sent.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("deleted " + sent.id()));
		alice.sendTransientMessage(ReceiverType.GROUP, group, Map.of("lat", 52.5))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("transient " + uid("alice") + " {lat=52.5}"));
		assertThat(alices.heard()).as("nobody hears their own events")
			.noneMatch((event) -> event.endsWith(uid("alice")) || event.startsWith("joined"));
	}

	@Test
	void transientEventsAreNotDeliveredAfterAReconnectButMessagesAre() throws Exception {
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect("bob");
		Events bobs = events(bob);
		bob.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.startTyping(ReceiverType.USER, uid("bob")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendTransientMessage(ReceiverType.USER, uid("bob"), Map.of("while", "away"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		SentMessage kept = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "kept"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		bob.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		// CONNECTED comes after the SUBSCRIBE is written, not after the broker applied it: Spring's simple broker keeps
		// nothing for a subscription it has not registered yet
		await().atMost(TIMEOUT).until(() -> !broker.subscriptions(uid("bob")).isEmpty());
		SentMessage after = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "after"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		// Only brokers that keep a user's queue while they are away deliver the first one
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("message " + after.id()));
		assertThat(bobs.heard()).filteredOn((event) -> !event.startsWith("message " + kept.id()))
			.containsExactly("message " + after.id());
	}

	@Test
	void memberEventsThatAServerPublishesReachTheMembersOfTheGroup() throws Exception {
		String group = "g-" + this.run;
		DefaultCometChatClient bob = connect("bob");
		Events bobs = events(bob);
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker.subscriptions(uid("bob")).size() == 2);
		// As docs/protocol.md documents it for a server
		publishAs("server", "/topic/cometchat.it.group." + group, Map.of(), "{\"kind\":\"group\",\"v\":1,\"id\":\""
				+ UUID.randomUUID() + "\",\"action\":\"kicked\",\"guid\":\"" + group + "\",\"uid\":\""
				+ uid("mallory") + "\",\"by\":\"admin\",\"at\":\"2026-12-01T10:00:00Z\"}");
		await().atMost(TIMEOUT).until(() -> bobs.heard().contains("kicked " + uid("mallory") + " by admin"));
	}

	/**
	 * Send a body as another party would: a user of the broker with a plain Spring STOMP client.
	 * @param name the user (made unique to the run)
	 * @param destination the destination
	 * @param headers more SEND headers
	 * @param json the body
	 */
	void publishAs(String name, String destination, Map<String, String> headers, String json) throws Exception {
		String login = uid(name);
		if (this.publishers.add(login)) {
			broker.addUser(login, login + "-token");
		}
		WebSocketClients.Created webSocket = WebSocketClients.create(WebSocketClientType.AUTO, 64 * 1024, null, 1);
		WebSocketStompClient stomp = new WebSocketStompClient(webSocket.client());
		stomp.setMessageConverter(new ByteArrayMessageConverter() {

			@Override
			protected boolean supportsMimeType(@Nullable MessageHeaders messageHeaders) {
				// The JSON body as bytes
				return true;
			}

		});
		try {
			StompHeaders connect = new StompHeaders();
			connect.setLogin(login);
			connect.setPasscode(login + "-token");
			connect.setHost("/");
			StompSession session = stomp
				.connectAsync(URI.create(broker.url()), null, connect, new StompSessionHandlerAdapter() {
				})
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			StompHeaders send = new StompHeaders();
			headers.forEach(send::set);
			send.setDestination(destination);
			send.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
			send.set("persistent", "true");
			// Written before the DISCONNECT on the same socket, so the broker has it first
			session.send(send, json.getBytes(StandardCharsets.UTF_8));
			session.disconnect();
		}
		finally {
			stomp.stop();
			webSocket.stop().run();
		}
	}

	/**
	 * Collects what the message and group listeners of a client hear, as text.
	 */
	static Events events(CometChatClient client) {
		Events events = new Events();
		client.addMessageListener("events", events);
		client.addGroupListener("events", events);
		return events;
	}

	static final class Events implements MessageListener, GroupListener {

		private final List<String> heard = new CopyOnWriteArrayList<>();

		List<String> heard() {
			return this.heard;
		}

		@Override
		public void onMessageReceived(ChatMessage message) {
			this.heard.add("message " + message.id());
		}

		@Override
		public void onTypingStarted(TypingIndicator indicator) {
			this.heard.add("typing started " + indicator.sender());
		}

		@Override
		public void onTypingEnded(TypingIndicator indicator) {
			this.heard.add("typing ended " + indicator.sender());
		}

		@Override
		public void onMessagesDelivered(MessageReceipt receipt) {
			this.heard.add("delivered " + receipt.messageId() + " by " + receipt.sender());
		}

		@Override
		public void onMessagesRead(MessageReceipt receipt) {
			this.heard.add("read " + receipt.messageId() + " by " + receipt.sender());
		}

		@Override
		public void onMessageEdited(MessageEdit edit) {
			this.heard.add("edited " + edit.messageId() + ": " + edit.text());
		}

		@Override
		public void onMessageDeleted(MessageEdit deletion) {
			this.heard.add("deleted " + deletion.messageId());
		}

		@Override
		public void onMessageReactionAdded(MessageReaction reaction) {
			this.heard.add("reaction added " + reaction.reaction() + " by " + reaction.uid());
		}

		@Override
		public void onTransientMessageReceived(TransientMessage message) {
			this.heard.add("transient " + message.sender() + " " + message.data());
		}

		@Override
		public void onGroupMemberEvent(GroupMemberEvent event) {
		}

		@Override
		public void onGroupMemberJoined(GroupMemberEvent event) {
			this.heard.add("joined " + event.member());
		}

		@Override
		public void onGroupMemberKicked(GroupMemberEvent event) {
			this.heard.add("kicked " + event.member() + " by " + event.actor());
		}

	}

	record LoadResult(int sent, int confirmed, int failed, int received) {
	}

	/**
	 * Collects what a message listener gets.
	 */
	static final class Inbox {

		private final List<ChatMessage> messages = new CopyOnWriteArrayList<>();

		void add(ChatMessage message) {
			this.messages.add(message);
		}

		List<ChatMessage> messages() {
			return this.messages;
		}

		List<String> texts() {
			return this.messages.stream().map(ChatMessage::text).toList();
		}

	}

}
