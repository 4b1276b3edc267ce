package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.ManualExecutor;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.StateRecorder;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.client.ConnectionState.CONNECTED;
import static com.cometchat.spring.client.ConnectionState.CONNECTING;
import static com.cometchat.spring.client.ConnectionState.DISCONNECTED;
import static com.cometchat.spring.client.ConnectionState.FAILED;
import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DefaultCometChatClient}: login rules, the saved session, auto and manual mode and listeners. Runs
 * on direct executors, a scripted transport and virtual time, so every step is deterministic.
 */
class DefaultCometChatClientTests {

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final RecordingStore store = new RecordingStore();

	private final StateRecorder states = new StateRecorder();

	private final List<String> logins = new CopyOnWriteArrayList<>();

	private final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

	/** Runs the session store calls: at once, unless a test steps them by hand. */
	private Executor io = Runnable::run;

	private DefaultCometChatClient client(boolean auto) {
		return client(CometChatClient.builder().autoEstablishSocketConnection(auto));
	}

	private DefaultCometChatClient client(CometChatClientBuilder builder) {
		DefaultCometChatClient client = builder.appId("app-1")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(this.io)
			.callbackExecutor(Runnable::run)
			.sessionStore(this.store)
			.reconnectBackOff(new FixedBackOff(1000))
			.eventPublisher((event) -> this.events.add((ApplicationEvent) event))
			.build();
		client.addConnectionListener("states", this.states);
		client.addLoginListener("logins", new LoginListener() {

			@Override
			public void loginSuccess(CometChatUser user) {
				DefaultCometChatClientTests.this.logins.add("loginSuccess:" + user.uid());
			}

			@Override
			public void loginFailure(CometChatException error) {
				DefaultCometChatClientTests.this.logins.add("loginFailure:" + error.getCode());
			}

			@Override
			public void logoutSuccess() {
				DefaultCometChatClientTests.this.logins.add("logoutSuccess");
			}

			@Override
			public void logoutFailure(CometChatException error) {
				DefaultCometChatClientTests.this.logins.add("logoutFailure:" + error.getCode());
			}

		});
		return client;
	}

	/**
	 * A client in auto mode whose session store calls run when the test runs them, with bot-1 logged in.
	 */
	private DefaultCometChatClient loggedInWithStoreCallsByHand(ManualExecutor io) {
		this.io = io;
		DefaultCometChatClient client = client(true);
		client.start();
		io.runAll();
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		io.runAll();
		return client;
	}

	/**
	 * A client in manual mode on real threads (virtual time), with bot-1 logged in and the store's deletes held.
	 */
	private DefaultCometChatClient loggedInWithDeletesHeld(BlockingStore store) {
		DefaultCometChatClient client = CometChatClient.builder()
			.appId("app-1")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.autoEstablishSocketConnection(false)
			.shutdownTimeout(Duration.ofSeconds(5))
			.sessionStore(store)
			.build();
		client.login("bot-1", "token-1").join();
		store.blockDeletes();
		return client;
	}

	private StoredSession saved(String uid, String token) {
		return new StoredSession("app-1", uid, "eu", token, this.scheduler.now(), null);
	}

	@Test
	void loginInAutoModeSavesTheSessionOnlyOnceTheBrokerAcceptedIt() {
		DefaultCometChatClient client = client(true);
		client.start();
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		assertThat(client.getConnectionState()).isEqualTo(CONNECTING);
		assertThat(this.store.load("app-1")).as("nothing saved before CONNECTED").isEmpty();
		assertThat(login).isNotDone();
		this.transport.last().connected();
		assertThat(login).isCompletedWithValue(new CometChatUser("bot-1"));
		assertThat(this.store.load("app-1")).get().satisfies((session) -> {
			assertThat(session.uid()).isEqualTo("bot-1");
			assertThat(session.authToken()).isEqualTo("token-1");
			assertThat(session.region()).isEqualTo("eu");
			assertThat(session.lastConnectedAt()).isEqualTo(this.scheduler.now());
		});
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		assertThat(client.getConnectionStatus()).isEqualTo("connected");
		assertThat(this.logins).containsExactly("loginSuccess:bot-1");
		assertThat(this.transport.last().credentials().uid()).isEqualTo("bot-1");
	}

	@Test
	void loginRejectedInAutoModeSavesNothingAndFails() {
		DefaultCometChatClient client = client(true);
		CompletableFuture<CometChatUser> login = client.login("bot-1", "wrong");
		this.transport.last().rejected();
		assertThat(errorCode(login)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		assertThat(this.logins).containsExactly("loginFailure:AUTH_REJECTED");
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void loginThatCannotReachTheBrokerFailsAtOnce() {
		DefaultCometChatClient client = client(true);
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(errorCode(login)).isEqualTo(ErrorCode.CONNECT_FAILED);
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(this.states.states()).containsExactly(CONNECTING, FAILED);
	}

	@Test
	void loginWithTheSavedCredentialsCompletesAtOnceWithoutANewSocket() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(true);
		client.start();
		this.transport.last().connected();
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		assertThat(login).isCompletedWithValue(new CometChatUser("bot-1"));
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.logins).isEmpty();
	}

	@Test
	void loginWithAnotherUserLogsTheCurrentOneOutFirst() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(true);
		client.start();
		ScriptedTransport.Connection first = this.transport.last();
		first.connected();
		CompletableFuture<CometChatUser> login = client.login("bot-2", "token-2");
		assertThat(first.isClosed()).isTrue();
		assertThat(this.store.deletes).containsExactly("app-1");
		assertThat(client.getLoggedInUser()).isEmpty();
		this.transport.last().connected();
		assertThat(login).isCompletedWithValue(new CometChatUser("bot-2"));
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::uid).isEqualTo("bot-2");
		assertThat(this.transport.openCount()).isEqualTo(1);
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED);
	}

	@Test
	void loginWithAnotherTokenLogsInAgain() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(true);
		client.start();
		this.transport.last().connected();
		client.login("bot-1", "token-2");
		this.transport.last().connected();
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::authToken).isEqualTo("token-2");
	}

	@Test
	void secondLoginWhileOneIsInFlightFailsWithLoginInProgress() {
		DefaultCometChatClient client = client(true);
		CompletableFuture<CometChatUser> first = client.login("bot-1", "token-1");
		CompletableFuture<CometChatUser> second = client.login("bot-2", "token-2");
		assertThat(errorCode(second)).isEqualTo(ErrorCode.LOGIN_IN_PROGRESS);
		this.transport.last().connected();
		assertThat(first).isCompletedWithValue(new CometChatUser("bot-1"));
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void loginWithEmptyArgumentsFailsWithInvalidArgument() {
		DefaultCometChatClient client = client(true);
		assertThat(errorCode(client.login("", "token"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(errorCode(client.login("bot-1", " "))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(this.transport.opened()).isZero();
		assertThat(this.store.saves).isEmpty();
	}

	@Test
	void startRestoresTheSavedSessionAndConnectsWithoutALoginEvent() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(true);
		client.start();
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		assertThat(client.getConnectionState()).isEqualTo(CONNECTING);
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.logins).isEmpty();
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::lastConnectedAt).isNotNull();
	}

	@Test
	void startTouchesNeitherTheDatabaseNorTheNetworkOnTheCallersThread() {
		this.store.save(saved("bot-1", "token-1"));
		ManualExecutor io = new ManualExecutor();
		this.io = io;
		DefaultCometChatClient client = client(true);
		client.start();
		assertThat(this.store.loads).as("no load on the caller's thread").isZero();
		assertThat(this.transport.opened()).isZero();
		io.runAll();
		assertThat(this.store.loads).isEqualTo(1);
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void callsMadeWhileTheSavedSessionLoadsApplyToIt() {
		this.store.save(saved("bot-1", "token-1"));
		ManualExecutor io = new ManualExecutor();
		this.io = io;
		DefaultCometChatClient client = client(true);
		client.start();
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		CompletableFuture<Void> joined = client.joinGroup("support");
		assertThat(login).isNotDone();
		io.runAll();
		assertThat(login).as("the saved credentials: no new login").isCompletedWithValue(new CometChatUser("bot-1"));
		assertThat(joined).isCompleted();
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::groups).isEqualTo(Set.of("support"));
		assertThat(this.logins).isEmpty();
	}

	@Test
	void startWithoutASavedSessionStaysInitialized() {
		DefaultCometChatClient client = client(true);
		client.start();
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(client.getConnectionStatus()).isEqualTo("disconnected");
		assertThat(this.transport.opened()).isZero();
	}

	@Test
	void manualModeStartDoesNotConnectASavedSession() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(false);
		client.start();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(this.transport.opened()).isZero();
		CompletableFuture<Void> connected = client.connect();
		this.transport.last().connected();
		assertThat(connected).isCompleted();
	}

	@Test
	void manualModeLoginSavesTheSessionWithoutConnecting() {
		DefaultCometChatClient client = client(false);
		client.start();
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		assertThat(login).isCompletedWithValue(new CometChatUser("bot-1"));
		assertThat(this.store.load("app-1")).isPresent();
		assertThat(this.transport.opened()).isZero();
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(this.logins).containsExactly("loginSuccess:bot-1");
	}

	@Test
	void manualModeConnectReportsARejectionAsFailed() {
		DefaultCometChatClient client = client(false);
		client.login("bot-1", "wrong");
		CompletableFuture<Void> connected = client.connect();
		this.transport.last().rejected();
		assertThat(errorCode(connected)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(this.states.states()).containsExactly(CONNECTING, FAILED);
		assertThat(this.states.last().reason().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
	}

	@Test
	void manualModeDisconnectStopsReconnectingUntilConnect() {
		DefaultCometChatClient client = client(false);
		client.login("bot-1", "token-1");
		client.connect();
		this.transport.last().connected();
		CompletableFuture<Void> disconnected = client.disconnect();
		assertThat(disconnected).isCompleted();
		assertThat(this.transport.last().isClosed()).isTrue();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(client.getLoggedInUser()).as("the session stays").isPresent();
		client.connect();
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
	}

	@Test
	void connectWithoutALoggedInUserFailsWithUserNotLoggedIn() {
		DefaultCometChatClient client = client(false);
		client.start();
		assertThat(errorCode(client.connect())).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
		assertThat(this.transport.opened()).isZero();
	}

	@Test
	void connectWhileConnectedCompletesWithoutASecondSocket() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(true);
		client.start();
		this.transport.last().connected();
		assertThat(client.connect()).isCompleted();
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void logoutClosesTheSocketAndDeletesTheSession() {
		DefaultCometChatClient client = client(true);
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		CompletableFuture<Void> logout = client.logout();
		assertThat(logout).isCompleted();
		assertThat(this.transport.last().isClosed()).isTrue();
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		assertThat(this.logins).containsExactly("loginSuccess:bot-1", "logoutSuccess");
		assertThat(errorCode(client.connect())).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
	}

	@Test
	void aLogoutWhileALoginIsInFlightOvertakesItAndNothingOfTheLoginRemains() {
		ManualExecutor io = new ManualExecutor();
		this.io = io;
		DefaultCometChatClient client = client(true);
		client.start();
		io.runAll();
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(io.queued()).as("the login's save waits for the I/O executor").isEqualTo(1);
		CompletableFuture<Void> logout = client.logout();
		assertThat(errorCode(login)).as("overtaken").isEqualTo(ErrorCode.SUPERSEDED);
		// A pool may run the delete before the save: the writer keeps them in call order whatever the pool does
		io.runAllNewestFirst();
		assertThat(logout).isCompleted();
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(this.store.load("app-1")).as("the next start must not reconnect a user who logged out").isEmpty();
		assertThat(client.getSubscriptions()).isCompletedWithValue(Map.of());
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		assertThat(this.transport.openCount()).isZero();
		assertThat(this.logins).containsExactly("loginFailure:SUPERSEDED", "logoutSuccess");
	}

	@Test
	void aLogoutWhileTheBrokerIsStillAnsweringTheLoginOvertakesItToo() {
		DefaultCometChatClient client = client(true);
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		ScriptedTransport.Connection opening = this.transport.last();
		CompletableFuture<Void> logout = client.logout();
		opening.connected();
		assertThat(errorCode(login)).isEqualTo(ErrorCode.SUPERSEDED);
		assertThat(logout).isCompleted();
		assertThat(opening.isClosed()).isTrue();
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(this.store.saves).isEmpty();
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void callsMadeWhileALoginIsInFlightApplyToTheLoggedInUser() {
		ManualExecutor io = new ManualExecutor();
		this.io = io;
		DefaultCometChatClient client = client(true);
		client.start();
		io.runAll();
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		CompletableFuture<Void> joined = client.joinGroup("support");
		CompletableFuture<Void> disconnected = client.disconnect();
		assertThat(joined).isNotDone();
		this.transport.last().connected();
		io.runAll();
		assertThat(login).isCompletedWithValue(new CometChatUser("bot-1"));
		assertThat(joined).isCompleted();
		assertThat(disconnected).isCompleted();
		assertThat(client.getConnectionState()).as("disconnect() came after the login").isEqualTo(DISCONNECTED);
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::groups).isEqualTo(Set.of("support"));
	}

	@Test
	void groupSavesCommitInTheOrderTheyWereMade() {
		ManualExecutor io = new ManualExecutor();
		DefaultCometChatClient client = loggedInWithStoreCallsByHand(io);
		CompletableFuture<Void> first = client.joinGroup("g1");
		CompletableFuture<Void> second = client.joinGroup("g2");
		io.runAllNewestFirst();
		assertThat(first).isCompleted();
		assertThat(second).isCompleted();
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::groups).isEqualTo(Set.of("g1", "g2"));
	}

	@Test
	void aGroupSaveAskedForBeforeALogoutNeverBringsTheRowBack() {
		ManualExecutor io = new ManualExecutor();
		DefaultCometChatClient client = loggedInWithStoreCallsByHand(io);
		CompletableFuture<Void> joined = client.joinGroup("g1");
		CompletableFuture<Void> logout = client.logout();
		io.runAllNewestFirst();
		assertThat(joined).isCompleted();
		assertThat(logout).isCompleted();
		assertThat(this.store.load("app-1")).isEmpty();
	}

	@Test
	void aGroupThatCouldNotBeSavedIsNeitherJoinedNorSubscribed() {
		DefaultCometChatClient client = client(true);
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		this.store.failing = true;
		assertThat(errorCode(client.joinGroup("g1"))).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(client.getJoinedGroups()).isEmpty();
		assertThat(client.getSubscriptions().join()).doesNotContainKey("cometchat-app-1-bot-1-group-g1");
		assertThat(this.transport.last().subscriptions()).doesNotContainKey("cometchat-app-1-bot-1-group-g1");
	}

	@Test
	void closeLetsASessionWriteAskedForBeforeFinish() {
		BlockingStore store = new BlockingStore();
		DefaultCometChatClient client = loggedInWithDeletesHeld(store);
		CompletableFuture<Void> logout = client.logout();
		await().until(store::deleteBlocked);
		Thread closing = new Thread(client::close, "closing");
		closing.start();
		await().until(() -> closing.getState() == Thread.State.WAITING
				|| closing.getState() == Thread.State.TIMED_WAITING);
		store.releaseDeletes();
		await().until(() -> !closing.isAlive() && logout.isDone());
		assertThat(logout).isCompleted();
		assertThat(store.load("app-1")).isEmpty();
	}

	@Test
	void closeFailsTheSessionWritesThatDoNotFinishWithinTheShutdownTimeout() {
		BlockingStore store = new BlockingStore();
		DefaultCometChatClient client = loggedInWithDeletesHeld(store);
		CompletableFuture<Void> logout = client.logout();
		await().until(store::deleteBlocked);
		Thread closing = new Thread(client::close, "closing");
		closing.start();
		try {
			await().until(() -> {
				this.scheduler.advance(Duration.ofSeconds(5));
				return !closing.isAlive() && logout.isDone();
			});
			assertThat(logout).isCompletedExceptionally();
			assertThatThrownBy(logout::join).cause()
				.isInstanceOf(CometChatException.class)
				.hasMessageContaining("did not finish within 5000ms of closing the client");
		}
		finally {
			store.releaseDeletes();
		}
	}

	@Test
	void aServiceAccountRetriesWithTheBackOffWhenTheBrokerIsDownAtStart() {
		DefaultCometChatClient client = client(CometChatClient.builder().serviceAccount("svc", "svc-token"));
		client.start();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.RECONNECTING);
		assertThat(this.store.load("app-1")).as("saved once a broker accepted it").isEmpty();
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::uid).isEqualTo("svc");
		assertThat(this.logins).containsExactly("loginSuccess:svc");
		assertThat(this.transport.opened()).isEqualTo(3);
	}

	@Test
	void aServiceAccountTheBrokerRejectsIsNeitherSavedNorLoggedIn() {
		DefaultCometChatClient client = client(CometChatClient.builder().serviceAccount("svc", "wrong"));
		client.start();
		this.transport.last().rejected();
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(this.logins).containsExactly("loginFailure:AUTH_REJECTED");
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void logoutThatCannotDeleteTheSessionReportsLogoutFailure() {
		DefaultCometChatClient client = client(false);
		client.login("bot-1", "token-1");
		this.store.failing = true;
		assertThat(errorCode(client.logout())).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(this.logins).containsExactly("loginSuccess:bot-1", "logoutFailure:SESSION_STORE_ERROR");
	}

	@Test
	void loginThatCannotSaveTheSessionFailsAndClosesTheSocket() {
		DefaultCometChatClient client = client(true);
		this.store.failing = true;
		CompletableFuture<CometChatUser> login = client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(errorCode(login)).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(this.transport.last().isClosed()).isTrue();
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		assertThat(this.logins).containsExactly("loginFailure:SESSION_STORE_ERROR");
	}

	@Test
	void aStoreThatIsDownAtStartIsReportedAndTheRestoreIsRetriedWithTheBackOff() {
		this.store.save(saved("bot-1", "token-1"));
		this.store.failing = true;
		DefaultCometChatClient client = client(true);
		client.start();
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(client.getConnectionSnapshot().lastError().getCode()).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(client.getConnectionSnapshot().lastError().getMessage()).contains("database unavailable");
		assertThat(this.transport.opened()).isZero();
		assertThat(errorCode(client.connect())).as("still down").isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(errorCode(client.joinGroup("support"))).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.store.loads).as("retried, still down").isEqualTo(2);
		this.store.failing = false;
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		assertThat(client.getConnectionState()).as("auto mode connects the restored session").isEqualTo(CONNECTING);
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(client.getConnectionSnapshot().lastError()).isNull();
	}

	@Test
	void aLoginWhileTheStoreIsDownFailsAndAnotherSucceedsWhenItIsBack() {
		this.store.failing = true;
		DefaultCometChatClient client = client(true);
		client.start();
		CompletableFuture<CometChatUser> first = client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(errorCode(first)).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(client.getConnectionState()).as("no socket for a user who is not logged in")
			.isEqualTo(DISCONNECTED);
		this.store.failing = false;
		CompletableFuture<CometChatUser> second = client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(second).isCompletedWithValue(new CometChatUser("bot-1"));
		this.scheduler.advance(Duration.ofMinutes(1));
		assertThat(this.store.loads).as("the store is known once the login saved: no more restores").isEqualTo(1);
		assertThat(client.getConnectionSnapshot().lastError()).isNull();
	}

	@Test
	void serviceAccountLogsInAtStartWhenNoSessionIsSaved() {
		DefaultCometChatClient client = client(CometChatClient.builder().serviceAccount("svc", "svc-token"));
		client.start();
		this.transport.last().connected();
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("svc"));
		assertThat(this.store.load("app-1")).get().extracting(StoredSession::uid).isEqualTo("svc");
	}

	@Test
	void serviceAccountIsNotUsedWhenASessionIsSaved() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(CometChatClient.builder().serviceAccount("svc", "svc-token"));
		client.start();
		assertThat(this.transport.last().credentials().uid()).isEqualTo("bot-1");
	}

	@Test
	void stopDisconnectsButKeepsTheSession() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = client(true);
		client.start();
		this.transport.last().connected();
		client.stop();
		assertThat(client.isRunning()).isFalse();
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		assertThat(this.store.load("app-1")).isPresent();
	}

	@Test
	void connectionListenersGetEveryChangeAndCometChatCallbacks() {
		DefaultCometChatClient client = client(true);
		List<String> calls = new ArrayList<>();
		client.addConnectionListener("callbacks", new ConnectionListener() {

			@Override
			public void onStateChange(ConnectionStateChange change) {
				calls.add(change.current().name());
			}

			@Override
			public void onConnecting() {
				calls.add("onConnecting");
			}

			@Override
			public void onConnected() {
				calls.add("onConnected");
			}

			@Override
			public void onDisconnected() {
				calls.add("onDisconnected");
			}

			@Override
			public void onConnectionError(CometChatException error) {
				calls.add("onConnectionError:" + error.getCode());
			}

		});
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		this.transport.last().dropped();
		client.disconnect();
		assertThat(calls).containsExactly("CONNECTING", "onConnecting", "CONNECTED", "onConnected", "RECONNECTING",
				"onConnecting", "onConnectionError:CONNECTION_LOST", "CONNECTING", "onConnecting", "DISCONNECTED",
				"onDisconnected");
	}

	@Test
	void listenerWithTheSameIdReplacesTheEarlierOne() {
		DefaultCometChatClient client = client(true);
		List<String> calls = new ArrayList<>();
		client.addConnectionListener("bot", (change) -> calls.add("first"));
		client.addConnectionListener("bot", (change) -> calls.add("second"));
		client.login("bot-1", "token-1");
		client.removeConnectionListener("states");
		client.removeConnectionListener("bot");
		this.transport.last().connected();
		assertThat(calls).containsExactly("second");
	}

	@Test
	void failingListenerDoesNotStopOthersOrTheConnection() {
		DefaultCometChatClient client = client(true);
		client.addConnectionListener("broken", (change) -> {
			throw new IllegalStateException("listener bug");
		});
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED);
	}

	@Test
	void publishesStateChangesAndLoginsAsApplicationEvents() {
		DefaultCometChatClient client = client(true);
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(this.events).hasSize(3);
		assertThat(this.events.get(0)).isInstanceOfSatisfying(CometChatConnectionStateChangedEvent.class,
				(event) -> assertThat(event.getChange().current()).isEqualTo(CONNECTING));
		assertThat(this.events.get(1)).isInstanceOfSatisfying(CometChatConnectionStateChangedEvent.class,
				(event) -> assertThat(event.getChange().current()).isEqualTo(CONNECTED));
		assertThat(this.events.get(2)).isInstanceOfSatisfying(CometChatLoginEvent.class, (event) -> {
			assertThat(event.getType()).isEqualTo(CometChatLoginEvent.Type.LOGIN_SUCCESS);
			assertThat(event.getUid()).isEqualTo("bot-1");
		});
	}

	@Test
	void tokensNeverAppearInToStringOrEvents() {
		DefaultCometChatClient client = client(true);
		client.login("bot-1", "token-secret-1");
		this.transport.last().connected();
		this.transport.last().rejected();
		assertThat(client.toString()).doesNotContain("token-secret-1");
		assertThat(this.store.load("app-1").get().toString()).doesNotContain("token-secret-1");
		assertThat(this.transport.last().credentials().toString()).doesNotContain("token-secret-1");
		this.events.forEach((event) -> assertThat(event.toString()).doesNotContain("token-secret-1"));
		this.states.changes().forEach((change) -> assertThat(change.toString()).doesNotContain("token-secret-1"));
	}

	/**
	 * In-memory store that records writes and can be made to fail.
	 */
	static final class RecordingStore extends InMemorySessionStore {

		final List<String> saves = new CopyOnWriteArrayList<>();

		final List<String> deletes = new CopyOnWriteArrayList<>();

		volatile int loads;

		volatile boolean failing;

		@Override
		public Optional<StoredSession> load(String appId) {
			this.loads++;
			if (this.failing) {
				throw new IllegalStateException("database unavailable");
			}
			return super.load(appId);
		}

		@Override
		public void save(StoredSession session) {
			if (this.failing) {
				throw new IllegalStateException("database unavailable");
			}
			this.saves.add(session.uid());
			super.save(session);
		}

		@Override
		public void delete(String appId) {
			if (this.failing) {
				throw new IllegalStateException("database unavailable");
			}
			this.deletes.add(appId);
			super.delete(appId);
		}

	}

	/**
	 * In-memory store whose deletes can be held until the test lets them go.
	 */
	static final class BlockingStore extends InMemorySessionStore {

		private volatile CountDownLatch release = new CountDownLatch(0);

		private volatile boolean blocked;

		void blockDeletes() {
			this.release = new CountDownLatch(1);
		}

		void releaseDeletes() {
			this.release.countDown();
		}

		boolean deleteBlocked() {
			return this.blocked;
		}

		@Override
		public void delete(String appId) {
			this.blocked = true;
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
			super.delete(appId);
		}

	}

}
