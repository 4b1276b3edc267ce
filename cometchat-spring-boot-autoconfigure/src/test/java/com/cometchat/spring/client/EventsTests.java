package com.cometchat.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ManualExecutor;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.ScriptedTransport.Frame;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the events of {@code docs/protocol.md} in {@link DefaultCometChatClient}: what each sends, where, with
 * which guarantee, and what listeners get of what arrives. Scripted transport, virtual time.
 */
class EventsTests {

	private static final String INBOX = "cometchat-app-alice-user";

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final List<String> heard = new ArrayList<>();

	private final AtomicInteger ignored = new AtomicInteger();

	private CometChatClientBuilder builder() {
		return CometChatClient.builder()
			.appId("app")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.callbackExecutor(Runnable::run)
			.sessionStore(new InMemorySessionStore())
			.addObserver(new CometChatClientObserver() {

				@Override
				public void eventIgnored() {
					EventsTests.this.ignored.incrementAndGet();
				}

			})
			.reconnectBackOff(new FixedBackOff(1000));
	}

	private DefaultCometChatClient connected(CometChatClientBuilder builder) {
		DefaultCometChatClient client = builder.build();
		client.addMessageListener("test", new RecordingListener());
		client.addGroupListener("test", new GroupListener() {

			@Override
			public void onGroupMemberEvent(GroupMemberEvent event) {
			}

			@Override
			public void onGroupMemberKicked(GroupMemberEvent event) {
				EventsTests.this.heard.add("kicked " + event.member() + " by " + event.actor());
			}

			@Override
			public void onGroupMemberJoined(GroupMemberEvent event) {
				EventsTests.this.heard.add("joined " + event.member() + " " + event.guid());
			}

			@Override
			public void onGroupMemberScopeChanged(GroupMemberEvent event) {
				EventsTests.this.heard.add("scope " + event.member() + " " + event.scope());
			}

		});
		client.login("alice", "alice-token");
		this.transport.last().connected();
		return client;
	}

	private DefaultCometChatClient connected() {
		return connected(builder());
	}

	private List<Frame> sendsTo(String destination) {
		return this.transport.last().sends().stream().filter((frame) -> frame.destination().equals(destination)).toList();
	}

	private boolean deliver(String json) {
		return this.transport.last().deliver(INBOX, json.getBytes(StandardCharsets.UTF_8));
	}

	private static String message(String id, String sender, String receiverType, String receiver) {
		return "{\"kind\":\"message\",\"v\":1,\"id\":\"" + id + "\",\"sender\":\"" + sender + "\",\"receiverType\":\""
				+ receiverType + "\",\"receiver\":\"" + receiver
				+ "\",\"type\":\"text\",\"text\":\"hi\",\"sentAt\":\"2026-01-01T00:00:00Z\"}";
	}

	private static String event(String kind, String fields) {
		return "{\"kind\":\"" + kind + "\",\"v\":1," + fields + ",\"at\":\"2026-01-01T00:00:00Z\"}";
	}

	// Typing

	@Test
	void typingIsWrittenOnlyWhileConnectedAndNeverQueuedOrReceipted() {
		DefaultCometChatClient client = connected();
		CompletableFuture<Void> started = client.startTyping(ReceiverType.USER, "bob");
		Frame frame = sendsTo("/queue/cometchat.app.user.bob").get(0);
		assertThat(frame.id()).as("no receipt asked").isNull();
		assertThat(frame.headers()).as("RabbitMQ refuses persistent:false to an existing queue")
			.doesNotContainKey("persistent")
			.containsEntry("expiration", "5000")
			.containsEntry("expires", String.valueOf(this.scheduler.now().plusSeconds(5).toEpochMilli()));
		assertThat(frame.body()).contains("\"kind\":\"typing\"").contains("\"status\":\"started\"")
			.contains("\"sender\":\"alice\"");
		assertThat(started).isCompleted();
		this.transport.last().dropped();
		CompletableFuture<Void> offline = client.endTyping(ReceiverType.USER, "bob");
		assertThat(errorCode(offline)).isEqualTo(ErrorCode.NOT_CONNECTED);
		this.transport.last().connected();
		assertThat(sendsTo("/queue/cometchat.app.user.bob")).as("nothing queued for the new connection").isEmpty();
	}

	@Test
	void aTransientSendTheDroppedConnectionNeverWroteFailsWithTheDropInsteadOfWaitingForever() {
		ManualExecutor writer = new ManualExecutor();
		ScriptedTransport slow = new ScriptedTransport(writer);
		DefaultCometChatClient client = builder().transport(slow).build();
		client.login("alice", "alice-token");
		slow.last().connected();
		writer.runAll();
		CompletableFuture<Void> typing = client.startTyping(ReceiverType.USER, "bob");
		assertThat(typing).isNotDone();
		// A real connection's writer drops what waits when the connection goes
		slow.last().dropped();
		assertThat(errorCode(typing)).isEqualTo(ErrorCode.CONNECTION_LOST);
	}

	@Test
	void aTypingIndicatorNobodyEndsEndsAfterTheTimeoutCountedFromItsLastStart() {
		connected();
		String started = event("typing",
				"\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\"");
		deliver(started);
		assertThat(this.heard).containsExactly("typing started bob");
		this.scheduler.advance(Duration.ofSeconds(4));
		deliver(started);
		assertThat(this.heard).as("a start while typing keeps it up, once").containsExactly("typing started bob");
		this.scheduler.advance(Duration.ofSeconds(4));
		assertThat(this.heard).hasSize(1);
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.heard).containsExactly("typing started bob", "typing ended bob");
		this.scheduler.advance(Duration.ofSeconds(10));
		assertThat(this.heard).hasSize(2);
	}

	@Test
	void aTypingIndicatorLeftByAnEarlierSessionDoesNotHideTheNextOne() {
		DefaultCometChatClient client = connected();
		String started = event("typing",
				"\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\"");
		deliver(started);
		client.logout();
		client.login("alice", "alice-token");
		this.transport.last().connected();
		this.scheduler.advance(Duration.ofSeconds(10));
		this.heard.clear();
		deliver(started);
		assertThat(this.heard).containsExactly("typing started bob");
	}

	@Test
	void anEndedTypingIndicatorEndsOnceAndItsTimerIsForgotten() {
		connected();
		deliver(event("typing",
				"\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"group\",\"receiver\":\"g1\""));
		deliver(event("typing",
				"\"status\":\"ended\",\"sender\":\"bob\",\"receiverType\":\"group\",\"receiver\":\"g1\""));
		this.scheduler.advance(Duration.ofSeconds(10));
		assertThat(this.heard).containsExactly("typing started bob", "typing ended bob");
	}

	@Test
	void typingOrATransientMessageSentBeforeTheConnectionWasEstablishedIsStale() {
		connected();
		this.transport.last().dropped();
		this.scheduler.advance(Duration.ofSeconds(2));
		this.transport.last().connected();
		// Kept by the broker in alice's queue while she was away, sent before she connected again
		deliver(event("typing",
				"\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\""));
		deliver("{\"kind\":\"transient\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\","
				+ "\"data\":{\"x\":1},\"sentAt\":\"2026-01-01T00:00:00Z\"}");
		assertThat(this.heard).isEmpty();
		deliver("{\"kind\":\"transient\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\","
				+ "\"data\":{\"x\":2},\"sentAt\":\"" + this.scheduler.now() + "\"}");
		assertThat(this.heard).containsExactly("transient bob {x=2}");
	}

	// Transient messages

	@Test
	void aTransientMessageIsWrittenOnlyWhileConnected() {
		DefaultCometChatClient client = connected();
		client.sendTransientMessage(ReceiverType.GROUP, "g1", Map.of("lat", 52.5));
		Frame frame = sendsTo("/topic/cometchat.app.group.g1").get(0);
		assertThat(frame.id()).isNull();
		assertThat(frame.body()).contains("\"kind\":\"transient\"").contains("\"data\":{\"lat\":52.5}");
		client.disconnect();
		assertThat(errorCode(client.sendTransientMessage(ReceiverType.GROUP, "g1", Map.of())))
			.isEqualTo(ErrorCode.NOT_CONNECTED);
	}

	// Receipts

	@Test
	void aReceiptGoesToTheSenderOfTheMessageLikeAMessage() {
		DefaultCometChatClient client = connected();
		deliver(message("m1", "bob", "group", "g1"));
		CompletableFuture<Void> read = client.markAsRead("m1");
		Frame frame = sendsTo("/queue/cometchat.app.user.bob").get(0);
		assertThat(frame.headers()).containsEntry("persistent", "true");
		assertThat(frame.id()).as("receipted").isNotNull();
		assertThat(frame.body()).contains("\"kind\":\"receipt\"").contains("\"receipt\":\"read\"")
			.contains("\"messageId\":\"m1\"").contains("\"sender\":\"alice\"")
			.contains("\"receiverType\":\"group\"").contains("\"receiver\":\"g1\"");
		assertThat(read).isNotDone();
		frame.receipt();
		assertThat(read).isCompleted();
	}

	@Test
	void aReceiptMadeWhileOfflineIsQueuedAndResentAfterADrop() {
		DefaultCometChatClient client = connected();
		deliver(message("m1", "bob", "user", "alice"));
		this.transport.last().dropped();
		CompletableFuture<Void> delivered = client.markAsDelivered("m1");
		this.transport.last().connected();
		assertThat(sendsTo("/queue/cometchat.app.user.bob")).hasSize(1);
		this.transport.last().dropped();
		// Not served, so the next attempt comes after the back-off
		this.scheduler.advance(Duration.ofSeconds(2));
		this.transport.last().connected();
		Frame resent = sendsTo("/queue/cometchat.app.user.bob").get(0);
		assertThat(resent.body()).contains("\"receipt\":\"delivered\"");
		resent.receipt();
		assertThat(delivered).isCompleted();
	}

	@Test
	void receiptsReachTheListenersOnceEach() {
		connected();
		String receipt = event("receipt", "\"id\":\"r1\",\"receipt\":\"read\",\"messageId\":\"m1\",\"sender\":\"bob\","
				+ "\"receiverType\":\"user\",\"receiver\":\"bob\"");
		deliver(receipt);
		deliver(receipt);
		deliver(event("receipt", "\"id\":\"r2\",\"receipt\":\"delivered\",\"messageId\":\"m2\",\"sender\":\"carol\","
				+ "\"receiverType\":\"group\",\"receiver\":\"g1\""));
		assertThat(this.heard).containsExactly("read m1 by bob", "delivered m2 by carol");
	}

	@Test
	void receivedMessagesAreMarkedDeliveredByThemselvesWhenAskedTo() {
		connected(builder().autoMarkDelivered(true));
		deliver(message("m1", "bob", "user", "alice"));
		assertThat(sendsTo("/queue/cometchat.app.user.bob")).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).contains("\"receipt\":\"delivered\"")
				.contains("\"messageId\":\"m1\""));
	}

	@Test
	void aMessageTheClientDoesNotRememberCannotBeMarkedById() {
		DefaultCometChatClient client = connected();
		assertThat(errorCode(client.markAsRead("unknown"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
	}

	// Edits and deletions

	@Test
	void onlyTheSenderEditsOrDeletesAMessageAndTheEditGoesWhereTheMessageWent() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> sending = client.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "helo"));
		sendsTo("/queue/cometchat.app.user.bob").get(0).receipt();
		SentMessage sent = sending.join();
		client.editMessage(sent.id(), "hello");
		client.deleteMessage(sent.id());
		List<Frame> frames = sendsTo("/queue/cometchat.app.user.bob");
		assertThat(frames).hasSize(3);
		assertThat(frames.get(1).body()).contains("\"kind\":\"edit\"").contains("\"messageId\":\"" + sent.id())
			.contains("\"text\":\"hello\"");
		assertThat(frames.get(2).body()).contains("\"kind\":\"delete\"").doesNotContain("\"text\"");
		deliver(message("m1", "bob", "user", "alice"));
		assertThat(errorCode(client.editMessage("m1", "mine now"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(errorCode(client.editMessage(sent.id(), " "))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
	}

	@Test
	void anEditByAnybodyElseThanTheSenderIsDroppedAndCounted() {
		connected();
		deliver(message("m1", "bob", "user", "alice"));
		deliver(event("edit", "\"id\":\"e1\",\"messageId\":\"m1\",\"sender\":\"mallory\",\"receiverType\":\"user\","
				+ "\"receiver\":\"alice\",\"text\":\"forged\""));
		deliver(event("edit", "\"id\":\"e2\",\"messageId\":\"m1\",\"sender\":\"bob\",\"receiverType\":\"user\","
				+ "\"receiver\":\"alice\",\"text\":\"fixed\""));
		deliver(event("delete", "\"id\":\"e3\",\"messageId\":\"m1\",\"sender\":\"bob\",\"receiverType\":\"user\","
				+ "\"receiver\":\"alice\""));
		assertThat(this.heard).containsExactly("message m1", "edited m1 by bob: fixed", "deleted m1 by bob");
		assertThat(this.ignored).hasValue(1);
	}

	// Reactions

	@Test
	void aReactionGoesToTheOtherUserOfAConversationOrToTheGroup() {
		DefaultCometChatClient client = connected();
		deliver(message("m1", "bob", "user", "alice"));
		deliver(message("m2", "carol", "group", "g1"));
		client.addReaction("m1", "👍");
		client.removeReaction("m2", "🎉");
		assertThat(sendsTo("/queue/cometchat.app.user.bob")).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).contains("\"action\":\"added\"")
				.contains("\"reaction\":\"👍\"").contains("\"sender\":\"alice\""));
		assertThat(sendsTo("/topic/cometchat.app.group.g1")).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).contains("\"action\":\"removed\"")
				.contains("\"messageId\":\"m2\""));
		assertThat(errorCode(client.addReaction("m1", ""))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
	}

	@Test
	void reactionsReachTheListenersButNotTheirOwnEcho() {
		connected();
		deliver(event("reaction", "\"id\":\"x1\",\"action\":\"added\",\"messageId\":\"m1\",\"reaction\":\"👍\","
				+ "\"sender\":\"bob\",\"receiverType\":\"group\",\"receiver\":\"g1\""));
		deliver(event("reaction", "\"id\":\"x2\",\"action\":\"removed\",\"messageId\":\"m1\",\"reaction\":\"👍\","
				+ "\"sender\":\"bob\",\"receiverType\":\"group\",\"receiver\":\"g1\""));
		deliver(event("reaction", "\"id\":\"x3\",\"action\":\"added\",\"messageId\":\"m1\",\"reaction\":\"🎉\","
				+ "\"sender\":\"alice\",\"receiverType\":\"group\",\"receiver\":\"g1\""));
		assertThat(this.heard).containsExactly("reaction added 👍 by bob", "reaction removed 👍 by bob");
	}

	// Group members

	@Test
	void joiningAndLeavingAGroupIsAnnouncedToItsMembers() {
		DefaultCometChatClient client = connected();
		client.joinGroup("g1");
		client.leaveGroup("g1");
		assertThat(sendsTo("/topic/cometchat.app.group.g1")).extracting(Frame::body)
			.satisfiesExactly(
					(body) -> assertThat(body).contains("\"kind\":\"group\"").contains("\"action\":\"joined\"")
						.contains("\"uid\":\"alice\"").contains("\"by\":\"alice\""),
					(body) -> assertThat(body).contains("\"action\":\"left\""));
	}

	@Test
	void memberChangesPublishedByAnotherPartyReachTheGroupListenersButNotTheMembersOwnJoin() {
		connected();
		deliver(event("group", "\"id\":\"g-1\",\"action\":\"joined\",\"guid\":\"g1\",\"uid\":\"bob\",\"by\":\"bob\""));
		deliver(event("group", "\"id\":\"g-2\",\"action\":\"joined\",\"guid\":\"g1\",\"uid\":\"alice\",\"by\":\"alice\""));
		deliver(event("group", "\"id\":\"g-3\",\"action\":\"kicked\",\"guid\":\"g1\",\"uid\":\"alice\",\"by\":\"admin\""));
		deliver(event("group",
				"\"id\":\"g-4\",\"action\":\"scopeChanged\",\"guid\":\"g1\",\"uid\":\"bob\",\"scope\":\"moderator\""));
		assertThat(this.heard).containsExactly("joined bob g1", "kicked alice by admin", "scope bob moderator");
	}

	// Who sent it

	@Test
	void aMessageIsVerifiedWhenTheBrokersHeaderNamesItsSender() {
		List<ChatMessage> messages = new ArrayList<>();
		DefaultCometChatClient client = connected(builder().senderVerification("user-id", false));
		client.addMessageListener("verified", messages::add);
		String inbox = INBOX;
		this.transport.last().deliver(inbox, Map.of("user-id", "bob"), message("m1", "bob", "user", "alice").getBytes(StandardCharsets.UTF_8));
		this.transport.last().deliver(inbox, Map.of("user-id", "mallory"), message("m2", "bob", "user", "alice").getBytes(StandardCharsets.UTF_8));
		this.transport.last().deliver(inbox, Map.of(), message("m3", "bob", "user", "alice").getBytes(StandardCharsets.UTF_8));
		assertThat(messages).extracting(ChatMessage::id, ChatMessage::senderVerified)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("m1", true),
					org.assertj.core.groups.Tuple.tuple("m2", false), org.assertj.core.groups.Tuple.tuple("m3", false));
	}

	@Test
	void aMessageTheBrokerDidNotVouchForIsDroppedWhenAskedTo() {
		List<ChatMessage> messages = new ArrayList<>();
		DefaultCometChatClient client = connected(builder().senderVerification("user-id", true));
		client.addMessageListener("verified", messages::add);
		assertThat(this.transport.last()
			.deliver(INBOX, Map.of("user-id", "mallory"), message("m2", "bob", "user", "alice").getBytes(StandardCharsets.UTF_8)))
			.as("taken, so not delivered again").isTrue();
		this.transport.last().deliver(INBOX, Map.of("user-id", "bob"), message("m1", "bob", "user", "alice").getBytes(StandardCharsets.UTF_8));
		assertThat(messages).extracting(ChatMessage::id).containsExactly("m1");
		assertThat(this.ignored).hasValue(1);
	}

	@Test
	void withoutAHeaderToVerifyByNoMessageIsVerified() {
		List<ChatMessage> messages = new ArrayList<>();
		DefaultCometChatClient client = connected();
		client.addMessageListener("verified", messages::add);
		this.transport.last().deliver(INBOX, Map.of("user-id", "bob"), message("m1", "bob", "user", "alice").getBytes(StandardCharsets.UTF_8));
		assertThat(messages).singleElement().satisfies((message) -> assertThat(message.senderVerified()).isFalse());
	}

	// What this client does not know

	@Test
	void aBodyOfAnUnknownKindOrVersionIsTakenCountedAndIgnored() {
		connected();
		assertThat(deliver("{\"kind\":\"poll\",\"v\":1,\"question\":\"lunch?\"}")).as("acknowledged").isTrue();
		assertThat(deliver("{\"kind\":\"message\",\"v\":2,\"id\":\"m9\"}")).isTrue();
		deliver(message("m1", "bob", "user", "alice"));
		assertThat(this.heard).containsExactly("message m1");
		assertThat(this.ignored).hasValue(2);
	}

	// Every event as its record

	@Test
	void eventListenersHearEveryKindAsItsRecordAfterTheTypedListenersWithTheClientAndUid() {
		DefaultCometChatClient client = builder().build();
		List<Object> records = new ArrayList<>();
		client.addMessageListener("typed", new RecordingListener());
		client.addEventListener("records", (source, uid, event) -> {
			assertThat(source).isSameAs(client);
			this.heard.add("record " + uid + " " + event.getClass().getSimpleName());
			records.add(event);
		});
		client.login("alice", "alice-token");
		this.transport.last().connected();
		assertThat(records).hasAtLeastOneElementOfType(ConnectionStateChange.class)
			.hasAtLeastOneElementOfType(CometChatLoginEvent.class);
		this.heard.clear();
		deliver(message("m1", "bob", "user", "alice"));
		deliver(event("typing", "\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\""));
		deliver(event("typing", "\"status\":\"ended\",\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\""));
		deliver(event("receipt", "\"id\":\"r1\",\"receipt\":\"read\",\"messageId\":\"m1\",\"sender\":\"bob\","
				+ "\"receiverType\":\"user\",\"receiver\":\"bob\""));
		assertThat(this.heard).containsExactly("message m1", "record alice ChatMessage", "typing started bob",
				"record alice TypingIndicator", "typing ended bob", "record alice TypingIndicator", "read m1 by bob",
				"record alice MessageReceipt");
		assertThat(records).filteredOn(TypingIndicator.class::isInstance)
			.extracting((typing) -> ((TypingIndicator) typing).started())
			.containsExactly(true, false);
	}

	@Test
	void aFailingEventListenerIsLoggedAndTheNextOneStillHears() {
		DefaultCometChatClient client = connected();
		client.addEventListener("failing", (source, uid, event) -> {
			throw new IllegalStateException("boom");
		});
		client.addEventListener("next", (source, uid, event) -> this.heard.add("next " + event.getClass().getSimpleName()));
		this.heard.clear();
		deliver(message("m1", "bob", "user", "alice"));
		assertThat(this.heard).containsExactly("message m1", "next ChatMessage");
	}

	@Test
	void messageEventsArePublishedOnlyWhenAsked() {
		List<Object> quiet = new ArrayList<>();
		connected(builder().eventPublisher(quiet::add));
		deliver(message("m1", "bob", "user", "alice"));
		assertThat(quiet).as("off by default").noneMatch(CometChatMessageEvent.class::isInstance)
			.hasAtLeastOneElementOfType(CometChatConnectionStateChangedEvent.class);
		List<Object> published = new ArrayList<>();
		DefaultCometChatClient client = connected(builder().eventPublisher(published::add).publishMessageEvents(true));
		deliver(message("m2", "bob", "user", "alice"));
		deliver(event("reaction", "\"id\":\"x1\",\"action\":\"added\",\"messageId\":\"m2\",\"reaction\":\"+1\","
				+ "\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"alice\""));
		List<CometChatMessageEvent<?>> events = published.stream()
			.filter(CometChatMessageEvent.class::isInstance)
			.<CometChatMessageEvent<?>>map((event) -> (CometChatMessageEvent<?>) event)
			.toList();
		assertThat(events).extracting(CometChatMessageEvent::getUid).containsOnly("alice");
		assertThat(events).extracting(CometChatMessageEvent::getSource).containsOnly(client);
		assertThat(events).extracting((event) -> (Object) event.getPayload().getClass())
			.containsExactly(ChatMessage.class, MessageReaction.class);
		assertThat(events.get(0).getResolvableType().resolveGeneric(0)).isEqualTo(ChatMessage.class);
	}

	private final class RecordingListener implements MessageListener {

		@Override
		public void onMessageReceived(ChatMessage message) {
			EventsTests.this.heard.add("message " + message.id());
		}

		@Override
		public void onTypingStarted(TypingIndicator indicator) {
			EventsTests.this.heard.add("typing started " + indicator.sender());
		}

		@Override
		public void onTypingEnded(TypingIndicator indicator) {
			EventsTests.this.heard.add("typing ended " + indicator.sender());
		}

		@Override
		public void onTransientMessageReceived(TransientMessage message) {
			EventsTests.this.heard.add("transient " + message.sender() + " " + message.data());
		}

		@Override
		public void onMessagesDelivered(MessageReceipt receipt) {
			EventsTests.this.heard.add("delivered " + receipt.messageId() + " by " + receipt.sender());
		}

		@Override
		public void onMessagesRead(MessageReceipt receipt) {
			EventsTests.this.heard.add("read " + receipt.messageId() + " by " + receipt.sender());
		}

		@Override
		public void onMessageEdited(MessageEdit edit) {
			EventsTests.this.heard.add("edited " + edit.messageId() + " by " + edit.editor() + ": " + edit.text());
		}

		@Override
		public void onMessageDeleted(MessageEdit deletion) {
			EventsTests.this.heard.add("deleted " + deletion.messageId() + " by " + deletion.editor());
		}

		@Override
		public void onMessageReactionAdded(MessageReaction reaction) {
			EventsTests.this.heard.add("reaction added " + reaction.reaction() + " by " + reaction.uid());
		}

		@Override
		public void onMessageReactionRemoved(MessageReaction reaction) {
			EventsTests.this.heard.add("reaction removed " + reaction.reaction() + " by " + reaction.uid());
		}

	}

}
