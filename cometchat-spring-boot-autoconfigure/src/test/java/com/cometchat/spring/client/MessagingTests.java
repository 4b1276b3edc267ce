package com.cometchat.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.ManualExecutor;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.ScriptedTransport.Frame;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the messaging of {@link DefaultCometChatClient}: the send queue, receipts and resends, subscriptions
 * restored after reconnects, groups, de-duplication and presence. Scripted transport, virtual time.
 */
@ExtendWith(OutputCaptureExtension.class)
class MessagingTests {

	private static final String INBOX = "cometchat-app-alice-user";

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final InMemorySessionStore store = new InMemorySessionStore();

	private final List<ChatMessage> received = new ArrayList<>();

	private final List<String> presence = new ArrayList<>();

	private CometChatClientBuilder builder() {
		return CometChatClient.builder()
			.appId("app")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.callbackExecutor(Runnable::run)
			.sessionStore(this.store)
			.reconnectBackOff(new FixedBackOff(1000));
	}

	private DefaultCometChatClient connected(CometChatClientBuilder builder) {
		DefaultCometChatClient client = builder.build();
		client.addMessageListener("test", this.received::add);
		client.addUserListener("test",
				(change) -> this.presence.add(change.uid() + ":" + (change.online() ? "online" : "offline")));
		client.login("alice", "alice-token");
		this.transport.last().connected();
		return client;
	}

	private DefaultCometChatClient connected() {
		return connected(builder());
	}

	private static OutgoingMessage hello(String text) {
		return OutgoingMessage.text(ReceiverType.USER, "bob", text);
	}

	private List<Frame> chatSends(ScriptedTransport.Connection connection) {
		return connection.sends().stream().filter((frame) -> frame.destination().contains(".user.")).toList();
	}

	private static byte[] json(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] message(String id, String sender, String text) {
		return json("{\"kind\":\"message\",\"id\":\"" + id + "\",\"sender\":\"" + sender
				+ "\",\"receiverType\":\"user\",\"receiver\":\"alice\",\"type\":\"text\",\"text\":\"" + text
				+ "\",\"sentAt\":\"2026-01-01T00:00:00Z\"}");
	}

	@Test
	void sendWhileConnectedCompletesOnTheReceipt() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("hi"));
		Frame frame = chatSends(this.transport.last()).get(0);
		assertThat(frame.destination()).isEqualTo("/queue/cometchat.app.user.bob");
		assertThat(frame.headers()).containsEntry("content-type", "application/json")
			.containsEntry("persistent", "true")
			.containsKey(OutboundMessage.MESSAGE_ID_HEADER);
		assertThat(frame.id()).as("receipt id").isEqualTo(frame.headers().get(OutboundMessage.MESSAGE_ID_HEADER));
		assertThat(frame.body()).contains("\"sender\":\"alice\"").contains("\"text\":\"hi\"");
		assertThat(sent).isNotDone();
		frame.receipt();
		assertThat(sent).isCompleted();
		assertThat(sent.join().id()).isEqualTo(frame.id());
		assertThat(sent.join().receiver()).isEqualTo("bob");
	}

	@Test
	void aSendWhileConnectedWithNothingBeforeItIsWrittenWithoutATurnOfTheLoop() {
		ManualExecutor loop = new ManualExecutor();
		DefaultCometChatClient client = builder().executor(loop).build();
		client.login("alice", "alice-token");
		loop.runAll();
		this.transport.last().connected();
		loop.runAll();
		int before = chatSends(this.transport.last()).size();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("now"));
		assertThat(loop.queued()).as("the loop has nothing to do for it").isZero();
		assertThat(chatSends(this.transport.last())).hasSize(before + 1);
		chatSends(this.transport.last()).get(before).receipt();
		assertThat(sent).isCompleted();
		CompletableFuture<Integer> pending = client.getPendingSends();
		loop.runAll();
		assertThat(pending.join()).isZero();
	}

	@Test
	void aSendAfterALogoutOfTheSameThreadThatTheLoopHasNotRunIsNotWritten() {
		ManualExecutor loop = new ManualExecutor();
		DefaultCometChatClient client = builder().executor(loop).build();
		client.login("alice", "alice-token");
		loop.runAll();
		this.transport.last().connected();
		loop.runAll();
		CompletableFuture<Void> logout = client.logout();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("too late"));
		assertThat(chatSends(this.transport.last())).as("nothing overtakes the logout").isEmpty();
		loop.runAll();
		assertThat(logout).isCompleted();
		assertThat(errorCode(sent)).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
		assertThat(chatSends(this.transport.last())).isEmpty();
	}

	@Test
	void aSendNeverOvertakesAnEarlierSendOfTheSameThreadThatWaitsForTheLoop() {
		ManualExecutor loop = new ManualExecutor();
		DefaultCometChatClient client = builder().executor(loop).build();
		client.login("alice", "alice-token");
		loop.runAll();
		this.transport.last().connected();
		loop.runAll();
		// Made while the loop has a call of this thread to run: through the loop
		client.joinGroup("g1");
		client.sendMessage(hello("first"));
		client.sendMessage(hello("second"));
		assertThat(chatSends(this.transport.last())).isEmpty();
		loop.runAll();
		client.sendMessage(hello("third"));
		assertThat(chatSends(this.transport.last())).extracting(Frame::body)
			.satisfiesExactly((body) -> assertThat(body).contains("first"),
					(body) -> assertThat(body).contains("second"), (body) -> assertThat(body).contains("third"));
	}

	@Test
	void aSendOnTheFastLaneThatTheConnectionLostIsResentOnTheNextOne() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("kept"));
		Frame first = chatSends(this.transport.last()).get(0);
		this.transport.last().dropped();
		this.transport.last().connected();
		Frame again = chatSends(this.transport.last()).get(0);
		assertThat(again.id()).isEqualTo(first.id());
		assertThat(sent).isNotDone();
		again.receipt();
		assertThat(sent).isCompleted();
		assertThat(client.getPendingSends().join()).isZero();
	}

	@Test
	void withoutReceiptsASendCompletesWhenWritten() {
		DefaultCometChatClient client = connected(builder().receipts(false));
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("hi"));
		assertThat(chatSends(this.transport.last()).get(0).id()).isNull();
		assertThat(sent).isCompleted();
	}

	@Test
	void sendsWhileReconnectingWaitAndGoOutInOrderAfterTheSubscriptions() {
		DefaultCometChatClient client = connected();
		this.transport.last().dropped();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		List<CompletableFuture<SentMessage>> sends = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sends.add(client.sendMessage(hello("queued-" + i)));
		}
		assertThat(client.getPendingSends().join()).isEqualTo(3);
		this.scheduler.advance(Duration.ofSeconds(1));
		ScriptedTransport.Connection next = this.transport.last();
		assertThat(next.frames()).isEmpty();
		next.connected();
		List<Frame> frames = next.frames();
		assertThat(frames.get(0).command()).isEqualTo("SUBSCRIBE");
		assertThat(chatSends(next)).extracting(Frame::body)
			.satisfiesExactly((body) -> assertThat(body).contains("queued-0"),
					(body) -> assertThat(body).contains("queued-1"), (body) -> assertThat(body).contains("queued-2"));
		int firstSend = frames.indexOf(chatSends(next).get(0));
		assertThat(frames.subList(0, firstSend)).allMatch((frame) -> frame.command().equals("SUBSCRIBE"));
		chatSends(next).forEach(Frame::receipt);
		assertThat(sends).allMatch(CompletableFuture::isDone).noneMatch(CompletableFuture::isCompletedExceptionally);
	}

	@Test
	void anUnconfirmedSendIsSentAgainWithTheSameIdAfterADrop() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("important"));
		ScriptedTransport.Connection first = this.transport.last();
		Frame original = chatSends(first).get(0);
		first.dropped();
		ScriptedTransport.Connection second = this.transport.last();
		second.connected();
		Frame resent = chatSends(second).get(0);
		assertThat(resent.id()).isEqualTo(original.id());
		assertThat(resent.body()).isEqualTo(original.body());
		original.receiptLost();
		assertThat(sent).as("a late report from the old connection changes nothing").isNotDone();
		resent.receipt();
		assertThat(sent).isCompleted();
	}

	@Test
	void aFullQueueFailsTheNewSend() {
		DefaultCometChatClient client = connected(builder().sendQueueCapacity(2));
		this.transport.last().dropped();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		CompletableFuture<SentMessage> first = client.sendMessage(hello("1"));
		CompletableFuture<SentMessage> second = client.sendMessage(hello("2"));
		CompletableFuture<SentMessage> third = client.sendMessage(hello("3"));
		assertThat(errorCode(third)).isEqualTo(ErrorCode.QUEUE_FULL);
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
	}

	@Test
	void withNoSendQueueASendWhileConnectedGoesOutAndOneWhileNotConnectedFailsAtOnce() {
		DefaultCometChatClient client = connected(builder().sendQueueCapacity(0));
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("now"));
		chatSends(this.transport.last()).get(0).receipt();
		assertThat(sent).isCompleted();
		this.transport.last().dropped();
		assertThat(errorCode(client.sendMessage(hello("while reconnecting")))).isEqualTo(ErrorCode.NOT_CONNECTED);
		assertThat(client.getPendingSends().join()).isZero();
	}

	@Test
	void aWriteThatFailsWithoutClosingTheSocketAbortsTheConnectionAndTheSendGoesOutAgain() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("important"));
		ScriptedTransport.Connection first = this.transport.last();
		Frame original = chatSends(first).get(0);
		original.writeFailed();
		assertThat(first.aborts()).as("a connection that cannot write is dropped at once").isEqualTo(1);
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(sent).isNotDone();
		ScriptedTransport.Connection second = this.transport.last();
		second.connected();
		Frame resent = chatSends(second).get(0);
		assertThat(resent.id()).isEqualTo(original.id());
		resent.receipt();
		assertThat(sent).isCompleted();
	}

	@Test
	void messagesStillArrivingOnTheSocketOfALoggedOutUserNeverReachTheListeners() {
		DefaultCometChatClient client = connected();
		ScriptedTransport.Connection alices = this.transport.last();
		client.logout();
		client.login("bob", "bob-token");
		ScriptedTransport.Connection bobs = this.transport.last();
		bobs.connected();
		assertThat(alices.deliver(INBOX, message("m-1", "carol", "for alice")))
			.as("not taken, so not acknowledged: the broker keeps it for alice").isFalse();
		assertThat(bobs.deliver("cometchat-app-bob-user", message("m-2", "carol", "for bob"))).isTrue();
		assertThat(this.received).extracting(ChatMessage::id).containsExactly("m-2");
	}

	@Test
	void messagesFromAnEarlierConnectionOfTheSameSessionAreStillDelivered() {
		DefaultCometChatClient client = connected();
		ScriptedTransport.Connection first = this.transport.last();
		first.dropped();
		this.transport.last().connected();
		assertThat(first.deliver(INBOX, message("m-1", "carol", "late but ours"))).isTrue();
		assertThat(this.received).extracting(ChatMessage::id).containsExactly("m-1");
		assertThat(client.getLoggedInUser()).isPresent();
	}

	@Test
	void thePendingSendsGaugeIsToldOneCallAtATimeAndEndsAtZero() {
		java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
		List<Integer> overlaps = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<Integer> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.ExecutorService loop = java.util.concurrent.Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "test-loop"));
		java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "test-writer"));
		try {
			ScriptedTransport writingElsewhere = new ScriptedTransport(writer);
			DefaultCometChatClient client = builder().transport(writingElsewhere)
				.executor(loop)
				.receipts(false)
				.addObserver(new CometChatClientObserver() {

					@Override
					public void pendingSendsChanged(int pending) {
						int callers = inside.incrementAndGet();
						if (callers != 1) {
							overlaps.add(callers);
						}
						counts.add(pending);
						Thread.yield();
						inside.decrementAndGet();
					}

				})
				.build();
			CompletableFuture<CometChatUser> login = client.login("alice", "alice-token");
			org.awaitility.Awaitility.await().until(() -> writingElsewhere.opened() == 1);
			writingElsewhere.last().connected();
			login.join();
			List<CompletableFuture<SentMessage>> sends = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				sends.add(client.sendMessage(hello("m" + i)));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
			org.awaitility.Awaitility.await().until(() -> client.getPendingSends().join() == 0);
			assertThat(overlaps).as("calls that overlapped another").isEmpty();
			// A send written and settled before its writer returned never shows as pending: no call at all
			assertThat(counts.isEmpty() ? 0 : counts.get(counts.size() - 1)).isZero();
		}
		finally {
			loop.shutdownNow();
			writer.shutdownNow();
		}
	}

	@Test
	void disconnectAndLogoutFailPendingSendsWithTheReason() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> inFlight = client.sendMessage(hello("in flight"));
		client.disconnect();
		assertThat(errorCode(inFlight)).isEqualTo(ErrorCode.DISCONNECTED);
		assertThat(errorCode(client.sendMessage(hello("after")))).isEqualTo(ErrorCode.NOT_CONNECTED);
		client.connect();
		CompletableFuture<SentMessage> queued = client.sendMessage(hello("queued"));
		client.logout();
		assertThat(errorCode(queued)).isEqualTo(ErrorCode.DISCONNECTED);
		assertThat(errorCode(client.sendMessage(hello("logged out")))).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
	}

	@Test
	void failedConnectionFailsPendingSendsWithItsReason() {
		DefaultCometChatClient client = connected();
		this.transport.last().dropped();
		CompletableFuture<SentMessage> queued = client.sendMessage(hello("queued"));
		this.transport.last().rejected();
		assertThat(errorCode(queued)).isEqualTo(ErrorCode.AUTH_REJECTED);
	}

	@Test
	void aMissingReceiptFailsTheSend() {
		DefaultCometChatClient client = connected();
		CompletableFuture<SentMessage> sent = client.sendMessage(hello("lost"));
		chatSends(this.transport.last()).get(0).receiptLost();
		assertThat(errorCode(sent)).isEqualTo(ErrorCode.RECEIPT_TIMEOUT);
	}

	@Test
	void invalidMessagesFailAtOnce() {
		DefaultCometChatClient client = connected();
		assertThat(errorCode(client.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob/../x", "hi"))))
			.isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(errorCode(client.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", " "))))
			.isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(errorCode(client.sendMessage(OutgoingMessage.custom(ReceiverType.GROUP, "g1", "", Map.of()))))
			.isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(chatSends(this.transport.last())).isEmpty();
	}

	@Test
	void sendWithoutALoggedInUserFails() {
		DefaultCometChatClient client = builder().build();
		assertThat(errorCode(client.sendMessage(hello("hi")))).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
	}

	@Test
	void everyConnectionGetsExactlyTheWantedSubscriptions() {
		DefaultCometChatClient client = connected(
				builder().presenceSubscription(PresenceSubscription.ALL_USERS, Set.of(), Set.of()));
		client.joinGroup("g1");
		client.joinGroup("g2");
		client.leaveGroup("g2");
		Map<String, String> wanted = Map.of(INBOX, "/queue/cometchat.app.user.alice", "cometchat-app-alice-group-g1",
				"/topic/cometchat.app.group.g1", "cometchat-app-alice-presence", "/topic/cometchat.app.presence");
		assertThat(this.transport.last().subscriptions()).isEqualTo(wanted);
		for (int drop = 0; drop < 20; drop++) {
			this.scheduler.advance(Duration.ofSeconds(10));
			int opened = this.transport.opened();
			this.transport.last().dropped();
			assertThat(this.transport.opened()).isEqualTo(opened + 1);
			this.transport.last().connected();
			// ScriptedTransport throws if a subscription is doubled on a connection
			assertThat(this.transport.last().subscriptions()).isEqualTo(wanted);
		}
		assertThat(client.getSubscriptions().join()).isEqualTo(wanted);
	}

	@Test
	void joinedGroupsAreSavedAndRestoredAtTheNextStart() {
		DefaultCometChatClient client = connected();
		client.joinGroup("g1").join();
		assertThat(client.getJoinedGroups()).containsExactly("g1");
		assertThat(this.store.load("app").get().groups()).containsExactly("g1");
		client.close();
		DefaultCometChatClient restarted = builder().build();
		restarted.start();
		assertThat(restarted.getJoinedGroups()).containsExactly("g1");
		this.transport.last().connected();
		assertThat(this.transport.last().subscriptions()).containsEntry("cometchat-app-alice-group-g1",
				"/topic/cometchat.app.group.g1");
	}

	@Test
	void durableSubscriptionsAskRabbitMqAndArtemisToKeepGroupMessages() {
		DefaultCometChatClient client = connected(builder().durableSubscriptions(true));
		client.joinGroup("g1");
		assertThat(this.transport.last().credentials().clientId()).as("Artemis: client-id on CONNECT")
			.isEqualTo("cometchat-app-alice");
		assertThat(groupFrame("SUBSCRIBE").headers()).containsEntry("durable", "true")
			.containsEntry("auto-delete", "false")
			.containsEntry("durable-subscription-name", "group-g1");
	}

	@Test
	void everyConnectionOfAUserWithDurableSubscriptionsHasTheSameClientId() {
		DefaultCometChatClient client = connected(builder().durableSubscriptions(true));
		this.transport.last().dropped();
		this.transport.last().connected();
		client.disconnect();
		client.connect();
		assertThat(this.transport.connections()).hasSize(3)
			.extracting((connection) -> connection.credentials().clientId())
			.containsOnly("cometchat-app-alice");
	}

	@Test
	void withoutDurableSubscriptionsNoClientIdIsSent() {
		DefaultCometChatClient client = connected();
		client.joinGroup("g1");
		assertThat(this.transport.last().credentials().clientId()).isNull();
		assertThat(groupFrame("SUBSCRIBE").headers()).doesNotContainKeys("durable", "durable-subscription-name");
	}

	@Test
	void leavingAGroupDeletesItsDurableSubscriptionOnBothBrokers() {
		DefaultCometChatClient client = connected(builder().durableSubscriptions(true));
		client.joinGroup("g1");
		client.leaveGroup("g1");
		// RabbitMQ deletes the queue on an UNSUBSCRIBE with durable:true, Artemis on one with the durable name
		assertThat(groupFrame("UNSUBSCRIBE").headers()).containsEntry("durable", "true")
			.containsEntry("durable-subscription-name", "group-g1");
	}

	@Test
	void loggingOutDeletesTheDurableSubscriptionsOnBothBrokers() {
		DefaultCometChatClient client = connected(builder().durableSubscriptions(true));
		client.joinGroup("g1");
		client.logout();
		assertThat(groupFrame("UNSUBSCRIBE").headers()).containsEntry("durable", "true")
			.containsEntry("durable-subscription-name", "group-g1");
	}

	@Test
	void disconnectingKeepsTheDurableSubscriptions() {
		DefaultCometChatClient client = connected(builder().durableSubscriptions(true));
		client.joinGroup("g1");
		client.disconnect();
		assertThat(this.transport.last().frames()).extracting(Frame::command).doesNotContain("UNSUBSCRIBE");
	}

	private Frame groupFrame(String command) {
		return this.transport.last()
			.frames()
			.stream()
			.filter((frame) -> command.equals(frame.command()) && "cometchat-app-alice-group-g1".equals(frame.id()))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void logoutDropsTheSubscriptions() {
		DefaultCometChatClient client = connected();
		ScriptedTransport.Connection connection = this.transport.last();
		client.logout();
		assertThat(connection.subscriptions()).isEmpty();
		client.login("bob", "bob-token");
		this.transport.last().connected();
		assertThat(this.transport.last().subscriptions()).containsOnlyKeys("cometchat-app-bob-user");
	}

	@Test
	void listenersSeeEachMessageOnceAndNotTheirOwnGroupMessages() {
		connected();
		ScriptedTransport.Connection connection = this.transport.last();
		connection.deliver(INBOX, message("m1", "bob", "hello"));
		connection.deliver(INBOX, message("m1", "bob", "hello"));
		connection.deliver(INBOX, message("m2", "alice", "my own"));
		connection.deliver(INBOX, message("m3", "bob", "again"));
		assertThat(this.received).extracting(ChatMessage::id).containsExactly("m1", "m3");
		assertThat(this.received.get(0).text()).isEqualTo("hello");
		assertThat(this.received.get(0).sentAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void textAndCustomCallbacksFollowTheType() {
		DefaultCometChatClient client = connected();
		List<String> calls = new ArrayList<>();
		client.addMessageListener("types", new MessageListener() {

			@Override
			public void onMessageReceived(ChatMessage message) {
				calls.add("any");
			}

			@Override
			public void onTextMessageReceived(ChatMessage message) {
				calls.add("text");
			}

			@Override
			public void onCustomMessageReceived(ChatMessage message) {
				calls.add("custom:" + message.customType() + ":" + message.data().get("lat"));
			}

		});
		this.transport.last().deliver(INBOX, message("m1", "bob", "hi"));
		this.transport.last()
			.deliver(INBOX, json("{\"kind\":\"message\",\"id\":\"m2\",\"sender\":\"bob\",\"receiverType\":\"group\","
					+ "\"receiver\":\"g1\",\"type\":\"custom\",\"customType\":\"location\",\"data\":{\"lat\":1.5},"
					+ "\"sentAt\":\"2026-01-01T00:00:00Z\"}"));
		assertThat(calls).containsExactly("any", "text", "any", "custom:location:1.5");
	}

	@Test
	void unreadableMessagesAreReportedAndDropped(CapturedOutput output) {
		connected();
		this.transport.last().deliver(INBOX, json("not json"));
		this.transport.last().deliver(INBOX, json("{\"kind\":\"message\",\"id\":\"x\"}"));
		this.transport.last().deliver(INBOX, message("m1", "bob", "still fine"));
		assertThat(this.received).extracting(ChatMessage::id).containsExactly("m1");
		assertThat(output).contains("Unreadable message: not JSON").contains("Unreadable message: 'sender' is missing");
	}

	@Test
	void presenceIsAnnouncedOnConnectAndBeforeADeliberateDisconnect() {
		DefaultCometChatClient client = connected(builder().role("agent"));
		List<Frame> announcements = this.transport.last()
			.sends()
			.stream()
			.filter((frame) -> frame.destination().equals("/topic/cometchat.app.presence"))
			.toList();
		assertThat(announcements).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).contains("\"uid\":\"alice\"")
				.contains("\"status\":\"online\"")
				.contains("\"role\":\"agent\""));
		ScriptedTransport.Connection connection = this.transport.last();
		client.disconnect();
		Frame last = connection.frames().get(connection.frames().size() - 1);
		assertThat(last.body()).contains("\"status\":\"offline\"");
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void presenceOfAllUsersReachesUserListenersButNotOnesOwn() {
		connected(builder().presenceSubscription(PresenceSubscription.ALL_USERS, Set.of(), Set.of()));
		deliverPresence("bob", "online", null);
		deliverPresence("alice", "online", null);
		deliverPresence("bob", "offline", null);
		assertThat(this.presence).containsExactly("bob:online", "bob:offline");
	}

	@Test
	void presenceByRoleOrFriendIsFiltered() {
		connected(builder().presenceSubscription(PresenceSubscription.ROLES, Set.of("agent"), Set.of()));
		deliverPresence("bob", "online", "agent");
		deliverPresence("carol", "online", "customer");
		deliverPresence("dave", "online", null);
		assertThat(this.presence).containsExactly("bob:online");
	}

	@Test
	void presenceOfFriendsOnly() {
		connected(builder().presenceSubscription(PresenceSubscription.FRIENDS, Set.of(), Set.of("carol")));
		deliverPresence("bob", "online", null);
		deliverPresence("carol", "online", null);
		assertThat(this.presence).containsExactly("carol:online");
	}

	@Test
	void noPresenceSubscriptionByDefault() {
		connected();
		assertThat(this.transport.last().subscriptions()).doesNotContainKey("cometchat-app-alice-presence");
	}

	private void deliverPresence(String uid, String status, String role) {
		this.transport.last()
			.deliver("cometchat-app-alice-presence",
					json("{\"kind\":\"presence\",\"uid\":\"" + uid + "\",\"status\":\"" + status + "\""
							+ ((role != null) ? ",\"role\":\"" + role + "\"" : "") + ",\"at\":\"2026-01-01T00:00:00Z\"}"));
	}

	@Test
	void storedSessionsNeverShowTheToken() {
		StoredSession session = new StoredSession("app", "alice", "eu", "secret", Instant.EPOCH, null, Set.of("g1"));
		assertThat(session.toString()).contains("g1").doesNotContain("secret");
	}

}
