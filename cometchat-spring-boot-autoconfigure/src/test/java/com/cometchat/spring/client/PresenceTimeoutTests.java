package com.cometchat.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.ScriptedTransport.Frame;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for presence that notices a crash: the heartbeats of {@link PresenceAnnouncer} and the timeouts of
 * {@link PresenceTimeouts}, in a {@link DefaultCometChatClient} on a scripted transport, in virtual time.
 */
class PresenceTimeoutTests {

	private static final String PRESENCE_TOPIC = "/topic/cometchat.app.presence";

	private static final String PRESENCE_SUBSCRIPTION = "cometchat-app-alice-presence";

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final List<String> heard = new ArrayList<>();

	private final List<UserPresence> presences = new ArrayList<>();

	private CometChatClientBuilder builder() {
		return CometChatClient.builder()
			.appId("app")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.callbackExecutor(Runnable::run)
			.sessionStore(new InMemorySessionStore())
			.reconnectBackOff(new FixedBackOff(1000))
			.presenceSubscription(PresenceSubscription.ALL_USERS, Set.of(), Set.of());
	}

	private DefaultCometChatClient connected(CometChatClientBuilder builder) {
		DefaultCometChatClient client = builder.build();
		client.addUserListener("test", (presence) -> {
			this.presences.add(presence);
			this.heard.add(presence.uid() + ":" + (presence.online() ? "online" : "offline"));
		});
		client.login("alice", "alice-token");
		this.transport.last().connected();
		return client;
	}

	private DefaultCometChatClient connected() {
		return connected(builder());
	}

	/**
	 * Answer the next connection attempt the client makes after a drop, whenever the back-off lets it come.
	 */
	private ScriptedTransport.Connection answerNextAttempt(DefaultCometChatClient client) {
		for (int i = 0; i < 100 && client.getConnectionState() != ConnectionState.CONNECTING; i++) {
			this.scheduler.advance(Duration.ofMillis(100));
		}
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTING);
		ScriptedTransport.Connection attempt = this.transport.last();
		attempt.connected();
		return attempt;
	}

	private static List<Frame> announcements(ScriptedTransport.Connection connection) {
		return connection.sends().stream().filter((frame) -> frame.destination().equals(PRESENCE_TOPIC)).toList();
	}

	private void announce(String uid, String status, String every) {
		this.transport.last()
			.deliver(PRESENCE_SUBSCRIPTION,
					("{\"kind\":\"presence\",\"v\":1,\"uid\":\"" + uid + "\",\"status\":\"" + status
							+ "\",\"at\":\"2026-01-01T00:00:00Z\"" + ((every != null) ? ",\"every\":\"" + every + "\"" : "")
							+ "}")
						.getBytes(StandardCharsets.UTF_8));
	}

	// Heartbeats

	@Test
	void onlineIsAnnouncedAgainEveryIntervalWhileConnectedWithTheInterval() {
		connected();
		ScriptedTransport.Connection connection = this.transport.last();
		assertThat(announcements(connection)).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).contains("\"status\":\"online\"")
				.contains("\"every\":\"PT15S\""));
		this.scheduler.advance(Duration.ofSeconds(15).minusMillis(1));
		assertThat(announcements(connection)).hasSize(1);
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(announcements(connection)).hasSize(2);
		this.scheduler.advance(Duration.ofSeconds(30));
		assertThat(announcements(connection)).hasSize(4).allSatisfy((frame) -> {
			assertThat(frame.body()).contains("\"status\":\"online\"");
			assertThat(frame.id()).as("ephemeral: no receipt").isNull();
			assertThat(frame.headers()).containsEntry("persistent", "false");
		});
	}

	@Test
	void noHeartbeatIsSentWhileDisconnectedAndTheNextConnectionStartsItsOwn() {
		DefaultCometChatClient client = connected();
		ScriptedTransport.Connection first = this.transport.last();
		this.scheduler.advance(Duration.ofSeconds(10));
		first.dropped();
		// No attempt is answered for a minute
		this.scheduler.advance(Duration.ofSeconds(60));
		assertThat(this.transport.connections()).allSatisfy((connection) -> assertThat(announcements(connection))
			.hasSize((connection == first) ? 1 : 0));
		ScriptedTransport.Connection reconnected = answerNextAttempt(client);
		assertThat(announcements(reconnected)).as("online on connect").hasSize(1);
		this.scheduler.advance(Duration.ofSeconds(15));
		assertThat(announcements(reconnected)).hasSize(2);
	}

	@Test
	void reconnectsLeaveOneHeartbeatPerInterval() {
		DefaultCometChatClient client = connected();
		for (int i = 0; i < 3; i++) {
			this.scheduler.advance(Duration.ofSeconds(5));
			this.transport.last().dropped();
			answerNextAttempt(client);
		}
		ScriptedTransport.Connection last = this.transport.last();
		assertThat(this.transport.opened()).isEqualTo(4);
		assertThat(announcements(last)).hasSize(1);
		this.scheduler.advance(Duration.ofSeconds(60));
		assertThat(announcements(last)).hasSize(1 + 4);
	}

	@Test
	void heartbeatsEndWithADisconnect() {
		DefaultCometChatClient client = connected();
		ScriptedTransport.Connection connection = this.transport.last();
		this.scheduler.advance(Duration.ofSeconds(15));
		client.disconnect();
		assertThat(announcements(connection)).extracting(Frame::body)
			.satisfiesExactly((online) -> assertThat(online).contains("\"status\":\"online\""),
					(beat) -> assertThat(beat).contains("\"status\":\"online\""),
					(offline) -> assertThat(offline).contains("\"status\":\"offline\"").doesNotContain("every"));
		assertThat(this.scheduler.pendingTasks()).as("no timer left").isZero();
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(announcements(connection)).hasSize(3);
	}

	@Test
	void heartbeatsEndWithALogout() {
		DefaultCometChatClient client = connected();
		ScriptedTransport.Connection connection = this.transport.last();
		client.logout();
		assertThat(this.scheduler.pendingTasks()).as("no timer left").isZero();
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(announcements(connection)).hasSize(2);
	}

	@Test
	void heartbeatsEndWithAStop() {
		DefaultCometChatClient client = connected();
		client.start();
		ScriptedTransport.Connection connection = this.transport.last();
		client.stop(() -> {
		});
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(announcements(connection)).hasSize(2);
		assertThat(this.scheduler.pendingTasks()).as("no timer left").isZero();
	}

	// Timeouts

	@Test
	void aUserWhoStopsAnnouncingIsReportedOfflineExactlyAtTheTimeoutByTheReceiversClock() {
		connected();
		announce("bob", "online", "PT15S");
		assertThat(this.heard).containsExactly("bob:online");
		this.scheduler.advance(Duration.ofSeconds(45).minusMillis(1));
		assertThat(this.heard).containsExactly("bob:online");
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
		assertThat(this.presences.get(1).at()).isEqualTo(this.scheduler.now());
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(this.heard).as("once").hasSize(2);
	}

	@Test
	void anAnnouncementInTimeKeepsTheUserOnlineWithoutTellingTheListenersAgain() {
		connected();
		announce("bob", "online", "PT15S");
		for (int i = 0; i < 5; i++) {
			this.scheduler.advance(Duration.ofSeconds(44));
			announce("bob", "online", "PT15S");
		}
		assertThat(this.heard).containsExactly("bob:online");
		this.scheduler.advance(Duration.ofSeconds(45));
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
	}

	@Test
	void theSendersIntervalIsTheOneUsedTimesTheReceiversMissedHeartbeats() {
		connected(builder().presenceHeartbeat(Duration.ofSeconds(15), 2));
		announce("bob", "online", "PT5S");
		this.scheduler.advance(Duration.ofSeconds(10).minusMillis(1));
		assertThat(this.heard).containsExactly("bob:online");
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
	}

	@Test
	void anExplicitOfflineEndsTheWatch() {
		connected();
		announce("bob", "online", "PT15S");
		this.scheduler.advance(Duration.ofSeconds(20));
		announce("bob", "offline", null);
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(this.heard).hasSize(2);
	}

	@Test
	void noUserIsReportedOfflineTwiceOrWithoutHavingBeenOnline() {
		connected();
		announce("carol", "offline", null);
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(this.heard).as("never heard online").isEmpty();
		announce("bob", "online", "PT15S");
		this.scheduler.advance(Duration.ofSeconds(45));
		announce("bob", "offline", null);
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
		announce("bob", "online", "PT15S");
		assertThat(this.heard).as("back after the timeout").containsExactly("bob:online", "bob:offline", "bob:online");
	}

	@Test
	void aUserWhoDoesNotSayHowOftenTheyAnnounceIsNeverTimedOut() {
		connected();
		announce("bob", "online", null);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.heard).containsExactly("bob:online");
		announce("bob", "offline", null);
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
	}

	@Test
	void onlyWatchedUsersAreTracked() {
		connected(builder().presenceSubscription(PresenceSubscription.FRIENDS, Set.of(), Set.of("carol")));
		announce("bob", "online", "PT15S");
		announce("carol", "online", "PT15S");
		this.scheduler.advance(Duration.ofSeconds(45));
		assertThat(this.heard).containsExactly("carol:online", "carol:offline");
	}

	@Test
	void timeCountsOnlyWhileTheReceiverIsConnected() {
		DefaultCometChatClient client = connected();
		announce("bob", "online", "PT15S");
		this.scheduler.advance(Duration.ofSeconds(30));
		this.transport.last().dropped();
		this.scheduler.advance(Duration.ofMinutes(2));
		assertThat(this.heard).as("not heard from while this client hears nobody").containsExactly("bob:online");
		answerNextAttempt(client);
		this.scheduler.advance(Duration.ofSeconds(45).minusMillis(1));
		assertThat(this.heard).containsExactly("bob:online");
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.heard).containsExactly("bob:online", "bob:offline");
	}

	@Test
	void whoWasOnlineInTheSessionOfAnotherUserIsNotReported() {
		DefaultCometChatClient client = connected();
		announce("bob", "online", "PT15S");
		client.logout();
		client.login("alice", "alice-token");
		this.transport.last().connected();
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(this.heard).containsExactly("bob:online");
		announce("bob", "online", "PT15S");
		assertThat(this.heard).as("new in this session").containsExactly("bob:online", "bob:online");
	}

	// Off

	@Test
	void anIntervalOfZeroSwitchesHeartbeatsAndTimeoutsOff() {
		connected(builder().presenceHeartbeat(Duration.ZERO, 3));
		ScriptedTransport.Connection connection = this.transport.last();
		assertThat(announcements(connection)).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).doesNotContain("every"));
		announce("bob", "online", "PT15S");
		announce("bob", "online", "PT15S");
		announce("carol", "offline", null);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(announcements(connection)).hasSize(1);
		assertThat(this.heard).as("every presence as it comes").containsExactly("bob:online", "bob:online",
				"carol:offline");
	}

	@Test
	void aHeartbeatIntervalMustNotBeNegativeNorTheMissedHeartbeatsBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> builder().presenceHeartbeat(Duration.ofSeconds(-1), 3));
		assertThatIllegalArgumentException().isThrownBy(() -> builder().presenceHeartbeat(Duration.ofSeconds(15), 0));
	}

}
