package com.cometchat.spring.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.cometchat.spring.client.CometChatLoginEvent.Type;
import com.cometchat.spring.client.connection.ConnectionManager;
import com.cometchat.spring.client.connection.Credentials;
import com.cometchat.spring.client.connection.SerialExecutor;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * The {@link CometChatClient}: login rules, the saved session and the lifecycle around one {@link ConnectionManager}.
 * Built with {@link CometChatClient#builder()}; as a Spring bean it is a {@link SmartLifecycle} that starts after the
 * embedded web server and stops before graceful shutdown.
 *
 * <p>Login, logout, connect and disconnect run on the same serial loop as the connection state machine, so they are
 * applied one at a time in call order; session store I/O runs off the loop.
 *
 * @author CometChat
 */
public class DefaultCometChatClient implements CometChatClient, SmartLifecycle, AutoCloseable {

	/**
	 * Lifecycle phase: after the web server starts ({@code DEFAULT_PHASE - 2048}) and graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}), so that a broker in the same application is up; stopped before both.
	 */
	public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(DefaultCometChatClient.class);

	private final String appId;

	private final @Nullable String region;

	private final boolean autoEstablishSocketConnection;

	private final @Nullable Credentials serviceAccount;

	private final SessionStore sessionStore;

	private final Executor ioExecutor;

	private final SerialExecutor loop;

	private final SerialExecutor dispatcher;

	private final Clock clock;

	private final ConnectionManager manager;

	private final @Nullable ApplicationEventPublisher eventPublisher;

	private final Duration shutdownTimeout;

	private final int phase;

	private final Runnable onClose;

	private final ListenerRegistry<ConnectionListener> connectionListeners = new ListenerRegistry<>();

	private final ListenerRegistry<LoginListener> loginListeners = new ListenerRegistry<>();

	private final CompletableFuture<Void> restored = new CompletableFuture<>();

	private final AtomicBoolean restoreStarted = new AtomicBoolean();

	private volatile boolean running;

	private volatile @Nullable CometChatUser user;

	private volatile CompletableFuture<Void> pendingWrite = CompletableFuture.completedFuture(null);

	// Confined to the loop
	private @Nullable StoredSession session;

	private @Nullable String pendingLoginUid;

	DefaultCometChatClient(CometChatClientBuilder.Parts parts) {
		this.appId = parts.appId();
		this.region = parts.region();
		this.autoEstablishSocketConnection = parts.autoEstablishSocketConnection();
		this.serviceAccount = parts.serviceAccount();
		this.sessionStore = parts.sessionStore();
		this.ioExecutor = parts.ioExecutor();
		this.loop = new SerialExecutor(parts.executor());
		this.dispatcher = new SerialExecutor(parts.executor());
		this.clock = parts.scheduler().getClock();
		this.eventPublisher = parts.eventPublisher();
		this.shutdownTimeout = parts.shutdownTimeout();
		this.phase = parts.phase();
		this.onClose = parts.onClose();
		this.manager = new ConnectionManager(parts.transport(), this.loop, parts.scheduler(), parts.backOff(),
				parts.connectTimeout(), this::onStateChange);
	}

	/**
	 * Return the app id this client logs in to.
	 * @return the app id
	 */
	public String getAppId() {
		return this.appId;
	}

	/**
	 * Return whether {@code login()} and start open the socket by themselves.
	 * @return whether auto mode is on
	 */
	public boolean isAutoEstablishSocketConnection() {
		return this.autoEstablishSocketConnection;
	}

	@Override
	public CompletableFuture<CometChatUser> login(String uid, String authToken) {
		if (!StringUtils.hasText(uid) || !StringUtils.hasText(authToken)) {
			CometChatException error = new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"login(uid, authToken) needs a non-empty uid and auth token");
			notifyLogin(Type.LOGIN_FAILURE, uid, error);
			return CompletableFuture.failedFuture(error);
		}
		return restored().thenComposeAsync((ignored) -> doLogin(new Credentials(uid, authToken)), this.loop);
	}

	private CompletableFuture<CometChatUser> doLogin(Credentials credentials) {
		if (this.pendingLoginUid != null) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.LOGIN_IN_PROGRESS,
					"A login for uid '" + this.pendingLoginUid + "' is in progress"));
		}
		StoredSession current = this.session;
		CometChatUser currentUser = this.user;
		if (current != null && currentUser != null && current.uid().equals(credentials.uid())
				&& current.authToken().equals(credentials.authToken())) {
			return CompletableFuture.completedFuture(currentUser);
		}
		this.pendingLoginUid = credentials.uid();
		CompletableFuture<CometChatUser> result = new CompletableFuture<>();
		CompletableFuture<Void> cleared = (current != null) ? clearSession()
				: CompletableFuture.completedFuture(null);
		cleared
			.thenComposeAsync((ignored) -> this.autoEstablishSocketConnection ? this.manager.connect(credentials, true)
					: CompletableFuture.completedFuture(null), this.loop)
			.thenComposeAsync((ignored) -> saveSession(credentials), this.loop)
			.whenCompleteAsync((saved, failure) -> {
				this.pendingLoginUid = null;
				if (failure == null) {
					this.session = saved;
					CometChatUser user = new CometChatUser(saved.uid());
					this.user = user;
					notifyLogin(Type.LOGIN_SUCCESS, user.uid(), null);
					result.complete(user);
				}
				else {
					CometChatException error = toCometChatException(failure);
					if (error.getCode() == ErrorCode.SESSION_STORE_ERROR
							&& this.manager.state() != ConnectionState.INITIALIZED) {
						// Connected but not saved: do not keep a socket for a user who is not logged in
						this.manager.disconnect();
					}
					notifyLogin(Type.LOGIN_FAILURE, credentials.uid(), error);
					result.completeExceptionally(error);
				}
			}, this.loop);
		return result;
	}

	private CompletableFuture<StoredSession> saveSession(Credentials credentials) {
		StoredSession session = new StoredSession(this.appId, credentials.uid(), this.region,
				credentials.authToken(), this.clock.instant(),
				(this.manager.state() == ConnectionState.CONNECTED) ? this.clock.instant() : null);
		return CompletableFuture.supplyAsync(() -> {
			try {
				this.sessionStore.save(session);
				return session;
			}
			catch (RuntimeException ex) {
				throw new CometChatException(ErrorCode.SESSION_STORE_ERROR,
						"Could not save the session of uid '" + session.uid() + "': " + ex.getMessage(), ex);
			}
		}, this.ioExecutor);
	}

	@Override
	public CompletableFuture<Void> logout() {
		return restored().thenComposeAsync((ignored) -> {
			String uid = (this.session != null) ? this.session.uid() : this.pendingLoginUid;
			CompletableFuture<Void> result = new CompletableFuture<>();
			clearSession().whenCompleteAsync((done, failure) -> {
				if (failure == null) {
					notifyLogin(Type.LOGOUT_SUCCESS, uid, null);
					result.complete(null);
				}
				else {
					CometChatException error = toCometChatException(failure);
					notifyLogin(Type.LOGOUT_FAILURE, uid, error);
					result.completeExceptionally(error);
				}
			}, this.loop);
			return result;
		}, this.loop);
	}

	/**
	 * Close the socket, forget the user and delete the saved session (on the loop).
	 */
	private CompletableFuture<Void> clearSession() {
		this.manager.disconnect();
		this.session = null;
		this.user = null;
		return CompletableFuture.runAsync(() -> {
			try {
				this.sessionStore.delete(this.appId);
			}
			catch (RuntimeException ex) {
				throw new CometChatException(ErrorCode.SESSION_STORE_ERROR,
						"Could not delete the session of app '" + this.appId + "': " + ex.getMessage(), ex);
			}
		}, this.ioExecutor);
	}

	@Override
	public Optional<CometChatUser> getLoggedInUser() {
		return Optional.ofNullable(this.user);
	}

	@Override
	public CompletableFuture<Void> connect() {
		return restored().thenComposeAsync((ignored) -> {
			StoredSession session = this.session;
			if (session == null) {
				return CompletableFuture.failedFuture(new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
						"connect() needs a logged-in user: call login(uid, authToken) first"));
			}
			return this.manager.connect(credentials(session), false);
		}, this.loop);
	}

	@Override
	public CompletableFuture<Void> disconnect() {
		return CompletableFuture.supplyAsync(this.manager::disconnect, this.loop).thenCompose((closed) -> closed);
	}

	@Override
	public ConnectionState getConnectionState() {
		return this.manager.snapshot().state();
	}

	@Override
	public ConnectionSnapshot getConnectionSnapshot() {
		return this.manager.snapshot();
	}

	@Override
	public void addConnectionListener(String id, ConnectionListener listener) {
		this.connectionListeners.add(id, listener);
	}

	@Override
	public void removeConnectionListener(String id) {
		this.connectionListeners.remove(id);
	}

	@Override
	public void addLoginListener(String id, LoginListener listener) {
		this.loginListeners.add(id, listener);
	}

	@Override
	public void removeLoginListener(String id) {
		this.loginListeners.remove(id);
	}

	/**
	 * Load the saved session once, before the first operation runs.
	 */
	private CompletableFuture<Void> restored() {
		return restore(this.ioExecutor);
	}

	/**
	 * Load the saved session once, on the given executor; the user is known as soon as the load returns.
	 */
	private CompletableFuture<Void> restore(Executor executor) {
		if (this.restoreStarted.compareAndSet(false, true)) {
			CompletableFuture.supplyAsync(this::loadSession, executor).whenCompleteAsync((loaded, failure) -> {
				if (failure != null) {
					logger.error("Could not load the saved session of app '" + this.appId + "'", unwrap(failure));
				}
				else {
					this.session = loaded.orElse(null);
				}
				this.restored.complete(null);
			}, this.loop);
		}
		return this.restored;
	}

	private Optional<StoredSession> loadSession() {
		Optional<StoredSession> loaded = this.sessionStore.load(this.appId);
		loaded.ifPresent((session) -> this.user = new CometChatUser(session.uid()));
		return loaded;
	}

	private void onStateChange(ConnectionStateChange change) {
		StoredSession session = this.session;
		if (change.current() == ConnectionState.CONNECTED && session != null) {
			this.pendingWrite = CompletableFuture.runAsync(() -> markConnected(session.appId(), change),
					this.ioExecutor);
		}
		if (change.current() == ConnectionState.FAILED && logger.isWarnEnabled()) {
			logger.warn("CometChat connection failed: " + change);
		}
		this.dispatcher.execute(() -> dispatch(change));
	}

	private void markConnected(String appId, ConnectionStateChange change) {
		try {
			this.sessionStore.markConnected(appId, change.timestamp());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the connect time of the session of app '" + appId + "': " + ex);
		}
	}

	private void dispatch(ConnectionStateChange change) {
		for (ConnectionListener listener : this.connectionListeners.snapshot()) {
			try {
				listener.onStateChange(change);
				switch (change.current()) {
					case CONNECTING, RECONNECTING -> listener.onConnecting();
					case CONNECTED -> listener.onConnected();
					case DISCONNECTED, FAILED -> listener.onDisconnected();
					default -> {
					}
				}
				if (change.reason() != null) {
					listener.onConnectionError(change.reason());
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Connection listener failed on " + change, ex);
			}
		}
		publish(() -> new CometChatConnectionStateChangedEvent(this, change));
	}

	private void notifyLogin(Type type, @Nullable String uid, @Nullable CometChatException error) {
		this.dispatcher.execute(() -> {
			for (LoginListener listener : this.loginListeners.snapshot()) {
				try {
					switch (type) {
						case LOGIN_SUCCESS -> listener.loginSuccess(new CometChatUser(uid));
						case LOGIN_FAILURE -> listener.loginFailure(error);
						case LOGOUT_SUCCESS -> listener.logoutSuccess();
						case LOGOUT_FAILURE -> listener.logoutFailure(error);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Login listener failed on " + type, ex);
				}
			}
			publish(() -> new CometChatLoginEvent(this, type, uid, error));
		});
	}

	private void publish(java.util.function.Supplier<Object> event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			try {
				publisher.publishEvent(event.get());
			}
			catch (RuntimeException ex) {
				logger.warn("Application event listener failed", ex);
			}
		}
	}

	// Lifecycle

	/**
	 * Load the saved session, so that {@link #getLoggedInUser()} knows it when this method returns, and then, in
	 * the background, connect it in auto mode or log the configured service account in. Never waits on the broker.
	 */
	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		restore(Runnable::run).thenRunAsync(this::autoEstablish, this.loop);
	}

	private void autoEstablish() {
		if (!this.running) {
			return;
		}
		StoredSession session = this.session;
		if (session != null) {
			if (this.autoEstablishSocketConnection) {
				this.manager.connect(credentials(session), false).exceptionally(ignoreFailure());
			}
		}
		else if (this.serviceAccount != null && this.pendingLoginUid == null) {
			doLogin(this.serviceAccount).exceptionally(ignoreFailure());
		}
	}

	@Override
	public void stop() {
		stopAsync().join();
	}

	@Override
	public void stop(Runnable callback) {
		stopAsync().whenComplete((done, failure) -> callback.run());
	}

	private CompletableFuture<Void> stopAsync() {
		if (!this.running) {
			return CompletableFuture.completedFuture(null);
		}
		this.running = false;
		// Also wait for the last session write, so that it does not hit a closed database
		return disconnect().thenCompose((closed) -> this.pendingWrite)
			.orTimeout(this.shutdownTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
			.exceptionally(ignoreFailure());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * Stop and release the threads and WebSocket client this client created itself.
	 */
	@Override
	public void close() {
		try {
			stopAsync().join();
		}
		finally {
			this.onClose.run();
		}
	}

	@Override
	public String toString() {
		CometChatUser user = this.user;
		return "DefaultCometChatClient[appId=" + this.appId + ", user=" + ((user != null) ? user.uid() : null)
				+ ", state=" + getConnectionState() + ", auto=" + this.autoEstablishSocketConnection + "]";
	}

	private static Credentials credentials(StoredSession session) {
		return new Credentials(session.uid(), session.authToken());
	}

	private static <T> java.util.function.Function<Throwable, @Nullable T> ignoreFailure() {
		return (failure) -> null;
	}

	static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static CometChatException toCometChatException(Throwable failure) {
		Throwable cause = unwrap(failure);
		return (cause instanceof CometChatException ex) ? ex
				: new CometChatException(ErrorCode.SESSION_STORE_ERROR, String.valueOf(cause.getMessage()), cause);
	}

}
