package com.cometchat.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

	/**
	 * A token provider that gives the tokens it was given, one per call, and records each call.
	 */
	static final class Tokens implements CometChatTokenProvider {

		final List<String> calls = new CopyOnWriteArrayList<>();

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

		@FunctionalInterface
		interface Answer {

			@Nullable String token(String uid, int call) throws Exception;

		}

	}

}
