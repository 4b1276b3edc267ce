package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
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

	private DefaultCometChatClient client(boolean auto) {
		return client(CometChatClient.builder().autoEstablishSocketConnection(auto));
	}

	private DefaultCometChatClient client(CometChatClientBuilder builder) {
		DefaultCometChatClient client = builder.appId("app-1")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
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
	void theSavedUserIsKnownAsSoonAsStartReturns() {
		this.store.save(saved("bot-1", "token-1"));
		DefaultCometChatClient client = CometChatClient.builder()
			.appId("app-1")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor((task) -> {
				// never runs: the user must not depend on the loop
			})
			.ioExecutor((task) -> {
				// never runs: start() must not depend on background I/O
			})
			.sessionStore(this.store)
			.build();
		client.start();
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
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
	void aStoreThatIsDownAtStartIsReportedAndLoginRecoversWhenItIsBack() {
		this.store.save(saved("bot-1", "token-1"));
		this.store.failing = true;
		DefaultCometChatClient client = client(true);
		client.start();
		assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(client.getConnectionSnapshot().lastError().getCode()).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		assertThat(client.getConnectionSnapshot().lastError().getMessage()).contains("database unavailable");
		assertThat(this.transport.opened()).isZero();
		assertThat(errorCode(client.connect())).as("still down").isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
		this.store.failing = false;
		CompletableFuture<Void> connected = client.connect();
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		this.transport.last().connected();
		assertThat(connected).isCompleted();
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

		volatile boolean failing;

		@Override
		public Optional<StoredSession> load(String appId) {
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

}
