package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.cometchat.spring.client.DefaultCometChatClientTests.RecordingStore;
import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.LogSecrets;
import com.cometchat.spring.test.ManualExecutor;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.StateRecorder;
import com.cometchat.spring.test.VirtualScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.client.ConnectionState.CONNECTED;
import static com.cometchat.spring.client.ConnectionState.CONNECTING;
import static com.cometchat.spring.client.ConnectionState.DISCONNECTED;
import static com.cometchat.spring.client.ConnectionState.FAILED;
import static com.cometchat.spring.client.ConnectionState.RECONNECTING;
import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CometChatTokenProvider} as the client uses it: a rejected token of the saved session is replaced by
 * a fresh one, saved, and connected with; a provider that cannot help ends in {@code FAILED} after one call; a logout,
 * login or disconnect made while it runs wins. Scripted transport, direct executors (or executors the test steps by
 * hand) and virtual time.
 */
@ExtendWith(OutputCaptureExtension.class)
class CometChatTokenProviderTests {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final RecordingStore store = new RecordingStore();

	private final StateRecorder states = new StateRecorder();

	private final List<String> logins = new CopyOnWriteArrayList<>();

	private final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

	/** Runs the listeners, the completions and the token provider: at once, unless a test steps them by hand. */
	private Executor callbacks = Runnable::run;

	private DefaultCometChatClient client(@Nullable CometChatTokenProvider provider) {
		return client(CometChatClient.builder(), provider);
	}

	private DefaultCometChatClient client(CometChatClientBuilder builder, @Nullable CometChatTokenProvider provider) {
		Executor callbacks = this.callbacks;
		DefaultCometChatClient client = builder.appId("app-1")
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.callbackExecutor(callbacks)
			.sessionStore(this.store)
			.connectTimeout(CONNECT_TIMEOUT)
			.reconnectBackOff(new FixedBackOff(1000))
			.tokenProvider(provider)
			.eventPublisher((event) -> this.events.add((ApplicationEvent) event))
			.build();
		client.addConnectionListener("states", this.states);
		client.addLoginListener("logins", new LoginListener() {

			@Override
			public void loginSuccess(CometChatUser user) {
				CometChatTokenProviderTests.this.logins.add("loginSuccess:" + user.uid());
			}

			@Override
			public void loginFailure(CometChatException error) {
				CometChatTokenProviderTests.this.logins.add("loginFailure:" + error.getCode());
			}

		});
		return client;
	}

	/**
	 * A client whose saved session of bot-1 (token "old-token") was just rejected by the broker at start.
	 */
	private DefaultCometChatClient rejectedAtStart(@Nullable CometChatTokenProvider provider) {
		this.store.save(saved("bot-1", "old-token"));
		DefaultCometChatClient client = client(provider);
		client.start();
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("old-token");
		this.transport.last().rejected();
		return client;
	}

	private StoredSession saved(String uid, String token) {
		return new StoredSession("app-1", uid, "eu", token, this.scheduler.now(), null);
	}

	private String savedToken() {
		return this.store.load("app-1").orElseThrow().authToken();
	}

	@Test
	void aRejectedSavedTokenIsReplacedByTheProvidersAndTheClientConnectsWithItAndSavesIt() {
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = rejectedAtStart(tokens);
		assertThat(tokens.calls).containsExactly("bot-1:AUTH_REJECTED");
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-token");
		assertThat(savedToken()).as("saved at once: the old one is known to be rejected").isEqualTo("fresh-token");
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.states.states()).containsExactly(CONNECTING, RECONNECTING, CONNECTING, CONNECTED);
		ConnectionStateChange waiting = this.states.changes().get(1);
		assertThat(waiting.reason().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(waiting.retryIn()).as("the attempt starts when the token is there").isNull();
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		assertThat(this.logins).as("a restore is not a login").isEmpty();
		this.scheduler.advance(CONNECT_TIMEOUT);
		assertThat(client.getConnectionSnapshot().lastError()).as("healthy again").isNull();
	}

	@Test
	void aTokenThatExpiresWhileConnectedIsReplacedOnTheReconnectAndAgainWhenTheFreshOneExpires() {
		Tokens tokens = new Tokens("fresh-1", "fresh-2");
		DefaultCometChatClient client = client(tokens);
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		this.transport.last().dropped();
		this.transport.last().rejected();
		this.transport.last().connected();
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-1");
		assertThat(savedToken()).isEqualTo("fresh-1");
		// A broker accepted the fresh token; when it expires in turn, the provider is asked again
		this.transport.last().dropped();
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().rejected();
		this.transport.last().connected();
		assertThat(tokens.calls).hasSize(2);
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-2");
		assertThat(savedToken()).isEqualTo("fresh-2");
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING,
				RECONNECTING, CONNECTING, CONNECTED, RECONNECTING, CONNECTING, RECONNECTING, CONNECTING, CONNECTED);
		assertThat(this.logins).containsExactly("loginSuccess:bot-1");
	}

	@Test
	void aProviderThatThrowsEndsInFailedWithTheReasonAfterOneCall() {
		Tokens tokens = new Tokens((uid, call) -> {
			throw new IllegalStateException("token server down");
		});
		assertFailsAfterOneCall(tokens, "the token provider failed: java.lang.IllegalStateException: token server down");
	}

	@Test
	void aProviderThatGivesNoTokenEndsInFailedWithTheReasonAfterOneCall() {
		assertFailsAfterOneCall(new Tokens((uid, call) -> null), "the token provider gave no token");
	}

	@Test
	void aProviderThatGivesABlankTokenEndsInFailedWithTheReasonAfterOneCall() {
		assertFailsAfterOneCall(new Tokens((uid, call) -> "  "), "the token provider gave no token");
	}

	@Test
	void aProviderThatGivesTheRejectedTokenAgainEndsInFailedWithTheReasonAfterOneCall() {
		assertFailsAfterOneCall(new Tokens("old-token"), "the token provider gave the token just rejected again");
	}

	private void assertFailsAfterOneCall(Tokens tokens, String reason) {
		DefaultCometChatClient client = rejectedAtStart(tokens);
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		CometChatException error = this.states.last().reason();
		assertThat(error.getCode()).isEqualTo(ErrorCode.TOKEN_REFRESH_FAILED);
		assertThat(error.getMessage()).isEqualTo("The broker rejected the auth token of uid 'bot-1' and " + reason);
		assertThat(client.getConnectionSnapshot().lastError()).isSameAs(error);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(tokens.calls).containsExactly("bot-1:AUTH_REJECTED");
		assertThat(this.transport.opened()).as("no attempt after the rejected one").isEqualTo(1);
		assertThat(this.states.states()).containsExactly(CONNECTING, RECONNECTING, FAILED);
		assertThat(savedToken()).isEqualTo("old-token");
		assertThat(client.getLoggedInUser()).as("the session stays, as after any rejection").isPresent();
	}

	@Test
	void aFreshTokenThatIsRejectedTooEndsInFailedWithoutAskingAgain() {
		Tokens tokens = new Tokens("fresh-token", "another");
		DefaultCometChatClient client = rejectedAtStart(tokens);
		this.transport.last().rejected();
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		assertThat(this.states.last().reason().getCode()).isEqualTo(ErrorCode.TOKEN_REFRESH_FAILED);
		assertThat(this.states.last().reason().getMessage())
			.startsWith("The broker rejected the fresh token the token provider had just given for uid 'bot-1' too");
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(tokens.calls).hasSize(1);
		assertThat(this.transport.opened()).isEqualTo(2);
		// connect() starts afresh: the provider may be asked again
		client.connect();
		this.transport.last().rejected();
		assertThat(tokens.calls).hasSize(2);
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("another");
	}

	@Test
	void aProviderThatDoesNotAnswerWithinTheConnectTimeoutEndsInFailedAndItsLateTokenIsDropped() {
		Tokens tokens = new Tokens((uid, call) -> {
			// Answers after the bound, as a hung token server would
			this.scheduler.advance(CONNECT_TIMEOUT.plusSeconds(1));
			return "late-token";
		});
		DefaultCometChatClient client = rejectedAtStart(tokens);
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		assertThat(this.states.last().reason().getCode()).isEqualTo(ErrorCode.TOKEN_REFRESH_FAILED);
		assertThat(this.states.last().reason().getMessage()).isEqualTo(
				"The broker rejected the auth token of uid 'bot-1' and the token provider gave no token within 10000ms"
						+ " (the connect timeout)");
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(savedToken()).isEqualTo("old-token");
	}

	@Test
	void withoutAProviderARejectedSavedTokenFailsAsBefore() {
		DefaultCometChatClient client = rejectedAtStart(null);
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		assertThat(this.states.states()).containsExactly(CONNECTING, FAILED);
		assertThat(this.states.last().reason().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void aRejectedLoginFailsWithoutAskingTheProvider() {
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = client(tokens);
		CompletableFuture<CometChatUser> login = client.login("bot-1", "wrong");
		this.transport.last().rejected();
		assertThat(errorCode(login)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(tokens.calls).isEmpty();
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(this.logins).containsExactly("loginFailure:AUTH_REJECTED");
	}

	@Test
	void manualModeConnectOfTheSavedSessionAsksTheProviderToo() {
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = client(CometChatClient.builder().autoEstablishSocketConnection(false), tokens);
		client.login("bot-1", "old-token");
		CompletableFuture<Void> connected = client.connect();
		this.transport.last().rejected();
		this.transport.last().connected();
		assertThat(connected).isCompleted();
		assertThat(tokens.calls).hasSize(1);
		assertThat(savedToken()).isEqualTo("fresh-token");
	}

	@Test
	void aRejectedServiceAccountGetsAFreshTokenAndIsSavedWithItOnceConnected() {
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = client(CometChatClient.builder().serviceAccount("svc", "svc-token"), tokens);
		client.start();
		this.transport.last().rejected();
		assertThat(this.store.load("app-1")).as("saved once a broker accepted it").isEmpty();
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.store.load("app-1")).get().satisfies((session) -> {
			assertThat(session.uid()).isEqualTo("svc");
			assertThat(session.authToken()).isEqualTo("fresh-token");
		});
		assertThat(this.logins).containsExactly("loginSuccess:svc");
	}

	@Test
	void aServiceAccountWhoseProviderCannotHelpIsNeitherSavedNorLoggedIn() {
		DefaultCometChatClient client = client(CometChatClient.builder().serviceAccount("svc", "svc-token"),
				new Tokens((uid, call) -> null));
		client.start();
		this.transport.last().rejected();
		assertThat(client.getConnectionState()).isEqualTo(FAILED);
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(this.logins).containsExactly("loginFailure:TOKEN_REFRESH_FAILED");
	}

	@Test
	void aFreshTokenThatCannotBeSavedIsStillUsedAndTheStoreErrorIsReported() {
		Tokens tokens = new Tokens("fresh-token");
		this.store.save(saved("bot-1", "old-token"));
		DefaultCometChatClient client = client(tokens);
		client.start();
		this.store.failing = true;
		this.transport.last().rejected();
		assertThat(client.getConnectionSnapshot().lastError().getCode()).isEqualTo(ErrorCode.SESSION_STORE_ERROR);
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-token");
	}

	@Test
	void aLogoutWhileTheProviderRunsWinsAndTheTokenItGivesIsDropped() {
		ManualExecutor callbacks = new ManualExecutor();
		this.callbacks = callbacks;
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = rejectedAtStart(tokens);
		CompletableFuture<Void> logout = client.logout();
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		callbacks.runAll();
		assertThat(tokens.calls).as("it ran after the logout").hasSize(1);
		assertThat(logout).isCompleted();
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		assertThat(client.getLoggedInUser()).isEmpty();
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.store.load("app-1")).as("the row stays deleted").isEmpty();
		assertThat(this.states.states()).containsExactly(CONNECTING, RECONNECTING, DISCONNECTED);
	}

	@Test
	void aLoginWhileTheProviderRunsWinsAndTheTokenItGivesIsDropped() {
		ManualExecutor callbacks = new ManualExecutor();
		this.callbacks = callbacks;
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = rejectedAtStart(tokens);
		CompletableFuture<CometChatUser> login = client.login("bot-2", "bot-2-token");
		this.transport.last().connected();
		callbacks.runAll();
		assertThat(tokens.calls).hasSize(1);
		assertThat(login).isCompletedWithValue(new CometChatUser("bot-2"));
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.transport.last().credentials()).isEqualTo(new Credentials("bot-2", "bot-2-token"));
		assertThat(this.store.load("app-1")).get().satisfies((session) -> {
			assertThat(session.uid()).isEqualTo("bot-2");
			assertThat(session.authToken()).isEqualTo("bot-2-token");
		});
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
	}

	@Test
	void aDisconnectWhileTheProviderRunsWinsAndTheTokenItGivesIsDropped() {
		ManualExecutor callbacks = new ManualExecutor();
		this.callbacks = callbacks;
		Tokens tokens = new Tokens("fresh-token", "second-token");
		DefaultCometChatClient client = rejectedAtStart(tokens);
		client.disconnect();
		callbacks.runAll();
		assertThat(tokens.calls).hasSize(1);
		assertThat(client.getConnectionState()).isEqualTo(DISCONNECTED);
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(savedToken()).isEqualTo("old-token");
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void connectWhileTheProviderRunsStartsNoAttemptWithTheRejectedToken() {
		ManualExecutor callbacks = new ManualExecutor();
		this.callbacks = callbacks;
		Tokens tokens = new Tokens("fresh-token");
		DefaultCometChatClient client = rejectedAtStart(tokens);
		CompletableFuture<Void> connected = client.connect();
		callbacks.runAll();
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-token");
		this.transport.last().connected();
		callbacks.runAll();
		assertThat(connected).isCompleted();
		assertThat(tokens.calls).hasSize(1);
	}

	@Test
	void tokensNeverAppearInLogsEventsOrToString(CapturedOutput output) {
		LogSecrets.register("old-secret-7f3a");
		LogSecrets.register("fresh-secret-91c2");
		Logger logger = (Logger) LoggerFactory.getLogger("com.cometchat.spring");
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try {
			this.store.save(saved("bot-1", "old-secret-7f3a"));
			Tokens tokens = new Tokens("fresh-secret-91c2", "old-secret-7f3a");
			DefaultCometChatClient client = client(tokens);
			client.start();
			this.transport.last().rejected();
			this.transport.last().connected();
			this.transport.last().dropped();
			this.transport.last().rejected();
			// The provider's second token is rejected too
			this.transport.last().rejected();
			assertThat(client.getConnectionState()).isEqualTo(FAILED);
			assertThat(tokens.calls).hasSize(2);
			for (String token : List.of("old-secret-7f3a", "fresh-secret-91c2")) {
				assertThat(output.getAll()).contains("token provider").doesNotContain(token);
				assertThat(client.toString()).doesNotContain(token);
				assertThat(this.store.load("app-1").get().toString()).doesNotContain(token);
				this.events.forEach((event) -> assertThat(event.toString()).doesNotContain(token));
				this.states.changes().forEach((change) -> assertThat(change.toString()).doesNotContain(token));
				assertThat(client.getConnectionSnapshot().toString()).doesNotContain(token);
			}
		}
		finally {
			logger.setLevel(level);
		}
	}

	// Before a known expiry

	/** When the tests' tokens expire: an hour after the virtual start. */
	private static final Instant EXPIRY = Instant.parse("2026-01-01T01:00:00Z");

	/** How long before it they are refreshed: 30 s, more than the connect timeout. */
	private static final Duration MARGIN = Duration.ofSeconds(30);

	private DefaultCometChatClient loggedInAndConnected(Tokens tokens) {
		DefaultCometChatClient client = client(tokens);
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		return client;
	}

	/** Advance the virtual clock to the given instant. */
	private void advanceTo(Instant instant) {
		this.scheduler.advance(Duration.between(this.scheduler.now(), instant));
	}

	@Test
	void aTokenWithAKnownExpiryIsRefreshedBeforeItWhileConnectedWithoutAReconnectAndTheNextConnectUsesTheFreshOne() {
		Tokens tokens = new Tokens("fresh-1", "fresh-2").expiring("token-1", EXPIRY)
			.expiring("fresh-1", EXPIRY.plus(Duration.ofHours(1)));
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		assertThat(tokens.expiryQuestions).containsExactly("bot-1:token-1");
		advanceTo(EXPIRY.minus(MARGIN).minusMillis(1));
		assertThat(tokens.calls).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(tokens.calls).containsExactly("bot-1:TOKEN_EXPIRING");
		assertThat(savedToken()).as("saved at once").isEqualTo("fresh-1");
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.transport.opened()).as("the live connection stays").isEqualTo(1);
		assertThat(this.transport.last().isClosed()).isFalse();
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED);
		assertThat(client.getConnectionSnapshot().lastError()).isNull();
		assertThat(client.getLoggedInUser()).contains(new CometChatUser("bot-1"));
		// The next connect uses the fresh token: no rejected CONNECT
		this.transport.last().dropped();
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-1");
		this.transport.last().connected();
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING, CONNECTED);
		assertThat(tokens.calls).hasSize(1);
		// The fresh token's expiry is watched in turn
		assertThat(tokens.expiryQuestions).containsExactly("bot-1:token-1", "bot-1:fresh-1");
		advanceTo(EXPIRY.plus(Duration.ofHours(1)).minus(MARGIN));
		assertThat(tokens.calls).containsExactly("bot-1:TOKEN_EXPIRING", "bot-1:TOKEN_EXPIRING");
		assertThat(savedToken()).isEqualTo("fresh-2");
		assertThat(tokens.expiryQuestions).containsExactly("bot-1:token-1", "bot-1:fresh-1", "bot-1:fresh-2");
		// fresh-2's expiry is unknown: not asked again
		this.scheduler.advance(Duration.ofHours(2));
		assertThat(tokens.calls).hasSize(2);
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.logins).containsExactly("loginSuccess:bot-1");
	}

	@Test
	void aRestoredSessionsTokenIsRefreshedBeforeItsExpiryAndATokenDueAlreadyAtOnce() {
		this.store.save(saved("bot-1", "old-token"));
		Tokens tokens = new Tokens("fresh-1").expiring("old-token", this.scheduler.now().plusSeconds(10));
		DefaultCometChatClient client = client(tokens);
		client.start();
		assertThat(tokens.calls).as("within the margin already").containsExactly("bot-1:TOKEN_EXPIRING");
		assertThat(savedToken()).isEqualTo("fresh-1");
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
	}

	@Test
	void aFreshTokenThatExpiresWithinTheMarginIsNotRefreshedAtOnceAgain() {
		Tokens tokens = new Tokens("fresh-1", "fresh-2").expiring("token-1", EXPIRY)
			.expiring("fresh-1", EXPIRY.minusSeconds(1));
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		advanceTo(EXPIRY.minus(MARGIN));
		assertThat(tokens.calls).hasSize(1);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(tokens.calls).as("no storm").hasSize(1);
		assertThat(savedToken()).isEqualTo("fresh-1");
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
	}

	@Test
	void anUnknownExpiryMeansNoRefreshBeforeIt() {
		Tokens tokens = new Tokens("fresh-1");
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		assertThat(tokens.expiryQuestions).as("the provider was asked, and did not know").containsExactly("bot-1:token-1");
		this.scheduler.advance(Duration.ofHours(3));
		assertThat(tokens.calls).isEmpty();
		assertThat(savedToken()).isEqualTo("token-1");
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void aProviderThatFailsAtTheRefreshBeforeExpiryLeavesTheConnectionUpAndReportsWhyAndARejectionStillAsksIt(
			CapturedOutput output) {
		Tokens tokens = new Tokens((uid, call) -> {
			if (call == 0) {
				throw new IllegalStateException("token server down");
			}
			return "fresh-1";
		}).expiring("token-1", EXPIRY);
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		advanceTo(EXPIRY.minus(MARGIN));
		assertThat(tokens.calls).containsExactly("bot-1:TOKEN_EXPIRING");
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.transport.last().isClosed()).isFalse();
		assertThat(this.states.states()).containsExactly(CONNECTING, CONNECTED);
		CometChatException error = client.getConnectionSnapshot().lastError();
		assertThat(error.getCode()).isEqualTo(ErrorCode.TOKEN_REFRESH_FAILED);
		assertThat(error.getMessage()).isEqualTo("The auth token of uid 'bot-1' expires at 2026-01-01T01:00:00Z and the "
				+ "token provider failed: java.lang.IllegalStateException: token server down");
		assertThat(output.getAll()).contains(error.getMessage() + "; the connection is kept");
		assertThat(savedToken()).isEqualTo("token-1");
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(tokens.calls).as("not asked again before a rejection").hasSize(1);
		// The broker rejects the expired token on the next connect: the provider is asked as before
		this.transport.last().dropped();
		this.transport.last().rejected();
		assertThat(tokens.calls).containsExactly("bot-1:TOKEN_EXPIRING", "bot-1:AUTH_REJECTED");
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-1");
		this.transport.last().connected();
		assertThat(client.getConnectionState()).isEqualTo(CONNECTED);
		assertThat(savedToken()).isEqualTo("fresh-1");
	}

	@Test
	void aLogoutBeforeTheRefreshIsDueMeansTheProviderIsNeverAsked() {
		Tokens tokens = new Tokens("fresh-1").expiring("token-1", EXPIRY);
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		assertThat(client.logout()).isCompleted();
		this.scheduler.advance(Duration.ofHours(2));
		assertThat(tokens.calls).isEmpty();
		assertThat(this.store.load("app-1")).isEmpty();
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void aLoginOfAnotherUserBeforeTheRefreshIsDueEndsTheWatchOfTheFirstToken() {
		Tokens tokens = new Tokens("fresh-1").expiring("token-1", EXPIRY);
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		client.login("bot-2", "token-2");
		this.transport.last().connected();
		this.scheduler.advance(Duration.ofHours(2));
		assertThat(tokens.calls).isEmpty();
		assertThat(tokens.expiryQuestions).containsExactly("bot-1:token-1", "bot-2:token-2");
		assertThat(savedToken()).isEqualTo("token-2");
	}

	@Test
	void aStopBeforeTheRefreshIsDueCancelsItAndAStartWatchesTheTokenAgain() {
		Tokens tokens = new Tokens("fresh-1").expiring("token-1", EXPIRY);
		DefaultCometChatClient client = loggedInAndConnected(tokens);
		client.start();
		client.stop();
		advanceTo(EXPIRY.minus(MARGIN.multipliedBy(2)));
		assertThat(tokens.calls).isEmpty();
		client.start();
		this.transport.last().connected();
		advanceTo(EXPIRY.minus(MARGIN));
		assertThat(tokens.calls).containsExactly("bot-1:TOKEN_EXPIRING");
		assertThat(savedToken()).isEqualTo("fresh-1");
	}

	@Test
	void aLateAnswerForASessionThatEndedIsDropped() {
		ManualExecutor callbacks = new ManualExecutor();
		this.callbacks = callbacks;
		Tokens tokens = new Tokens("fresh-1").expiring("token-1", EXPIRY);
		DefaultCometChatClient client = client(tokens);
		client.login("bot-1", "token-1");
		this.transport.last().connected();
		callbacks.runAll();
		advanceTo(EXPIRY.minus(MARGIN));
		CompletableFuture<Void> logout = client.logout();
		callbacks.runAll();
		assertThat(tokens.calls).as("it ran after the logout").containsExactly("bot-1:TOKEN_EXPIRING");
		assertThat(logout).isCompleted();
		assertThat(this.store.load("app-1")).as("nothing saved for the session that ended").isEmpty();
		assertThat(client.getLoggedInUser()).isEmpty();
	}

	/**
	 * A token provider that gives the tokens it was given, one per call, and records each call.
	 */
	static final class Tokens implements CometChatTokenProvider {

		final List<String> calls = new CopyOnWriteArrayList<>();

		/** The expiry of each token, as the provider tells it; unknown for the others. */
		final Map<String, Instant> expiries = new ConcurrentHashMap<>();

		/** The tokens whose expiry the client asked for, in order. */
		final List<String> expiryQuestions = new CopyOnWriteArrayList<>();

		private final Answer answer;

		Tokens(String... tokens) {
			this((uid, call) -> tokens[Math.min(call, tokens.length - 1)]);
		}

		Tokens(Answer answer) {
			this.answer = answer;
		}

		@Override
		public @Nullable String refreshToken(String uid, CometChatException rejection) throws Exception {
			int call = this.calls.size();
			this.calls.add(uid + ":" + rejection.getCode());
			return this.answer.token(uid, call);
		}

		@Override
		public @Nullable Instant expiresAt(String uid, String token) {
			this.expiryQuestions.add(uid + ":" + token);
			return this.expiries.get(token);
		}

		Tokens expiring(String token, Instant expiry) {
			this.expiries.put(token, expiry);
			return this;
		}

		@FunctionalInterface
		interface Answer {

			@Nullable String token(String uid, int call) throws Exception;

		}

	}

}
