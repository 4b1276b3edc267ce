package com.cometchat.spring.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicReference;

import com.cometchat.spring.client.CometChatLoginEvent.Type;
import com.cometchat.spring.client.connection.ConnectionManager;
import com.cometchat.spring.client.connection.Credentials;
import com.cometchat.spring.client.connection.Failures;
import com.cometchat.spring.client.connection.OutboundMessage;
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

	/** Ids of users and groups, as CometChat allows them; they become part of destinations. */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

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

	private final Destinations destinations;

	private final boolean durableSubscriptions;

	private final PresenceSubscription presenceSubscription;

	private final Set<String> presenceRoles;

	private final Set<String> presenceFriends;

	private final @Nullable String role;

	private final MessageCodec codec = new MessageCodec();

	private final CometChatClientObserver observer;

	private final URI url;

	/** Confined to the dispatcher. */
	private final RecentIds recentIds = new RecentIds(10_000);

	private final ListenerRegistry<ConnectionListener> connectionListeners = new ListenerRegistry<>();

	private final ListenerRegistry<MessageListener> messageListeners = new ListenerRegistry<>();

	private final ListenerRegistry<UserListener> userListeners = new ListenerRegistry<>();

	private volatile Set<String> joinedGroups = Set.of();

	private final ListenerRegistry<LoginListener> loginListeners = new ListenerRegistry<>();

	private final AtomicReference<@Nullable CompletableFuture<Void>> restored = new AtomicReference<>();

	private volatile boolean restoreFailed;

	private volatile boolean running;

	private volatile @Nullable CometChatUser user;

	private volatile CompletableFuture<Void> pendingWrite = CompletableFuture.completedFuture(null);

	/** Written on the loop only; volatile so that {@link #sendMessage} can encode on the caller's thread. */
	private volatile @Nullable StoredSession session;

	// Confined to the loop

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
		this.destinations = parts.destinations();
		this.durableSubscriptions = parts.durableSubscriptions();
		this.presenceSubscription = parts.presenceSubscription();
		this.presenceRoles = Set.copyOf(parts.presenceRoles());
		this.presenceFriends = Set.copyOf(parts.presenceFriends());
		this.role = parts.role();
		this.observer = parts.observer();
		this.url = parts.url();
		this.manager = new ConnectionManager(parts.transport(), this.loop, parts.scheduler(), parts.backOff(),
				parts.connectTimeout(), this::onStateChange, this::onInbound, parts.sendQueueCapacity(),
				parts.receipts(), this.observer::pendingSendsChanged);
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
		if (!isId(uid) || !StringUtils.hasText(authToken)) {
			CometChatException error = new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"login(uid, authToken) needs a uid of letters, digits, '_' and '-' and a non-empty auth token");
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
			.thenComposeAsync((ignored) -> {
				wantSubscriptions(credentials.uid(), Set.of());
				return this.autoEstablishSocketConnection ? this.manager.connect(credentials, true)
						: CompletableFuture.completedFuture(null);
			}, this.loop)
			.thenComposeAsync((ignored) -> saveSession(credentials), this.loop)
			.whenCompleteAsync((saved, failure) -> {
				this.pendingLoginUid = null;
				if (failure == null) {
					this.session = saved;
					CometChatUser user = new CometChatUser(saved.uid());
					this.user = user;
					if (this.manager.state() == ConnectionState.CONNECTED) {
						// CONNECTED came before the session was saved, so it was not announced then
						announce(true);
					}
					notifyLogin(Type.LOGIN_SUCCESS, user.uid(), null);
					result.complete(user);
				}
				else {
					CometChatException error = toCometChatException(failure);
					this.manager.unsubscribeAll();
					this.joinedGroups = Set.of();
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
			store(() -> this.sessionStore.save(session), "Could not save the session of uid '" + session.uid() + "'");
			return session;
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
		announceOffline();
		this.manager.unsubscribeAll();
		this.joinedGroups = Set.of();
		this.manager.disconnect();
		this.session = null;
		this.user = null;
		return CompletableFuture.runAsync(() -> store(() -> this.sessionStore.delete(this.appId),
				"Could not delete the session of app '" + this.appId + "'"), this.ioExecutor);
	}

	/**
	 * Run a session store call, reporting its failure as {@link ErrorCode#SESSION_STORE_ERROR}.
	 */
	private static void store(Runnable call, String failure) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			throw new CometChatException(ErrorCode.SESSION_STORE_ERROR, failure + ": " + ex.getMessage(), ex);
		}
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
		return CompletableFuture.supplyAsync(() -> {
			announceOffline();
			return this.manager.disconnect();
		}, this.loop).thenCompose((closed) -> closed);
	}

	// Messaging

	@Override
	public CompletableFuture<SentMessage> sendMessage(OutgoingMessage message) {
		CometChatException invalid = validate(message);
		if (invalid != null) {
			return CompletableFuture.failedFuture(invalid);
		}
		// The id, the destination and (for the user logged in now) the JSON are made on the caller's thread, off the
		// loop that every connection event goes through; the loop checks the user again
		String id = UUID.randomUUID().toString();
		Instant sentAt = this.clock.instant();
		String destination = (message.receiverType() == ReceiverType.USER)
				? this.destinations.user(this.appId, message.receiver())
				: this.destinations.group(this.appId, message.receiver());
		StoredSession sender = this.session;
		byte[] encoded = (sender != null) ? encodeOrNull(chatMessage(id, sender.uid(), message, sentAt)) : null;
		return restored().thenComposeAsync((ignored) -> {
			StoredSession session = this.session;
			if (session == null) {
				return CompletableFuture.failedFuture(new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
						"sendMessage() needs a logged-in user: call login(uid, authToken) first"));
			}
			ChatMessage chat = chatMessage(id, session.uid(), message, sentAt);
			byte[] payload = (encoded != null && sender.uid().equals(session.uid())) ? encoded
					: this.codec.write(chat);
			long start = System.nanoTime();
			return this.manager.send(outbound(chat.id(), destination, payload, false))
				.whenComplete((sent, failure) -> observe(() -> {
					Throwable cause = Failures.unwrap(failure);
					if (cause == null) {
						this.observer.messageSent(Duration.ofNanos(System.nanoTime() - start));
					}
					else {
						this.observer.messageFailed((cause instanceof CometChatException ex) ? ex.getCode()
								: ErrorCode.NOT_CONNECTED);
					}
				}))
				.thenApply((sent) -> new SentMessage(chat.id(), chat.receiverType(), chat.receiver(), chat.sentAt()));
		}, this.loop);
	}

	/**
	 * Encode on the caller's thread; a message that cannot be encoded fails its future on the loop instead.
	 */
	private byte @Nullable [] encodeOrNull(ChatMessage chat) {
		try {
			return this.codec.write(chat);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static ChatMessage chatMessage(String id, String uid, OutgoingMessage message, Instant sentAt) {
		return new ChatMessage(id, uid, message.receiverType(), message.receiver(), message.type(), message.text(),
				message.customType(), message.data(), sentAt);
	}

	private static @Nullable CometChatException validate(OutgoingMessage message) {
		if (!isId(message.receiver())) {
			return new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"The receiver must be a uid or guid of letters, digits, '_' and '-', not '" + message.receiver() + "'");
		}
		if (OutgoingMessage.TEXT.equals(message.type()) && !StringUtils.hasText(message.text())) {
			return new CometChatException(ErrorCode.INVALID_ARGUMENT, "A text message needs a text");
		}
		if (OutgoingMessage.CUSTOM.equals(message.type()) && !StringUtils.hasText(message.customType())) {
			return new CometChatException(ErrorCode.INVALID_ARGUMENT, "A custom message needs a custom type");
		}
		if (!OutgoingMessage.TEXT.equals(message.type()) && !OutgoingMessage.CUSTOM.equals(message.type())) {
			return new CometChatException(ErrorCode.INVALID_ARGUMENT, "Unknown message type '" + message.type() + "'");
		}
		return null;
	}

	private static OutboundMessage outbound(String id, String destination, byte[] payload, boolean ephemeral) {
		// persistent: RabbitMQ and Artemis keep the message across a broker restart
		return new OutboundMessage(id, destination, Map.of(OutboundMessage.MESSAGE_ID_HEADER, id, "content-type",
				"application/json", "persistent", String.valueOf(!ephemeral)), payload, ephemeral);
	}

	@Override
	public CompletableFuture<Void> joinGroup(String guid) {
		return changeGroups(guid, true);
	}

	@Override
	public CompletableFuture<Void> leaveGroup(String guid) {
		return changeGroups(guid, false);
	}

	private CompletableFuture<Void> changeGroups(String guid, boolean join) {
		if (!isId(guid)) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"A guid is letters, digits, '_' and '-', not '" + guid + "'"));
		}
		return restored().thenComposeAsync((ignored) -> {
			StoredSession session = this.session;
			if (session == null) {
				return CompletableFuture.failedFuture(new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
						"Groups need a logged-in user: call login(uid, authToken) first"));
			}
			Set<String> groups = new TreeSet<>(session.groups());
			if (join ? !groups.add(guid) : !groups.remove(guid)) {
				return CompletableFuture.completedFuture(null);
			}
			String id = subscriptionId(session.uid(), "group-" + guid);
			if (join) {
				this.manager.subscribe(id, this.destinations.group(this.appId, guid), groupHeaders());
			}
			else {
				this.manager.unsubscribe(id);
			}
			StoredSession updated = session.withGroups(groups);
			this.session = updated;
			this.joinedGroups = updated.groups();
			return CompletableFuture.runAsync(() -> store(() -> this.sessionStore.save(updated),
					"Could not save the groups of uid '" + updated.uid() + "'"), this.ioExecutor);
		}, this.loop);
	}

	@Override
	public Set<String> getJoinedGroups() {
		return this.joinedGroups;
	}

	/**
	 * Want the subscriptions of a user: inbox, groups and, unless off, presence (on the loop).
	 */
	private void wantSubscriptions(String uid, Set<String> groups) {
		this.manager.unsubscribeAll();
		this.manager.subscribe(subscriptionId(uid, "user"), this.destinations.user(this.appId, uid), Map.of());
		for (String guid : groups) {
			this.manager.subscribe(subscriptionId(uid, "group-" + guid), this.destinations.group(this.appId, guid),
					groupHeaders());
		}
		if (this.presenceSubscription != PresenceSubscription.NONE) {
			this.manager.subscribe(subscriptionId(uid, "presence"), this.destinations.presence(this.appId), Map.of());
		}
		this.joinedGroups = Set.copyOf(groups);
	}

	/**
	 * Stable across connections and restarts: RabbitMQ names durable subscription queues after it.
	 */
	private String subscriptionId(String uid, String name) {
		return "cometchat-" + this.appId + "-" + uid + "-" + name;
	}

	private Map<String, String> groupHeaders() {
		return this.durableSubscriptions ? Map.of("durable", "true", "auto-delete", "false") : Map.of();
	}

	private void announce(boolean online) {
		StoredSession session = this.session;
		if (session == null) {
			return;
		}
		UserPresence presence = new UserPresence(session.uid(), online, this.role, this.clock.instant());
		this.manager
			.send(outbound(UUID.randomUUID().toString(), this.destinations.presence(this.appId),
					this.codec.write(presence), true))
			.exceptionally(ignoreFailure());
	}

	/**
	 * Tell the others this user goes offline, before closing on purpose (on the loop).
	 */
	private void announceOffline() {
		if (this.manager.state() == ConnectionState.CONNECTED) {
			announce(false);
		}
	}

	private void onInbound(String subscriptionId, Map<String, String> headers, byte[] payload) {
		Object decoded;
		try {
			decoded = this.codec.read(payload);
		}
		catch (CometChatException ex) {
			logger.warn("Dropped a message on " + headers.getOrDefault("destination", subscriptionId) + ": "
					+ ex.getMessage());
			return;
		}
		this.dispatcher.execute(() -> deliver(decoded));
	}

	private void deliver(Object decoded) {
		CometChatUser me = this.user;
		if (decoded instanceof ChatMessage message) {
			if (!this.recentIds.add(message.id())) {
				observe(this.observer::duplicateDropped);
				return;
			}
			if (me != null && me.uid().equals(message.sender())) {
				return;
			}
			observe(this.observer::messageReceived);
			for (MessageListener listener : this.messageListeners.snapshot()) {
				try {
					listener.onMessageReceived(message);
					if (message.isText()) {
						listener.onTextMessageReceived(message);
					}
					else {
						listener.onCustomMessageReceived(message);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Message listener failed on message " + message.id(), ex);
				}
			}
		}
		else if (decoded instanceof UserPresence presence) {
			if ((me != null && me.uid().equals(presence.uid())) || !isWatched(presence)) {
				return;
			}
			for (UserListener listener : this.userListeners.snapshot()) {
				try {
					listener.onPresenceChange(presence);
					if (presence.online()) {
						listener.onUserOnline(presence);
					}
					else {
						listener.onUserOffline(presence);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("User listener failed on presence of " + presence.uid(), ex);
				}
			}
		}
	}

	private boolean isWatched(UserPresence presence) {
		return switch (this.presenceSubscription) {
			case ALL_USERS -> true;
			case ROLES -> presence.role() != null && this.presenceRoles.contains(presence.role());
			case FRIENDS -> this.presenceFriends.contains(presence.uid());
			case NONE -> false;
		};
	}

	@Override
	public void addMessageListener(String id, MessageListener listener) {
		this.messageListeners.add(id, listener);
	}

	@Override
	public void removeMessageListener(String id) {
		this.messageListeners.remove(id);
	}

	@Override
	public void addUserListener(String id, UserListener listener) {
		this.userListeners.add(id, listener);
	}

	@Override
	public void removeUserListener(String id) {
		this.userListeners.remove(id);
	}

	/**
	 * Return the subscriptions the client wants (and has, while connected), id to destination.
	 * @return a future with the subscriptions
	 */
	public CompletableFuture<Map<String, String>> getSubscriptions() {
		return CompletableFuture.supplyAsync(this.manager::subscriptions, this.loop);
	}

	/**
	 * Return the number of sends waiting for a connection or for their receipt.
	 * @return a future with the count
	 */
	public CompletableFuture<Integer> getPendingSends() {
		return CompletableFuture.supplyAsync(this.manager::pendingSends, this.loop);
	}

	/**
	 * Return the broker URL, if the client was built with one.
	 * @return the URL or {@code null} with a custom transport
	 */
	public @Nullable URI getUrl() {
		return this.url;
	}

	private void observe(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("CometChat client observer failed", ex);
		}
	}

	private static boolean isId(@Nullable String id) {
		return id != null && ID.matcher(id).matches();
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
	 * Load the saved session once, on the given executor; the user is known as soon as the load returns. A load
	 * that failed (database down, token that cannot be decrypted) is reported as the last error and tried again by
	 * the next operation, so login and connect recover when the store does.
	 */
	private CompletableFuture<Void> restore(Executor executor) {
		CompletableFuture<Void> current = this.restored.get();
		if (current != null && !(current.isDone() && this.restoreFailed)) {
			return current;
		}
		CompletableFuture<Void> next = new CompletableFuture<>();
		if (!this.restored.compareAndSet(current, next)) {
			return this.restored.get();
		}
		CompletableFuture.supplyAsync(this::loadSession, executor).whenCompleteAsync((loaded, failure) -> {
			this.restoreFailed = (failure != null);
			if (failure != null) {
				Throwable cause = Failures.unwrap(failure);
				CometChatException error = new CometChatException(ErrorCode.SESSION_STORE_ERROR,
						"Could not load the saved session of app '" + this.appId + "': " + cause.getMessage(), cause);
				logger.error(error.getMessage());
				this.manager.reportError(error);
			}
			else {
				this.session = loaded.orElse(null);
				loaded.ifPresent((session) -> wantSubscriptions(session.uid(), session.groups()));
			}
			next.complete(null);
		}, this.loop);
		return next;
	}

	private Optional<StoredSession> loadSession() {
		Optional<StoredSession> loaded = this.sessionStore.load(this.appId);
		loaded.ifPresent((session) -> this.user = new CometChatUser(session.uid()));
		return loaded;
	}

	private void onStateChange(ConnectionStateChange change) {
		observe(() -> this.observer.stateChanged(change));
		StoredSession session = this.session;
		if (change.current() == ConnectionState.CONNECTED && session != null) {
			announce(true);
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

	private static CometChatException toCometChatException(Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		return (cause instanceof CometChatException ex) ? ex
				: new CometChatException(ErrorCode.SESSION_STORE_ERROR, String.valueOf(cause), cause);
	}

}
