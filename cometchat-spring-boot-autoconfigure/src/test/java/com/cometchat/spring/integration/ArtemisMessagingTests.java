package com.cometchat.spring.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.PresenceSubscription;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.SentMessage;
import com.cometchat.spring.client.UserPresence;
import com.cometchat.spring.test.ArtemisStompBroker;
import com.cometchat.spring.test.FaultProxy;
import com.cometchat.spring.test.StateRecorder;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messaging through embedded ActiveMQ Artemis, including restarts under load, a faulty link, and what becomes of the
 * queues of durable group subscriptions ({@code <client-id>.<durable-subscription-name>}).
 */
class ArtemisMessagingTests extends AbstractDurableMessagingIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new ArtemisStompBroker();
	}

	@Test
	void leavingAGroupAndLoggingOutDeleteTheDurableGroupSubscriptionsQueues() throws Exception {
		String left = "left-" + this.run;
		String kept = "kept-" + this.run;
		DefaultCometChatClient bob = connect(broker(), "bob", (builder) -> builder.durableSubscriptions(true));
		bob.joinGroup(left).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		bob.joinGroup(kept).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT)
			.until(() -> artemis().messageCount(durableQueue("bob", left)) == 0
					&& artemis().messageCount(durableQueue("bob", kept)) == 0);
		bob.leaveGroup(left).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> artemis().messageCount(durableQueue("bob", left)) == -1);
		bob.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(artemis().messageCount(durableQueue("bob", kept))).as("kept while the socket is down").isZero();
		bob.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		bob.logout().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(artemis().messageCount(durableQueue("bob", kept))).isEqualTo(-1);
	}

	@Test
	void aReconnectAfterASilentLinkLossIsNotLockedOutByTheOldConnectionsClientIdAndNothingIsLostOrDoubled()
			throws Exception {
		String group = "stranded-" + this.run;
		try (FaultProxy proxy = new FaultProxy("127.0.0.1", artemis().port())) {
			DefaultCometChatClient alice = connect("alice");
			// The client finds a silent broker within about 3 s; the broker gives the client twice its 10 s
			DefaultCometChatClient bob = connect(broker(), "bob",
					(builder) -> builder.durableSubscriptions(true)
						.url(java.net.URI.create(proxy.url("/ws")))
						.heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1)));
			String clientId = "cometchat-it-" + uid("bob");
			StateRecorder states = new StateRecorder();
			bob.addConnectionListener("states", states);
			Inbox bobs = inbox(bob);
			bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(TIMEOUT).until(() -> broker().subscriptions(uid("bob")).size() == 2);
			// The link goes silent for good; a new connection gets through
			proxy.strand();
			await().atMost(TIMEOUT)
				.until(() -> !states.changes().isEmpty() && states.last().current() == ConnectionState.CONNECTED);
			assertThat(states.states()).as("the first attempt after the loss got in")
				.containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
			assertThat(artemis().connections(clientId))
				.as("Artemis took the new connection while it still held the old one, with the same client-id")
				.isEqualTo(2);
			for (int i = 0; i < 10; i++) {
				alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "m" + i))
					.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			// Some went to the old connection's consumer: they come back to the queue when the broker drops it
			await().atMost(TIMEOUT.multipliedBy(2)).until(() -> bobs.texts().size() >= 10);
			assertThat(artemis().connections(clientId)).isEqualTo(1);
			alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "last"))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(TIMEOUT).until(() -> bobs.texts().contains("last"));
			assertThat(bobs.texts()).doesNotHaveDuplicates()
				.containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "last");
		}
	}

	private ArtemisStompBroker artemis() {
		return (ArtemisStompBroker) broker();
	}

	/**
	 * The queue Artemis keeps a user's durable group subscription in: {@code <client-id>.<durable-subscription-name>}.
	 */
	private String durableQueue(String name, String group) {
		return "cometchat-it-" + uid(name) + ".group-" + group;
	}

	@Test
	void nothingIsLostOrDoubledAcross20BrokerRestartsUnderLoad(@TempDir Path journal) throws Exception {
		try (ArtemisStompBroker persistent = new ArtemisStompBroker().persistentIn(journal)) {
			persistent.start();
			DefaultCometChatClient alice = connect(persistent, "alice", (builder) -> {
			});
			DefaultCometChatClient bob = connect(persistent, "bob", (builder) -> {
			});
			LoadResult result = sendThroughDrops(persistent, alice, bob, uid("bob"), 20, persistent::restart);
			System.out.println("20 Artemis restarts at 50 msg/s: " + result);
			assertThat(result.received()).isGreaterThan(20 * 10);
			assertThat(persistent.subscriptions(uid("bob"))).hasSize(1);
		}
	}

	@Test
	void receiptsAndEditsMadeWhileTheBrokerIsDownArriveAfterItsRestartLikeMessages(@TempDir Path journal)
			throws Exception {
		try (ArtemisStompBroker persistent = new ArtemisStompBroker().persistentIn(journal)) {
			persistent.start();
			DefaultCometChatClient alice = connect(persistent, "alice", (builder) -> {
			});
			DefaultCometChatClient bob = connect(persistent, "bob", (builder) -> {
			});
			Events alices = events(alice);
			Events bobs = events(bob);
			SentMessage sent = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "helo"))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(TIMEOUT).until(() -> bobs.heard().contains("message " + sent.id()));
			persistent.stop();
			await().atMost(TIMEOUT).until(() -> alice.getConnectionState() != ConnectionState.CONNECTED
					&& bob.getConnectionState() != ConnectionState.CONNECTED);
			CompletableFuture<Void> read = bob.markAsRead(sent.id());
			CompletableFuture<Void> edited = alice.editMessage(sent.id(), "hello");
			assertThat(read).isNotDone();
			assertThat(edited).isNotDone();
			persistent.start();
			read.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			edited.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(TIMEOUT).until(() -> alices.heard().contains("read " + sent.id() + " by " + uid("bob"))
					&& bobs.heard().contains("edited " + sent.id() + ": hello"));
		}
	}

	@ParameterizedTest(name = "ACK delay {0} ms")
	@ValueSource(longs = { 0, 1 })
	void everyReceivedMessageIsAcknowledged(long acknowledgeDelayMillis) throws Exception {
		DefaultCometChatClient alice = connect("alice");
		// Held ACKs: the 4 KiB rule writes most, the timer the last few
		DefaultCometChatClient bob = connect(broker(), "bob",
				(builder) -> builder.acknowledgeDelay(Duration.ofMillis(acknowledgeDelayMillis)));
		Inbox inbox = inbox(bob);
		for (int i = 0; i < 20; i++) {
			alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "ack " + i))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		await().atMost(TIMEOUT).until(() -> inbox.messages().size() == 20);
		// Subscribed with ack:client-individual, a message stays "delivering" until its ACK
		await().atMost(TIMEOUT)
			.until(() -> ((ArtemisStompBroker) broker()).unacknowledged("cometchat.it.user." + uid("bob")) == 0);
	}

	@Test
	void aCutMidStreamLosesNoConfirmedMessage() throws Exception {
		try (FaultProxy proxy = new FaultProxy("127.0.0.1", ((ArtemisStompBroker) broker()).port())) {
			DefaultCometChatClient alice = connect(broker(), "alice",
					(builder) -> builder.url(java.net.URI.create(proxy.url("/ws"))));
			DefaultCometChatClient bob = connect("bob");
			LoadResult result = sendThroughDrops(broker(), alice, bob, uid("bob"), 5, proxy::cut);
			System.out.println("5 cuts of the sender's link at 50 msg/s: " + result);
			assertThat(result.failed()).isZero();
		}
	}

	@Test
	void aBlackholedLinkIsDetectedByHeartbeatsAndTheClientReconnects() throws Exception {
		try (FaultProxy proxy = new FaultProxy("127.0.0.1", ((ArtemisStompBroker) broker()).port())) {
			DefaultCometChatClient alice = connect(broker(), "alice",
					(builder) -> builder.url(java.net.URI.create(proxy.url("/ws")))
						.heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(1)));
			proxy.blackhole();
			await().atMost(TIMEOUT).until(() -> alice.getConnectionState() != ConnectionState.CONNECTED);
			assertThat(alice.getConnectionSnapshot().lastError()).isNotNull();
			assertThat(alice.getConnectionSnapshot().lastError().getCode()).isEqualTo(ErrorCode.CONNECTION_LOST);
			proxy.normal();
			awaitConnected(alice);
		}
	}

	@Test
	void aUserWhoseLinkIsBlackholedIsReportedOfflineByThoseWhoWatchAfterTheMissedHeartbeats() throws Exception {
		try (FaultProxy proxy = new FaultProxy("127.0.0.1", ((ArtemisStompBroker) broker()).port())) {
			String alicesUid = uid("alice");
			List<String> heard = new CopyOnWriteArrayList<>();
			DefaultCometChatClient bob = connect(broker(), "bob",
					(builder) -> builder.presenceSubscription(PresenceSubscription.ALL_USERS, Set.of(), Set.of())
						.presenceHeartbeat(Duration.ofSeconds(1), 3));
			bob.addUserListener("test", (presence) -> {
				if (presence.uid().equals(alicesUid)) {
					heard.add(status(presence));
				}
			});
			// Without STOMP heart-beats alice does not notice the blackhole: she stays connected, and cannot say goodbye
			DefaultCometChatClient alice = connect(broker(), "alice",
					(builder) -> builder.url(java.net.URI.create(proxy.url("/ws")))
						.heartbeat(Duration.ZERO, Duration.ZERO)
						.presenceHeartbeat(Duration.ofSeconds(1), 3));
			await().atMost(TIMEOUT).until(() -> heard.contains("online"));
			proxy.blackhole();
			// Offline three heartbeats (3 s) after alice's last announcement got through
			await().atMost(TIMEOUT).until(() -> heard.get(heard.size() - 1).equals("offline"));
			// (On a machine loaded enough to hold an announcement back for 2 s, bob may have missed her before too)
			assertThat(heard).startsWith("online").endsWith("offline");
			assertThat(alice.getConnectionState()).as("alice never noticed").isEqualTo(ConnectionState.CONNECTED);
		}
	}

	private static String status(UserPresence presence) {
		return presence.online() ? "online" : "offline";
	}

}
