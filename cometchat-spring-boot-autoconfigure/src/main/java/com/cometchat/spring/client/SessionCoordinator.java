package com.cometchat.spring.client;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.cometchat.spring.client.CometChatLoginEvent.Type;
import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.SerialExecutor;
import com.cometchat.spring.session.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Who is logged in: login, logout, the restore of the saved session and the joined groups, as one state owned by the
 * connection loop, with its own <em>session epoch</em>.
 *
 * <p>Every call is applied on the loop, in the order the loop takes them. A call that arrives while the saved
 * session is still being loaded, or while a login is in flight, waits until that settles and then applies to what it
 * settled to; only two calls do not wait: a second {@code login()} fails at once with
 * {@link ErrorCode#LOGIN_IN_PROGRESS}, and {@code logout()} overtakes the login in flight, which then fails with
 * {@link ErrorCode#SUPERSEDED} and leaves nothing behind. So after any interleaving of calls from any number of
 * threads, the user, the saved row, the wanted subscriptions and the socket agree, and they are what the last call
 * asked for.
 *
 * <p>Store calls go through the {@link SessionWriter}, in call order; their outcomes come back on the loop. A login in auto mode is saved once the broker
 * accepted its credentials and is visible once saved; in manual mode it is saved at once. Each login and logout (and
 * the restore) starts a new session epoch: the connections of a session carry it on every message they receive, and
 * messages of a session that ended never reach the listeners.
 *
 * <p>A restore that fails (the database is down) is reported as {@link ErrorCode#SESSION_STORE_ERROR} in the
 * connection's last error and retried with the reconnect back-off until it succeeds, or until a login or logout
 * settles what the store holds. A configured service account behaves like a saved session: it connects and retries
 * with the back-off, and is saved once a broker accepted it.
 *
 * <p>With a {@link CometChatTokenProvider}, a token of the session that the broker rejects (not the token of a login
 * in flight) is replaced by a fresh one from the provider: the session holds it and saves it at once, and the
 * connection uses it for its next attempt. The provider's answer is used only if the session is still the one that
 * asked (same session epoch) and the connection still waits for it; a logout, login or disconnect made meanwhile wins.
 * When the provider knows when the session's token expires, the session asks it for a fresh one that long before the
 * expiry ({@link TokenRefresher#expiryMargin()}), on the client's scheduler: the fresh token is saved and used from the
 * next connect on, the live connection stays. A newer token, a new session epoch or {@code stop()} ends that watch.
 *
 * @author CometChat
 */
final class SessionCoordinator {

	private static final Log logger = LogFactory.getLog(SessionCoordinator.class);

	private final String appId;

	/** The user of a connection manager's session, or {@code null} for the single client (any user). */
	private final @Nullable String fixedUid;

	private final @Nullable String region;

	private final boolean autoEstablishSocketConnection;

	private final @Nullable Credentials serviceAccount;

	private final SerialExecutor loop;

	private final ConnectionManager manager;

	private final SessionWriter writer;

	private final SubscriptionPlan subscriptions;

	private final PresenceAnnouncer presence;

	private final ListenerDispatcher dispatcher;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final BackOff restoreBackOff;

	/** Asks the application's token provider; {@code null} without one. */
	private final @Nullable TokenRefresher tokens;

	// Confined to the loop

	private Phase phase = Phase.NEW;

	private @Nullable StoredSession session;

	private @Nullable PendingLogin pendingLogin;

	/** The service account is in memory and saved once a broker accepted it. */
	private boolean saveOnConnect;

	private boolean running;

	/** Who else may hold a uid; set by a connection manager before the first call. */
	private volatile SessionClaims claims = SessionClaims.NONE;

	/** The uid this session claimed, if any. */
	private @Nullable String claimedUid;

	private final Deque<Runnable> waiting = new ArrayDeque<>();

	/** Whether {@code stop()} was called and {@code start()} not since: no refresh before an expiry meanwhile. */
	private boolean stopped;

	/** Counts the watches of the session token's expiry; an answer or a timer of an older watch is dropped. */
	private long expiryWatch;

	/** The refresh before the known expiry of the session's token, while one is scheduled. */
	private @Nullable ScheduledFuture<?> expiryRefresh;

	private @Nullable BackOffExecution restoreRetries;

	private @Nullable ScheduledFuture<?> restoreRetry;

	private @Nullable CometChatException restoreError;

	// Read from any thread

	private volatile long epoch;

	private volatile @Nullable CometChatUser user;

	/** Calls handed to the loop that have not run yet; a send may skip the loop only when there are none. */
	private final AtomicInteger callsOnTheirWay = new AtomicInteger();

	private volatile Set<String> joinedGroups = Set.of();

	SessionCoordinator(String appId, @Nullable String fixedUid, @Nullable String region,
			boolean autoEstablishSocketConnection,
			@Nullable Credentials serviceAccount, SerialExecutor loop, ConnectionManager manager, SessionWriter writer,
			SubscriptionPlan subscriptions, PresenceAnnouncer presence, ListenerDispatcher dispatcher,
			TaskScheduler scheduler, BackOff restoreBackOff, @Nullable TokenRefresher tokens) {
		this.appId = appId;
		this.fixedUid = fixedUid;
		this.region = region;
		this.autoEstablishSocketConnection = autoEstablishSocketConnection;
		this.serviceAccount = serviceAccount;
		this.loop = loop;
		this.manager = manager;
		this.writer = writer;
		this.subscriptions = subscriptions;
		this.presence = presence;
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.clock = scheduler.getClock();
		this.restoreBackOff = restoreBackOff;
		this.tokens = tokens;
		if (tokens != null) {
			manager.renewTokensWith(new ConnectionManager.TokenRenewal() {

				@Override
				public boolean mayRenew() {
					return SessionCoordinator.this.session != null && SessionCoordinator.this.pendingLogin == null;
				}

				@Override
				public void renew(Credentials rejected, CometChatException rejection, long waitEpoch) {
					renewToken(tokens, rejected, rejection, waitEpoch);
				}

			});
		}
	}

	// Read from any thread

	@Nullable CometChatUser user() {
		return this.user;
	}

	Set<String> joinedGroups() {
		return this.joinedGroups;
	}

	long epoch() {
		return this.epoch;
	}

	// Calls; each returns an internal future that completes on the loop or an I/O thread

	CompletableFuture<CometChatUser> login(Credentials credentials) {
		return call((result) -> login(credentials, result));
	}

	CompletableFuture<Void> logout() {
		return call(this::logout);
	}

	CompletableFuture<Void> connect() {
		return call(this::connect);
	}

	CompletableFuture<Optional<CometChatUser>> loggedInUser() {
		return call(this::loggedInUser);
	}

	CompletableFuture<Void> disconnect() {
		return call(this::disconnect);
	}

	CompletableFuture<Void> changeGroups(String guid, boolean join) {
		return call((result) -> changeGroups(guid, join, result));
	}

	/**
	 * Send a message as the logged-in user.
	 * @param send makes the message for the user and sends it (on the loop)
	 * @return its outcome
	 */
	CompletableFuture<Void> send(Function<StoredSession, CompletableFuture<Void>> send) {
		return call((result) -> send(send, result));
	}

	/**
	 * Share who holds which uid with the sessions of a connection manager.
	 * @param claims the claims
	 */
	void useClaims(SessionClaims claims) {
		this.claims = claims;
	}

	/**
	 * Take a session the connection manager loaded with all the others, instead of loading it.
	 * @param session the saved session of this client's user, or {@code null} when there is none
	 */
	void restoreFrom(@Nullable StoredSession session) {
		this.loop.execute(() -> {
			if (this.phase == Phase.NEW) {
				restored(Optional.ofNullable(session), null);
			}
		});
	}

	/**
	 * Load the saved session, if not done yet, and then connect it (auto mode) or log the service account in.
	 */
	void start() {
		this.loop.execute(() -> {
			this.running = true;
			if (this.stopped) {
				this.stopped = false;
				if (this.phase == Phase.READY) {
					watchExpiry(false);
				}
			}
			if (this.phase == Phase.NEW) {
				beginRestore();
			}
			else if (this.phase == Phase.READY) {
				autoEstablish();
			}
		});
	}

	/**
	 * Announce the user offline and close the socket; the saved session stays.
	 * @return a future completing when the socket is closed
	 */
	CompletableFuture<Void> stop() {
		return call((result) -> {
			this.running = false;
			this.stopped = true;
			cancelExpiryWatch();
			this.presence.offline(uid());
			complete(this.manager.disconnect(), result);
		});
	}

	private <T> CompletableFuture<T> call(Consumer<CompletableFuture<T>> call) {
		CompletableFuture<T> result = new CompletableFuture<>();
		this.callsOnTheirWay.incrementAndGet();
		this.loop.execute(() -> {
			try {
				call.accept(result);
			}
			finally {
				this.callsOnTheirWay.decrementAndGet();
			}
		});
		return result;
	}

	/**
	 * Send a message as the logged-in user without a hop through the loop, when nothing stands in its way: no call
	 * made before it waits for the loop (a send of the same thread made before it, or a logout, stays before it), the
	 * sender is still the logged-in user, and the connection is up with nothing queued. Safe from any thread.
	 * @param sender the user the message was made for
	 * @param send writes it on the connection's fast lane, or returns {@code null} when the lane is closed
	 * @return its outcome, or {@code null} when it must take the loop's way ({@link #send})
	 */
	@Nullable CompletableFuture<Void> trySendNow(CometChatUser sender, Supplier<@Nullable CompletableFuture<Void>> send) {
		// The count first: a call that ran on the loop published what it changed (the user) before it counted down
		if (this.callsOnTheirWay.get() != 0 || this.user != sender) {
			return null;
		}
		return send.get();
	}

	// On the loop

	private void login(Credentials credentials, CompletableFuture<CometChatUser> result) {
		if (this.pendingLogin != null) {
			result.completeExceptionally(new CometChatException(ErrorCode.LOGIN_IN_PROGRESS,
					"A login for uid '" + this.pendingLogin.credentials().uid() + "' is in progress"));
			return;
		}
		if (this.fixedUid != null && !this.fixedUid.equals(credentials.uid())) {
			result.completeExceptionally(new CometChatException(ErrorCode.INVALID_ARGUMENT, "This client is the session "
					+ "of uid '" + this.fixedUid + "'; log other users in through the connection manager"));
			return;
		}
		if (waitForRestore(() -> login(credentials, result))) {
			return;
		}
		StoredSession current = this.session;
		CometChatUser currentUser = this.user;
		if (current != null && currentUser != null && current.uid().equals(credentials.uid())
				&& current.authToken().equals(credentials.authToken())) {
			result.complete(currentUser);
			return;
		}
		if (!credentials.uid().equals(this.claimedUid) && !this.claims.claim(credentials.uid())) {
			result.completeExceptionally(new CometChatException(ErrorCode.INVALID_ARGUMENT, "uid '" + credentials.uid()
					+ "' is logged in through the connection manager: use its client, getClient(uid)"));
			return;
		}
		boolean storedUnknown = this.phase == Phase.RESTORE_FAILED;
		newEpoch();
		String previousClaim = this.claimedUid;
		this.claimedUid = credentials.uid();
		if (previousClaim != null && !previousClaim.equals(credentials.uid())) {
			this.claims.release(previousClaim);
		}
		PendingLogin login = new PendingLogin(credentials, result, this.epoch);
		this.pendingLogin = login;
		if (current != null || storedUnknown) {
			// Another user or token: log the current one out first (the login in flight holds the claim now)
			endSession();
			this.writer.delete().whenComplete((done, failure) -> stored(failure));
		}
		this.subscriptions.want(credentials.uid(), Set.of());
		if (this.autoEstablishSocketConnection) {
			// Fail fast: credentials are saved only once a broker accepted them
			connect(credentials, true)
				.whenComplete((connected, failure) -> loginConnected(login, failure));
		}
		else {
			saveLogin(login, null);
		}
	}

	private void loginConnected(PendingLogin login, @Nullable Throwable failure) {
		if (login != this.pendingLogin) {
			return;
		}
		if (failure != null) {
			loginFailed(login, toError(failure));
			return;
		}
		saveLogin(login, this.clock.instant());
	}

	private void saveLogin(PendingLogin login, @Nullable Instant connectedAt) {
		Credentials credentials = login.credentials();
		StoredSession saved = new StoredSession(this.appId, credentials.uid(), this.region, credentials.authToken(),
				this.clock.instant(), connectedAt);
		this.writer.save(saved).whenComplete((done, failure) -> loginSaved(login, saved, failure));
	}

	private void loginSaved(PendingLogin login, StoredSession saved, @Nullable Throwable failure) {
		if (login != this.pendingLogin) {
			return;
		}
		if (failure != null) {
			if (this.manager.state() != ConnectionState.INITIALIZED) {
				// Connected but not saved: no socket for a user who is not logged in
				this.manager.disconnect();
			}
			loginFailed(login, toError(failure));
			return;
		}
		this.pendingLogin = null;
		stored(null);
		setSession(saved);
		CometChatUser user = new CometChatUser(saved.uid());
		this.user = user;
		// CONNECTED came before the session was saved, so it was not announced then
		this.presence.online(saved.uid());
		this.dispatcher.login(Type.LOGIN_SUCCESS, user.uid(), null);
		login.result().complete(user);
		watchExpiry(false);
		runWaiting();
	}

	private void loginFailed(PendingLogin login, CometChatException error) {
		this.pendingLogin = null;
		this.subscriptions.clear();
		releaseClaim();
		this.dispatcher.login(Type.LOGIN_FAILURE, login.credentials().uid(), error);
		login.result().completeExceptionally(error);
		runWaiting();
	}

	private void logout(CompletableFuture<Void> result) {
		if (waitForRestore(() -> logout(result))) {
			return;
		}
		PendingLogin overtaken = this.pendingLogin;
		String uid = (overtaken != null) ? overtaken.credentials().uid() : uid();
		newEpoch();
		this.pendingLogin = null;
		CompletableFuture<Void> closed = endSession();
		if (overtaken != null) {
			CometChatException error = new CometChatException(ErrorCode.SUPERSEDED,
					"logout() was called while the login of uid '" + uid + "' was in flight");
			this.dispatcher.login(Type.LOGIN_FAILURE, uid, error);
			overtaken.result().completeExceptionally(error);
		}
		CompletableFuture<@Nullable Throwable> deleted = this.writer.delete().handle((done, failure) -> failure);
		// Both complete on the loop
		closed.thenCombine(deleted, (socketClosed, failure) -> failure).whenComplete((failure, ignored) -> {
			stored(failure);
			if (failure == null) {
				this.dispatcher.login(Type.LOGOUT_SUCCESS, uid, null);
				result.complete(null);
			}
			else {
				CometChatException error = toError(failure);
				this.dispatcher.login(Type.LOGOUT_FAILURE, uid, error);
				result.completeExceptionally(error);
			}
		});
		runWaiting();
	}

	private void loggedInUser(CompletableFuture<Optional<CometChatUser>> result) {
		if (waitForRestore(() -> loggedInUser(result)) || waitForLogin(() -> loggedInUser(result))) {
			return;
		}
		if (this.phase == Phase.RESTORE_FAILED && this.session == null) {
			result.completeExceptionally(notLoggedIn("loggedInUser()"));
			return;
		}
		result.complete(Optional.ofNullable(this.user));
	}

	private void connect(CompletableFuture<Void> result) {
		if (waitForRestore(() -> connect(result)) || waitForLogin(() -> connect(result))) {
			return;
		}
		StoredSession session = this.session;
		if (session == null) {
			result.completeExceptionally(notLoggedIn("connect()"));
			return;
		}
		complete(connect(credentials(session), false), result);
	}

	private void disconnect(CompletableFuture<Void> result) {
		if ((this.phase != Phase.NEW && waitForRestore(() -> disconnect(result)))
				|| waitForLogin(() -> disconnect(result))) {
			return;
		}
		this.presence.offline(uid());
		complete(this.manager.disconnect(), result);
	}

	private void changeGroups(String guid, boolean join, CompletableFuture<Void> result) {
		if (waitForRestore(() -> changeGroups(guid, join, result))
				|| waitForLogin(() -> changeGroups(guid, join, result))) {
			return;
		}
		StoredSession session = this.session;
		if (session == null) {
			result.completeExceptionally(notLoggedIn("Groups"));
			return;
		}
		Set<String> groups = new TreeSet<>(session.groups());
		if (join ? !groups.add(guid) : !groups.remove(guid)) {
			result.complete(null);
			return;
		}
		apply(session.uid(), guid, join);
		StoredSession updated = session.withGroups(groups);
		setSession(updated);
		if (this.saveOnConnect) {
			// Saved with the service account once a broker accepted it
			result.complete(null);
			return;
		}
		this.writer.save(updated).whenComplete((done, failure) -> {
			if (failure == null) {
				result.complete(null);
				return;
			}
			if (this.session == updated) {
				// Not saved: not joined (or not left) either, unless a later call changed the groups again
				apply(session.uid(), guid, !join);
				setSession(session);
			}
			result.completeExceptionally(toError(failure));
		});
	}

	private void apply(String uid, String guid, boolean join) {
		if (join) {
			this.subscriptions.join(uid, guid);
		}
		else {
			this.subscriptions.leave(uid, guid);
		}
	}

	private void send(Function<StoredSession, CompletableFuture<Void>> send, CompletableFuture<Void> result) {
		if (waitForRestore(() -> send(send, result))) {
			return;
		}
		StoredSession session = this.session;
		if (session == null) {
			result.completeExceptionally(notLoggedIn("sendMessage()"));
			return;
		}
		complete(send.apply(session), result);
	}

	/**
	 * The connection changed state (on the loop, before the listeners hear of it).
	 */
	void onStateChange(ConnectionStateChange change) {
		if (change.current() != ConnectionState.CONNECTED) {
			this.presence.connectionLost();
		}
		StoredSession session = this.session;
		if (session == null) {
			return;
		}
		if (change.current() == ConnectionState.CONNECTED) {
			StoredSession connected = session.withLastConnectedAt(change.timestamp());
			setSession(connected);
			if (this.saveOnConnect) {
				this.saveOnConnect = false;
				saveServiceAccount(connected);
			}
			else {
				this.writer.markConnected(session.uid(), change.timestamp()).whenComplete((done, failure) -> {
					if (failure != null) {
						logger.warn(failure.getMessage());
					}
				});
			}
			this.presence.online(session.uid());
		}
		else if (change.current() == ConnectionState.FAILED && this.saveOnConnect && change.reason() != null
				&& (change.reason().getCode() == ErrorCode.AUTH_REJECTED
						|| change.reason().getCode() == ErrorCode.TOKEN_REFRESH_FAILED)) {
			// The service account was rejected (and no fresh token helped): it was never saved, and nobody is logged in
			this.saveOnConnect = false;
			newEpoch();
			clearSession();
			this.dispatcher.login(Type.LOGIN_FAILURE, session.uid(), change.reason());
		}
	}

	// Fresh tokens

	/**
	 * The broker rejected the session's token: ask the provider (off the loop) for a fresh one.
	 */
	private void renewToken(TokenRefresher tokens, Credentials rejected, CometChatException rejection, long waitEpoch) {
		long sessionEpoch = this.epoch;
		logger.info("The broker rejected the auth token of uid '" + rejected.uid()
				+ "': asking the token provider for a fresh one");
		tokens.ask(rejected, rejection)
			.whenComplete((token, failure) -> onLoop(() -> tokenRenewed(sessionEpoch, waitEpoch, token, failure)));
	}

	/**
	 * Save a session with a fresh token from the provider (a service account not accepted yet is saved on connect).
	 */
	private void saveFreshToken(StoredSession renewed) {
		if (this.saveOnConnect) {
			return;
		}
		this.writer.save(renewed).whenComplete((done, saveFailure) -> {
			if (saveFailure != null) {
				logger.warn("The fresh token of uid '" + renewed.uid() + "' is used but not saved: "
						+ saveFailure.getMessage());
			}
			stored(saveFailure);
		});
	}

	/**
	 * The provider answered (on the loop): connect with the fresh token and save it, unless the session or the
	 * connection moved on meanwhile (a logout, login or disconnect wins).
	 */
	private void tokenRenewed(long sessionEpoch, long waitEpoch, @Nullable String token, @Nullable Throwable failure) {
		StoredSession session = this.session;
		if (sessionEpoch != this.epoch || session == null || !this.manager.awaitsToken(waitEpoch)) {
			if (logger.isDebugEnabled()) {
				logger.debug("The token provider answered after the session or its connection moved on: ignored");
			}
			return;
		}
		if (failure != null || token == null) {
			this.manager.tokenRenewalFailed(waitEpoch, toError((failure != null) ? failure
					: new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED, "The token provider gave no token")));
			return;
		}
		StoredSession renewed = session.withAuthToken(token);
		setSession(renewed);
		// Saved at once: the token it replaces is known to be rejected
		saveFreshToken(renewed);
		logger.info("Connecting uid '" + renewed.uid() + "' with a fresh token from the token provider");
		this.manager.renewToken(waitEpoch, credentials(renewed));
		watchExpiry(true);
	}

	/**
	 * Ask the provider (off the loop) when the session's token expires, and refresh it that long before; this ends
	 * the previous watch.
	 * @param refreshed whether the token is a fresh one from the provider: one that expires within the margin
	 * already is not refreshed at once again (no storm), only when the broker rejects it
	 */
	private void watchExpiry(boolean refreshed) {
		cancelExpiryWatch();
		TokenRefresher tokens = this.tokens;
		StoredSession session = this.session;
		if (tokens == null || session == null || this.stopped) {
			return;
		}
		long watch = this.expiryWatch;
		tokens.expiry(session.uid(), session.authToken())
			.whenComplete((expiry, failure) -> onLoop(() -> expiryKnown(tokens, watch, expiry, refreshed)));
	}

	private void expiryKnown(TokenRefresher tokens, long watch, @Nullable Instant expiry, boolean refreshed) {
		StoredSession session = this.session;
		if (watch != this.expiryWatch || session == null || expiry == null) {
			return;
		}
		Instant due = expiry.minus(tokens.expiryMargin());
		if (due.isAfter(this.clock.instant())) {
			this.expiryRefresh = this.scheduler.schedule(() -> onLoop(() -> refreshBeforeExpiry(tokens, watch, expiry)),
					due);
		}
		else if (refreshed) {
			logger.warn("The fresh auth token of uid '" + session.uid() + "' expires at " + expiry + ", within "
					+ tokens.expiryMargin().toSeconds() + "s: it is not refreshed before then, only when the broker "
					+ "rejects it");
		}
		else {
			refreshBeforeExpiry(tokens, watch, expiry);
		}
	}

	/**
	 * The session's token expires soon: ask the provider (off the loop) for a fresh one, the connection untouched.
	 */
	private void refreshBeforeExpiry(TokenRefresher tokens, long watch, Instant expiry) {
		StoredSession session = this.session;
		if (watch != this.expiryWatch || session == null) {
			return;
		}
		this.expiryRefresh = null;
		if (this.manager.awaitsToken()) {
			// The broker rejected it already: the provider was asked then, and its token is watched in turn
			return;
		}
		logger.info("The auth token of uid '" + session.uid() + "' expires at " + expiry
				+ ": asking the token provider for a fresh one");
		tokens.askBeforeExpiry(credentials(session), expiry)
			.whenComplete((token, failure) -> onLoop(() -> refreshedBeforeExpiry(watch, token, failure)));
	}

	/**
	 * The provider answered a refresh before an expiry (on the loop): save the fresh token and use it from the next
	 * connect on, unless the session or its token changed meanwhile. No token: a warning and the last error only.
	 */
	private void refreshedBeforeExpiry(long watch, @Nullable String token, @Nullable Throwable failure) {
		StoredSession session = this.session;
		if (watch != this.expiryWatch || session == null) {
			if (logger.isDebugEnabled()) {
				logger.debug("The token provider answered after the session or its token changed: ignored");
			}
			return;
		}
		if (failure != null || token == null) {
			CometChatException error = toError((failure != null) ? failure
					: new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED, "The token provider gave no token"));
			logger.warn(error.getMessage() + "; the connection is kept, and the token is refreshed when the broker "
					+ "rejects it");
			this.manager.reportError(error);
			return;
		}
		StoredSession renewed = session.withAuthToken(token);
		setSession(renewed);
		saveFreshToken(renewed);
		this.manager.useToken(credentials(renewed));
		logger.info("The auth token of uid '" + renewed.uid() + "' was refreshed before its expiry: the fresh one is "
				+ "used from the next connect on");
		watchExpiry(true);
	}

	private void cancelExpiryWatch() {
		this.expiryWatch++;
		ScheduledFuture<?> refresh = this.expiryRefresh;
		this.expiryRefresh = null;
		if (refresh != null) {
			refresh.cancel(false);
		}
	}

	// Restore

	/**
	 * Wait for the saved session before the call, if it is not known yet.
	 * @return whether the call waits
	 */
	private boolean waitForRestore(Runnable call) {
		if (this.phase == Phase.NEW) {
			beginRestore();
		}
		if (this.phase == Phase.RESTORING) {
			this.waiting.add(call);
			return true;
		}
		return false;
	}

	/**
	 * Wait for the login in flight before the call.
	 * @return whether the call waits
	 */
	private boolean waitForLogin(Runnable call) {
		if (this.pendingLogin != null) {
			this.waiting.add(call);
			return true;
		}
		return false;
	}

	private void runWaiting() {
		List<Runnable> calls = new ArrayList<>(this.waiting);
		this.waiting.clear();
		// Each may wait again (behind a login one of them started): it then queues itself anew, in order
		calls.forEach(Runnable::run);
	}

	private void beginRestore() {
		this.phase = Phase.RESTORING;
		this.writer.load().whenComplete(this::restored);
	}

	private void restored(@Nullable Optional<StoredSession> loaded, @Nullable Throwable failure) {
		if (failure != null) {
			this.phase = Phase.RESTORE_FAILED;
			CometChatException error = toError(failure);
			this.restoreError = error;
			logger.error(error.getMessage());
			this.manager.reportError(error);
			scheduleRestoreRetry();
			runWaiting();
			return;
		}
		this.phase = Phase.READY;
		this.restoreError = null;
		this.restoreRetries = null;
		this.manager.clearError(ErrorCode.SESSION_STORE_ERROR);
		if (loaded != null && loaded.isPresent() && claimRestored(loaded.get().uid())) {
			StoredSession session = loaded.get();
			newEpoch();
			setSession(session);
			this.user = new CometChatUser(session.uid());
			this.subscriptions.want(session.uid(), session.groups());
			watchExpiry(false);
		}
		autoEstablish();
		runWaiting();
	}

	/**
	 * A saved session's user is claimed like a login's; one that another session holds is not restored here.
	 */
	private boolean claimRestored(String uid) {
		if (this.claims.claim(uid)) {
			this.claimedUid = uid;
			return true;
		}
		logger.warn("The saved session of uid '" + uid + "' is not restored: the connection manager holds that user");
		return false;
	}

	private void scheduleRestoreRetry() {
		BackOffExecution retries = this.restoreRetries;
		if (retries == null) {
			retries = this.restoreBackOff.start();
			this.restoreRetries = retries;
		}
		long delay = retries.nextBackOff();
		if (delay == BackOffExecution.STOP) {
			return;
		}
		this.restoreRetry = this.scheduler.schedule(() -> onLoop(this::retryRestore),
				this.clock.instant().plusMillis(delay));
	}

	private void retryRestore() {
		if (this.phase != Phase.RESTORE_FAILED) {
			return;
		}
		if (this.pendingLogin != null || this.session != null) {
			// A login is settling what the store holds
			scheduleRestoreRetry();
			return;
		}
		beginRestore();
	}

	/**
	 * A store call of a login or logout finished: once one succeeded, what the store holds is known, and a failed
	 * restore no longer matters.
	 */
	private void stored(@Nullable Throwable failure) {
		if (failure != null) {
			this.manager.reportError(toError(failure));
			return;
		}
		if (this.phase == Phase.RESTORE_FAILED) {
			this.phase = Phase.READY;
			this.restoreError = null;
			this.restoreRetries = null;
			if (this.restoreRetry != null) {
				this.restoreRetry.cancel(false);
			}
		}
		this.manager.clearError(ErrorCode.SESSION_STORE_ERROR);
	}

	private void autoEstablish() {
		if (!this.running || this.phase != Phase.READY || this.pendingLogin != null) {
			return;
		}
		StoredSession session = this.session;
		if (session != null) {
			if (this.autoEstablishSocketConnection) {
				connect(credentials(session), false).exceptionally((failure) -> null);
			}
		}
		else if (this.serviceAccount != null) {
			startServiceAccount(this.serviceAccount);
		}
	}

	private void startServiceAccount(Credentials account) {
		if (!this.autoEstablishSocketConnection) {
			// Manual mode saves a login at once
			login(account, new CompletableFuture<>());
			return;
		}
		if (!claimRestored(account.uid())) {
			return;
		}
		newEpoch();
		StoredSession session = new StoredSession(this.appId, account.uid(), this.region, account.authToken(),
				this.clock.instant(), null);
		setSession(session);
		this.user = new CometChatUser(account.uid());
		this.saveOnConnect = true;
		this.subscriptions.want(account.uid(), Set.of());
		watchExpiry(false);
		connect(account, false).exceptionally((failure) -> null);
	}

	private void saveServiceAccount(StoredSession session) {
		long epoch = this.epoch;
		this.writer.save(session).whenComplete((done, failure) -> {
			if (epoch != this.epoch) {
				return;
			}
			if (failure == null) {
				stored(null);
				this.dispatcher.login(Type.LOGIN_SUCCESS, session.uid(), null);
			}
			else {
				// Tried again on the next connect
				this.saveOnConnect = true;
				stored(failure);
			}
		});
	}

	// Helpers

	/**
	 * Connect as the given user in this session's epoch, with the identity the subscriptions need.
	 */
	private CompletableFuture<Void> connect(Credentials credentials, boolean failFast) {
		return this.manager.connect(this.subscriptions.identify(credentials), failFast, this.epoch);
	}

	private void newEpoch() {
		cancelExpiryWatch();
		this.epoch++;
		this.dispatcher.sessionChanged(this.epoch);
	}

	/**
	 * Log the current user out locally: announce offline, drop the subscriptions and close the socket.
	 * @return a future completing when the socket is closed
	 */
	private CompletableFuture<Void> endSession() {
		this.presence.offline(uid());
		clearSession();
		return this.manager.disconnect();
	}

	private void clearSession() {
		this.subscriptions.clear();
		this.saveOnConnect = false;
		setSession(null);
		this.user = null;
		if (this.pendingLogin == null) {
			releaseClaim();
		}
	}

	private void releaseClaim() {
		String claimed = this.claimedUid;
		if (claimed != null) {
			this.claimedUid = null;
			this.claims.release(claimed);
		}
	}

	private void setSession(@Nullable StoredSession session) {
		this.session = session;
		this.joinedGroups = (session != null) ? session.groups() : Set.of();
	}

	private @Nullable String uid() {
		StoredSession session = this.session;
		return (session != null) ? session.uid() : null;
	}

	private CometChatException notLoggedIn(String what) {
		CometChatException restoreError = this.restoreError;
		if (this.phase == Phase.RESTORE_FAILED && restoreError != null) {
			return new CometChatException(ErrorCode.SESSION_STORE_ERROR,
					what + " needs the saved session, which could not be loaded: " + restoreError.getMessage(),
					restoreError);
		}
		return new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
				what + " needs a logged-in user: call login(uid, authToken) first");
	}

	private void onLoop(Runnable task) {
		this.loop.execute(task);
	}

	private static <T> void complete(CompletableFuture<T> source, CompletableFuture<T> result) {
		source.whenComplete((value, failure) -> {
			if (failure != null) {
				result.completeExceptionally(Failures.unwrap(failure));
			}
			else {
				result.complete(value);
			}
		});
	}

	private static Credentials credentials(StoredSession session) {
		return new Credentials(session.uid(), session.authToken());
	}

	static CometChatException toError(Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		return (cause instanceof CometChatException ex) ? ex
				: new CometChatException(ErrorCode.SESSION_STORE_ERROR, String.valueOf(cause), cause);
	}

	private enum Phase {

		/** The saved session was not asked for yet. */
		NEW,

		/** The saved session is being loaded; calls wait. */
		RESTORING,

		/** It could not be loaded; retried with the back-off until it is, or until a login or logout settles it. */
		RESTORE_FAILED,

		/** What the store holds is known. */
		READY

	}

	private record PendingLogin(Credentials credentials, CompletableFuture<CometChatUser> result, long epoch) {
	}

}
