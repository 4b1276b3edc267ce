package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.ManualExecutor;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link DefaultCometChatConnectionManager}: many users, each with a client, a socket and a saved row of its
 * own; the restore of every saved session at start, a few at a time; the single client as one of the sessions.
 * Scripted transport, direct executors and virtual time.
 */
class DefaultCometChatConnectionManagerTests {

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final FailingStore store = new FailingStore();

	private final List<String> events = new CopyOnWriteArrayList<>();

	/** Runs the store calls; a test may queue them instead, to choose when a load or a write happens. */
	private Executor storeExecutor = Runnable::run;

	/** Runs the listeners and completes the futures; a test may queue them instead. */
	private Executor callbackExecutor = Runnable::run;

	private CometChatClientBuilder builder(boolean auto) {
		return CometChatClient.builder()
			.appId("app")
			.autoEstablishSocketConnection(auto)
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.storeExecutor((task) -> this.storeExecutor.execute(task))
			.callbackExecutor((task) -> this.callbackExecutor.execute(task))
			.reconnectBackOff(new FixedBackOff(1000))
			.sessionStore(this.store);
	}

	private DefaultCometChatConnectionManager manager(boolean auto, int restoreConcurrency,
			DefaultCometChatClient primary) {
		DefaultCometChatConnectionManager manager = new DefaultCometChatConnectionManager(builder(auto), primary,
				restoreConcurrency, () -> new CometChatClientObserver() {
				});
		manager.addConnectionListener("events",
				(uid, change) -> this.events.add(uid + ":" + change.current()));
		manager.addLoginListener("events", new SessionLoginListener() {

			@Override
			public void loginSuccess(CometChatUser user) {
				DefaultCometChatConnectionManagerTests.this.events.add(user.uid() + ":loginSuccess");
			}

			@Override
			public void loginFailure(String uid, CometChatException error) {
				DefaultCometChatConnectionManagerTests.this.events.add(uid + ":loginFailure:" + error.getCode());
			}

			@Override
			public void logoutSuccess(String uid) {
				DefaultCometChatConnectionManagerTests.this.events.add(uid + ":logoutSuccess");
			}

		});
		return manager;
	}

	private DefaultCometChatConnectionManager manager() {
		DefaultCometChatConnectionManager manager = manager(true, 64, null);
		manager.start();
		return manager;
	}

	private ScriptedTransport.Connection connectionOf(String uid) {
		List<ScriptedTransport.Connection> all = this.transport.connections();
		for (int i = all.size() - 1; i >= 0; i--) {
			if (all.get(i).credentials().uid().equals(uid)) {
				return all.get(i);
			}
		}
		throw new AssertionError("No connection of " + uid);
	}

	private CometChatClient loggedIn(DefaultCometChatConnectionManager manager, String uid) {
		CompletableFuture<CometChatClient> login = manager.login(uid, uid + "-token");
		connectionOf(uid).connected();
		return login.join();
	}

	private static StoredSession saved(String uid) {
		return new StoredSession("app", uid, "eu", uid + "-token", Instant.parse("2026-01-01T00:00:00Z"), null,
				Set.of(), false);
	}

	@Test
	void eachUserHasAClientASocketAndASavedRowOfTheirOwn() {
		DefaultCometChatConnectionManager manager = manager();
		CometChatClient alice = loggedIn(manager, "alice");
		CometChatClient bob = loggedIn(manager, "bob");
		assertThat(alice).isNotSameAs(bob);
		assertThat(alice.getLoggedInUser()).contains(new CometChatUser("alice"));
		assertThat(manager.getClient("bob")).containsSame(bob);
		assertThat(manager.getClients()).containsExactlyInAnyOrder(alice, bob);
		assertThat(this.transport.openCount()).isEqualTo(2);
		assertThat(this.store.loadAll("app")).extracting(StoredSession::uid).containsExactlyInAnyOrder("alice", "bob");
		assertThat(this.store.loadAll("app")).noneMatch(StoredSession::primary);
		assertThat(this.events).contains("alice:loginSuccess", "bob:loginSuccess", "alice:CONNECTED", "bob:CONNECTED");
	}

	@Test
	void theLoginRulesApplyPerUid() {
		DefaultCometChatConnectionManager manager = manager();
		CometChatClient alice = loggedIn(manager, "alice");
		assertThat(manager.login("alice", "alice-token")).as("same credentials: at once")
			.isCompletedWithValue(alice);
		assertThat(this.transport.opened()).isEqualTo(1);
		CompletableFuture<CometChatClient> again = manager.login("alice", "new-token");
		assertThat(errorCode(manager.login("alice", "third-token"))).isEqualTo(ErrorCode.LOGIN_IN_PROGRESS);
		connectionOf("alice").connected();
		assertThat(again).isCompletedWithValue(alice);
		assertThat(this.store.load("app", "alice")).get().extracting(StoredSession::authToken).isEqualTo("new-token");
		assertThat(this.transport.openCount()).isEqualTo(1);
	}

	@Test
	void aLogoutOfOneUserLeavesTheOthersAlone() {
		DefaultCometChatConnectionManager manager = manager();
		CometChatClient alice = loggedIn(manager, "alice");
		loggedIn(manager, "bob");
		assertThat(manager.logout("bob")).isCompleted();
		assertThat(manager.getClient("bob")).isEmpty();
		assertThat(manager.getClients()).containsExactly(alice);
		assertThat(alice.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.store.loadAll("app")).extracting(StoredSession::uid).containsExactly("alice");
		assertThat(errorCode(manager.logout("bob"))).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
		assertThat(errorCode(manager.connect("carol"))).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
	}

	@Test
	void aFailedLoginLeavesNoClientAndNoRowBehind() {
		DefaultCometChatConnectionManager manager = manager();
		CompletableFuture<CometChatClient> login = manager.login("alice", "wrong");
		connectionOf("alice").rejected();
		assertThat(errorCode(login)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(manager.getClient("alice")).isEmpty();
		assertThat(manager.getClients()).isEmpty();
		assertThat(this.store.loadAll("app")).isEmpty();
		assertThat(manager).as("the client is dropped, not only hidden").hasToString(
				"DefaultCometChatConnectionManager[appId=app, sessions=0]");
		assertThat(this.events).contains("alice:loginFailure:AUTH_REJECTED");
		assertThat(loggedIn(manager, "alice").getLoggedInUser()).as("a later login works")
			.contains(new CometChatUser("alice"));
	}

	@Test
	void invalidUidsFailAtOnce() {
		DefaultCometChatConnectionManager manager = manager();
		assertThat(errorCode(manager.login("../alice", "token"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(errorCode(manager.login("alice", " "))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(this.transport.opened()).isZero();
	}

	@Test
	void everySavedSessionReconnectsAtStartAFewAtATime() {
		for (int i = 0; i < 10; i++) {
			this.store.save(saved("user-" + i));
		}
		DefaultCometChatConnectionManager manager = manager(true, 3, null);
		manager.start();
		assertThat(manager.restored()).isCompleted();
		assertThat(manager.getClients()).hasSize(10);
		assertThat(this.transport.opened()).as("three attempts in flight at once").isEqualTo(3);
		List<ScriptedTransport.Connection> answered = new ArrayList<>();
		while (answered.size() < 10) {
			for (ScriptedTransport.Connection connection : List.copyOf(this.transport.connections())) {
				if (!answered.contains(connection)) {
					answered.add(connection);
					connection.connected();
				}
			}
		}
		assertThat(manager.getClients()).allMatch((client) -> client.getConnectionState() == ConnectionState.CONNECTED);
		assertThat(this.transport.opened()).isEqualTo(10);
		assertThat(this.events).as("a restore is not a login").noneMatch((event) -> event.endsWith("loginSuccess"));
		assertThat(manager.countByState()).containsEntry(ConnectionState.CONNECTED, 10);
	}

	@Test
	void eachSessionWhoseSavedTokenIsRejectedGetsAFreshTokenForItsOwnUid() {
		this.store.save(saved("alice"));
		this.store.save(saved("bob"));
		List<String> asked = new CopyOnWriteArrayList<>();
		DefaultCometChatConnectionManager manager = new DefaultCometChatConnectionManager(
				builder(true).tokenProvider((uid, rejection) -> {
					asked.add(uid + ":" + rejection.getCode());
					return uid + "-fresh-token";
				}), null, 64, () -> new CometChatClientObserver() {
				});
		manager.addConnectionListener("events", (uid, change) -> this.events.add(uid + ":" + change.current()));
		manager.start();
		connectionOf("alice").rejected();
		connectionOf("bob").rejected();
		assertThat(asked).containsExactly("alice:AUTH_REJECTED", "bob:AUTH_REJECTED");
		assertThat(connectionOf("alice").credentials().authToken()).isEqualTo("alice-fresh-token");
		assertThat(connectionOf("bob").credentials().authToken()).isEqualTo("bob-fresh-token");
		connectionOf("alice").connected();
		connectionOf("bob").connected();
		assertThat(manager.countByState()).containsEntry(ConnectionState.CONNECTED, 2);
		assertThat(this.store.loadAll("app")).extracting(StoredSession::uid, StoredSession::authToken)
			.containsExactlyInAnyOrder(tuple("alice", "alice-fresh-token"),
					tuple("bob", "bob-fresh-token"));
		assertThat(this.store.loadAll("app")).as("still the manager's rows").noneMatch(StoredSession::primary);
		assertThat(this.events).containsSubsequence("alice:RECONNECTING", "alice:CONNECTING", "alice:CONNECTED")
			.containsSubsequence("bob:RECONNECTING", "bob:CONNECTING", "bob:CONNECTED")
			.noneMatch((event) -> event.endsWith(":FAILED"));
	}

	@Test
	void aStopThenAStartBringsTheSessionsBackAFewAtATime() {
		for (int i = 0; i < 4; i++) {
			this.store.save(saved("user-" + i));
		}
		DefaultCometChatConnectionManager manager = manager(true, 2, null);
		manager.start();
		answerConnections(0, 4);
		CometChatClient dana = loggedIn(manager, "dana");
		boolean[] stopped = new boolean[1];
		manager.stop(() -> stopped[0] = true);
		assertThat(stopped[0]).isTrue();
		assertThat(manager.isRunning()).isFalse();
		assertThat(this.transport.openCount()).isZero();
		assertThat(manager.getClients()).as("a stop keeps the sessions").hasSize(5)
			.allMatch((client) -> client.getConnectionState() == ConnectionState.DISCONNECTED);
		manager.start();
		assertThat(this.transport.openCount()).as("two attempts in flight at once").isEqualTo(2);
		answerConnections(5, 10);
		assertThat(manager.getClients()).hasSize(5)
			.allMatch((client) -> client.getConnectionState() == ConnectionState.CONNECTED);
		assertThat(manager.getClient("dana")).containsSame(dana);
		assertThat(this.transport.openCount()).isEqualTo(5);
	}

	/**
	 * Answer CONNECTED to the connections numbered {@code from} (inclusive) to {@code to} (exclusive) in the order they
	 * were opened, each answer letting the next open.
	 */
	private void answerConnections(int from, int to) {
		for (int i = from; i < to; i++) {
			assertThat(this.transport.connections()).as("connections opened").hasSizeGreaterThan(i);
			this.transport.connections().get(i).connected();
		}
	}

	@Test
	void aSessionLoggedOutWhileItWaitsForItsPlaceGivesItToTheNext() {
		List<String> uids = savedThree();
		DefaultCometChatConnectionManager manager = manager(true, 1, null);
		manager.start();
		String first = onlyConnecting();
		List<String> waiting = new ArrayList<>(uids);
		waiting.remove(first);
		assertThat(manager.logout(waiting.get(0))).isCompleted();
		connectionOf(first).connected();
		assertThat(onlyConnecting()).as("the place goes to the one still waiting").isEqualTo(waiting.get(1));
		connectionOf(waiting.get(1)).connected();
		assertThat(manager.getClients()).hasSize(2)
			.allMatch((client) -> client.getConnectionState() == ConnectionState.CONNECTED);
	}

	@Test
	void aSessionConnectedByHandBeforeItsTurnDoesNotKeepItsPlace() {
		List<String> uids = savedThree();
		DefaultCometChatConnectionManager manager = manager(true, 1, null);
		manager.start();
		String first = onlyConnecting();
		List<String> waiting = new ArrayList<>(uids);
		waiting.remove(first);
		CompletableFuture<Void> connected = manager.connect(waiting.get(0));
		connectionOf(waiting.get(0)).connected();
		assertThat(connected).isCompleted();
		connectionOf(first).connected();
		assertThat(onlyConnecting()).isEqualTo(waiting.get(1));
		connectionOf(waiting.get(1)).connected();
		assertThat(manager.countByState()).containsEntry(ConnectionState.CONNECTED, 3);
		assertThat(this.transport.opened()).isEqualTo(3);
	}

	private List<String> savedThree() {
		List<String> uids = List.of("a", "b", "c");
		uids.forEach((uid) -> this.store.save(saved(uid)));
		return uids;
	}

	/**
	 * The uid of the one connection that is open and not answered yet.
	 */
	private String onlyConnecting() {
		List<String> connecting = this.transport.connections()
			.stream()
			.filter((connection) -> !connection.isClosed() && !connection.isConnected())
			.map((connection) -> connection.credentials().uid())
			.toList();
		assertThat(connecting).hasSize(1);
		return connecting.get(0);
	}

	@Test
	void eventsOfTheLastRunDoNotFreePlacesInTheNext() {
		ManualExecutor callbacks = new ManualExecutor();
		this.callbackExecutor = callbacks;
		savedThree();
		DefaultCometChatConnectionManager manager = manager(true, 2, null);
		manager.start();
		manager.stop(() -> {
		});
		manager.start();
		assertThat(this.transport.openCount()).isEqualTo(2);
		// The DISCONNECTED of the stop, heard only now
		callbacks.runAll();
		assertThat(this.transport.openCount()).as("still two attempts in flight").isEqualTo(2);
		assertThat(this.transport.opened()).isEqualTo(4);
		answerConnections(2, 5);
		assertThat(manager.countByState()).containsEntry(ConnectionState.CONNECTED, 3);
	}

	@Test
	void aLoadThatEndsAfterAStopConnectsNothing() {
		ManualExecutor store = new ManualExecutor();
		this.storeExecutor = store;
		this.store.save(saved("alice"));
		DefaultCometChatConnectionManager manager = manager(true, 64, null);
		manager.start();
		manager.stop();
		store.runAll();
		assertThat(manager.getClients()).isEmpty();
		assertThat(this.transport.opened()).isZero();
		assertThat(manager.restored()).as("nothing was restored").isNotDone();
		manager.start();
		store.runAll();
		assertThat(manager.restored()).isCompleted();
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void aRetryOfAFailedLoadStopsWithTheManager() {
		this.store.save(saved("alice"));
		this.store.failing = true;
		DefaultCometChatConnectionManager manager = manager();
		manager.stop();
		this.store.failing = false;
		this.scheduler.advance(Duration.ofSeconds(10));
		assertThat(manager.getClients()).isEmpty();
		assertThat(this.transport.opened()).isZero();
	}

	@Test
	void restoredIsAboutTheLastStart() {
		ManualExecutor store = new ManualExecutor();
		this.storeExecutor = store;
		DefaultCometChatConnectionManager manager = manager(true, 64, null);
		manager.start();
		store.runAll();
		assertThat(manager.restored()).isCompleted();
		manager.stop();
		manager.start();
		assertThat(manager.restored()).isNotDone();
		store.runAll();
		assertThat(manager.restored()).isCompleted();
	}

	@Test
	void aLoginWaitsForTheSavedSessionsSoItsRulesSeeTheSavedOne() {
		ManualExecutor store = new ManualExecutor();
		this.storeExecutor = store;
		this.store.save(saved("alice"));
		DefaultCometChatConnectionManager manager = manager(true, 64, null);
		manager.start();
		CompletableFuture<CometChatClient> login = manager.login("alice", "wrong");
		assertThat(this.transport.opened()).as("not before the load").isZero();
		store.runAll();
		// Another token for a saved user: the saved session is logged out first, then the login is tried
		connectionOf("alice").rejected();
		store.runAll();
		assertThat(errorCode(login)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(manager.getClient("alice")).isEmpty();
		assertThat(this.store.loadAll("app")).as("the saved session was logged out").isEmpty();
		assertThat(this.transport.openCount()).isZero();
	}

	@Test
	void manualModeRestoresTheUsersButOpensNoSocketUntilConnect() {
		this.store.save(saved("alice"));
		this.store.save(saved("bob"));
		DefaultCometChatConnectionManager manager = manager(false, 64, null);
		manager.start();
		assertThat(manager.getClients()).hasSize(2);
		assertThat(this.transport.opened()).isZero();
		CompletableFuture<Void> connected = manager.connect("bob");
		connectionOf("bob").connected();
		assertThat(connected).isCompleted();
		assertThat(manager.getClient("alice").orElseThrow().getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
	}

	@Test
	void aStoreThatIsDownAtStartIsRetriedWithTheBackOff() {
		this.store.save(saved("alice"));
		this.store.failing = true;
		DefaultCometChatConnectionManager manager = manager();
		assertThat(errorCode(manager.restored())).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(manager.getRestoreError()).isNotNull();
		assertThat(manager.getClients()).isEmpty();
		this.store.failing = false;
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(manager.restored()).isCompleted();
		assertThat(manager.getRestoreError()).isNull();
		assertThat(manager.getClient("alice")).isPresent();
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void theSingleClientIsTheManagersSessionForItsUser() {
		DefaultCometChatClient single = builder(true).build();
		DefaultCometChatConnectionManager manager = manager(true, 64, single);
		single.start();
		manager.start();
		CompletableFuture<CometChatUser> login = single.login("alice", "alice-token");
		connectionOf("alice").connected();
		login.join();
		assertThat(manager.getClient("alice")).containsSame(single);
		assertThat(manager.login("alice", "alice-token")).isCompletedWithValue(single);
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.store.load("app")).get().extracting(StoredSession::uid).isEqualTo("alice");
		loggedIn(manager, "bob");
		assertThat(errorCode(single.login("bob", "bob-token"))).as("bob is the manager's")
			.isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(single.getLoggedInUser()).as("alice stays").contains(new CometChatUser("alice"));
		assertThat(manager.getClients()).hasSize(2);
		single.logout().join();
		assertThat(manager.getClient("alice")).isEmpty();
		assertThat(this.events).contains("alice:loginSuccess", "alice:logoutSuccess");
	}

	@Test
	void eachSessionsMessagesReachTheManagersListenersWithItsUid() {
		DefaultCometChatConnectionManager manager = manager();
		List<String> received = new CopyOnWriteArrayList<>();
		manager.addMessageListener("test", (uid, message) -> received.add(uid + ":" + message.text()));
		loggedIn(manager, "alice");
		loggedIn(manager, "bob");
		connectionOf("bob").deliver("cometchat-app-bob-user", message("m-1", "carol", "bob", "hi bob"));
		connectionOf("alice").deliver("cometchat-app-alice-user", message("m-2", "carol", "alice", "hi alice"));
		assertThat(received).containsExactly("bob:hi bob", "alice:hi alice");
	}

	@Test
	void eventListenersHearEverySessionWithItsClientAndUid() {
		DefaultCometChatConnectionManager manager = manager();
		List<String> received = new CopyOnWriteArrayList<>();
		manager.addEventListener("test", (client, uid, event) -> {
			assertThat(manager.getClient(uid)).containsSame(client);
			received.add(uid + ":" + event.getClass().getSimpleName());
		});
		CometChatClient alice = loggedIn(manager, "alice");
		loggedIn(manager, "bob");
		assertThat(received).contains("alice:ConnectionStateChange", "alice:CometChatLoginEvent",
				"bob:ConnectionStateChange", "bob:CometChatLoginEvent");
		received.clear();
		connectionOf("bob").deliver("cometchat-app-bob-user", message("m-1", "carol", "bob", "hi bob"));
		connectionOf("alice").deliver("cometchat-app-alice-user", message("m-2", "carol", "alice", "hi alice"));
		assertThat(received).containsExactly("bob:ChatMessage", "alice:ChatMessage");
		assertThat(alice).isNotNull();
	}

	private static byte[] message(String id, String sender, String receiver, String text) {
		return ("{\"kind\":\"message\",\"id\":\"" + id + "\",\"sender\":\"" + sender
				+ "\",\"receiverType\":\"user\",\"receiver\":\"" + receiver + "\",\"type\":\"text\",\"text\":\"" + text
				+ "\",\"sentAt\":\"2026-01-01T00:00:00Z\"}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * An in-memory store whose loads can be made to fail.
	 */
	static final class FailingStore extends InMemorySessionStore {

		volatile boolean failing;

		@Override
		public List<StoredSession> loadAll(String appId) {
			if (this.failing) {
				throw new IllegalStateException("database unavailable");
			}
			return super.loadAll(appId);
		}

		@Override
		public Optional<StoredSession> load(String appId) {
			if (this.failing) {
				throw new IllegalStateException("database unavailable");
			}
			return super.load(appId);
		}

	}

}
