package com.cometchat.spring.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.SerialExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;

/**
 * The {@link CometChatClient}: a thin facade over the parts that own each piece of state. Built with
 * {@link CometChatClient#builder()}; as a Spring bean it is a {@link SmartLifecycle} that starts after the embedded
 * web server and stops before graceful shutdown.
 *
 * <p>Who owns what:
 * <ul>
 * <li>the connection, its subscriptions and sends: a {@link ConnectionManager} on the client's serial loop;</li>
 * <li>login, logout, the saved session and the joined groups: a {@link SessionCoordinator}, on the same loop, whose
 * store calls go one at a time, in call order, through a {@link SessionWriter} on the I/O executor;</li>
 * <li>messages from the broker: an {@link InboundRouter};</li>
 * <li>user code (listeners, application events, the completion of the futures returned here): a
 * {@link ListenerDispatcher} on the callback executor, never the loop or the I/O executor.</li>
 * </ul>
 * No method blocks, and {@link #start()} touches neither the network nor the database on the caller's thread.
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

	private final boolean autoEstablishSocketConnection;

	private final SerialExecutor loop;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final ConnectionManager manager;

	private final SessionWriter writer;

	private final SessionCoordinator session;

	private final ListenerDispatcher dispatcher;

	/** Who of the watched users stopped announcing themselves; on the dispatcher's queue. */
	private final PresenceTimeouts presenceTimeouts;

	private final Duration shutdownTimeout;

	private final int phase;

	private final Runnable onClose;

	private final Destinations destinations;

	private final MessageCodec codec;

	private final PayloadConverter payloadConverter;

	private final CometChatClientObserver observer;

	private final @Nullable URI url;

	private volatile boolean running;

	/** Logins asked for and not settled yet: a connection manager only drops a client that has none. */
	private final AtomicInteger loginsInFlight = new AtomicInteger();

	/** Told when the connection attempt going on has an outcome; loop only. */
	private final List<CompletableFuture<Void>> settling = new ArrayList<>();

	/** The last count of pending sends, for a manager's sum. */
	private volatile int pendingSends;

	/** The messages this client sent and received most recently, for the events about them by id. */
	private final RecentMessages recentMessages = new RecentMessages();

	/** When the connection up now, or last, was established: transient events sent before it are stale. */
	private volatile Instant connectedAt = Instant.MIN;

	DefaultCometChatClient(CometChatClientBuilder.Parts parts) {
		this.appId = parts.appId();
		this.autoEstablishSocketConnection = parts.autoEstablishSocketConnection();
		this.loop = new SerialExecutor(parts.loopExecutor());
		this.scheduler = parts.scheduler();
		this.clock = parts.scheduler().getClock();
		this.shutdownTimeout = parts.shutdownTimeout();
		this.phase = parts.phase();
		this.onClose = parts.onClose();
		this.destinations = parts.destinations();
		this.observer = parts.observer();
		this.url = parts.url();
		this.payloadConverter = parts.payloadConverter();
		this.codec = new MessageCodec(this.payloadConverter);
		SessionCoordinator[] coordinator = new SessionCoordinator[1];
		String fixedUid = parts.fixedUid();
		this.dispatcher = new ListenerDispatcher(this, parts.callbackExecutor(), parts.eventPublisher(),
				parts.publishMessageEvents(), () -> sessionUid(fixedUid));
		this.writer = new SessionWriter(parts.sessionStore(), this.appId, parts.fixedUid(), parts.storeExecutor(),
				this.loop, this.scheduler);
		this.presenceTimeouts = new PresenceTimeouts(this.dispatcher, this.scheduler, parts.presenceHeartbeatInterval(),
				parts.presenceMissedHeartbeats());
		InboundRouter inbound = new InboundRouter(this.codec, this.dispatcher, this.observer,
				() -> coordinator[0].epoch(), () -> coordinator[0].user(), parts.presenceSubscription(),
				parts.presenceRoles(), parts.presenceFriends(), this.recentMessages,
				new TypingTimeouts(this.dispatcher, this.scheduler, TYPING_TIMEOUT), this.presenceTimeouts,
				() -> this.connectedAt, parts.autoMarkDelivered() ? this::markDeliveredQuietly : null,
				parts.senderHeader(), parts.dropUnverified());
		this.manager = new ConnectionManager(parts.transport(), this.loop, this.scheduler, parts.backOff(),
				parts.connectTimeout(), this::onStateChange, inbound::onMessage, parts.sendQueueCapacity(),
				parts.receipts(), this::pendingSendsChanged);
		coordinator[0] = new SessionCoordinator(this.appId, parts.fixedUid(), parts.region(),
				this.autoEstablishSocketConnection,
				parts.serviceAccount(), this.loop, this.manager, this.writer,
				new SubscriptionPlan(this.appId, this.destinations, parts.durableSubscriptions(),
						parts.presenceSubscription(), this.manager),
				new PresenceAnnouncer(this.destinations.presence(this.appId), parts.role(), this.codec, this.scheduler,
						this.loop, this.manager, parts.presenceHeartbeatInterval()),
				this.dispatcher, this.scheduler, parts.backOff(),
				(parts.tokenProvider() != null) ? new TokenRefresher(parts.tokenProvider(), parts.callbackExecutor(),
						this.scheduler, parts.connectTimeout()) : null);
		this.session = coordinator[0];
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
			this.dispatcher.login(CometChatLoginEvent.Type.LOGIN_FAILURE, uid, error);
			return CompletableFuture.failedFuture(error);
		}
		this.loginsInFlight.incrementAndGet();
		// Counted down before the caller hears: a manager that then drops an idle client sees it idle
		CompletableFuture<CometChatUser> login = this.session.login(new Credentials(uid, authToken))
			.whenComplete((user, failure) -> this.loginsInFlight.decrementAndGet());
		return this.dispatcher.relay(login);
	}

	@Override
	public CompletableFuture<Void> logout() {
		return this.dispatcher.relay(this.session.logout());
	}

	@Override
	public Optional<CometChatUser> getLoggedInUser() {
		return Optional.ofNullable(this.session.user());
	}

	@Override
	public CompletableFuture<Optional<CometChatUser>> loggedInUser() {
		return this.dispatcher.relay(this.session.loggedInUser());
	}

	@Override
	public CompletableFuture<Void> connect() {
		return this.dispatcher.relay(this.session.connect());
	}

	@Override
	public CompletableFuture<Void> disconnect() {
		return this.dispatcher.relay(this.session.disconnect());
	}

	// Messaging

	@Override
	public CompletableFuture<SentMessage> sendMessage(OutgoingMessage given) {
		OutgoingMessage message;
		try {
			// The application's serializers run here, on the caller's thread
			message = given.withPayloadConverted(this.payloadConverter);
		}
		catch (CometChatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
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
		CometChatUser sender = this.session.user();
		byte[] encoded = (sender != null) ? encodeOrNull(chatMessage(id, sender.uid(), message, sentAt)) : null;
		long start = System.nanoTime();
		// Connected with nothing before it: written from this thread (or by the connection's writer, if it is busy);
		// otherwise through the loop. Remembered first, since the frame may be on the socket when the call returns
		CompletableFuture<Void> sent = (encoded != null) ? this.session.trySendNow(sender, () -> {
			rememberSent(id, sender.uid(), message);
			return this.manager.trySendNow(OutboundMessage.json(id, destination, encoded, false));
		}) : null;
		if (sent == null) {
			sent = this.session.send((session) -> {
				byte[] payload = (encoded != null && sender.uid().equals(session.uid())) ? encoded
						: this.codec.write(chatMessage(id, session.uid(), message, sentAt));
				rememberSent(id, session.uid(), message);
				return this.manager.send(OutboundMessage.json(id, destination, payload, false));
			});
		}
		sent.whenComplete((done, failure) -> observe(() -> {
			Throwable cause = Failures.unwrap(failure);
			if (cause == null) {
				this.observer.messageSent(Duration.ofNanos(System.nanoTime() - start));
			}
			else {
				this.observer.messageFailed(
						(cause instanceof CometChatException ex) ? ex.getCode() : ErrorCode.NOT_CONNECTED);
			}
		}));
		return this.dispatcher
			.relay(sent.thenApply((done) -> new SentMessage(id, message.receiverType(), message.receiver(), sentAt)));
	}

	private void rememberSent(String id, String sender, OutgoingMessage message) {
		this.recentMessages.remember(new RecentMessages.Message(id, sender, message.receiverType(), message.receiver()));
	}

	// Events about messages (docs/protocol.md)

	@Override
	public CompletableFuture<Void> startTyping(ReceiverType receiverType, String receiver, Map<String, Object> metadata) {
		return typing(receiverType, receiver, metadata, true);
	}

	@Override
	public CompletableFuture<Void> endTyping(ReceiverType receiverType, String receiver) {
		return typing(receiverType, receiver, Map.of(), false);
	}

	private CompletableFuture<Void> typing(ReceiverType receiverType, String receiver, Map<String, Object> metadata,
			boolean started) {
		Map<String, Object> copy = Map.copyOf(metadata);
		return sendEvent(receiverType, receiver, null, (uid, id, at) -> this.codec
			.write(new TypingIndicator(uid, receiverType, receiver, copy, at, started)));
	}

	@Override
	public CompletableFuture<Void> sendTransientMessage(ReceiverType receiverType, String receiver,
			Map<String, Object> data) {
		Map<String, Object> copy = Map.copyOf(data);
		return sendEvent(receiverType, receiver, null,
				(uid, id, at) -> this.codec.write(new TransientMessage(uid, receiverType, receiver, copy, at)));
	}

	@Override
	public CompletableFuture<Void> markAsDelivered(ChatMessage message) {
		return receipt(RecentMessages.Message.of(message), MessageReceipt.Type.DELIVERED);
	}

	@Override
	public CompletableFuture<Void> markAsDelivered(String messageId) {
		return withMessage(messageId, (message) -> receipt(message, MessageReceipt.Type.DELIVERED));
	}

	@Override
	public CompletableFuture<Void> markAsRead(ChatMessage message) {
		return receipt(RecentMessages.Message.of(message), MessageReceipt.Type.READ);
	}

	@Override
	public CompletableFuture<Void> markAsRead(String messageId) {
		return withMessage(messageId, (message) -> receipt(message, MessageReceipt.Type.READ));
	}

	/** A receipt goes to the sender of the message, also for a group message. */
	private CompletableFuture<Void> receipt(RecentMessages.Message message, MessageReceipt.Type type) {
		return sendEvent(ReceiverType.USER, message.sender(), UUID.randomUUID().toString(),
				(uid, id, at) -> this.codec.write(id, new MessageReceipt(message.id(), uid, message.receiverType(),
						message.receiver(), type, at)));
	}

	private void markDeliveredQuietly(ChatMessage message) {
		markAsDelivered(message).exceptionally((failure) -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not mark message " + message.id() + " delivered: " + failure.getMessage());
			}
			return null;
		});
	}

	@Override
	public CompletableFuture<Void> editMessage(String messageId, String newText) {
		if (!StringUtils.hasText(newText)) {
			return CompletableFuture.failedFuture(
					new CometChatException(ErrorCode.INVALID_ARGUMENT, "An edited message needs a text"));
		}
		return edit(messageId, newText);
	}

	@Override
	public CompletableFuture<Void> deleteMessage(String messageId) {
		return edit(messageId, null);
	}

	/** Only the sender edits or deletes a message; the edit goes where the message went. */
	private CompletableFuture<Void> edit(String messageId, @Nullable String text) {
		return withMessage(messageId, (message) -> {
			CometChatUser me = this.session.user();
			if (me == null || !me.uid().equals(message.sender())) {
				return CompletableFuture.failedFuture(new CometChatException(ErrorCode.INVALID_ARGUMENT,
						"Only the sender of message '" + messageId + "' can edit or delete it"));
			}
			return sendEvent(message.receiverType(), message.receiver(), UUID.randomUUID().toString(),
					(uid, id, at) -> this.codec.write(id, new MessageEdit(messageId, uid, message.receiverType(),
							message.receiver(), text, at)));
		});
	}

	@Override
	public CompletableFuture<Void> addReaction(String messageId, String reaction) {
		return reaction(messageId, reaction, true);
	}

	@Override
	public CompletableFuture<Void> removeReaction(String messageId, String reaction) {
		return reaction(messageId, reaction, false);
	}

	/** A reaction goes to the group, or to the other user of the conversation. */
	private CompletableFuture<Void> reaction(String messageId, String reaction, boolean added) {
		if (!StringUtils.hasText(reaction) || reaction.length() > 100) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"A reaction is a non-empty text of at most 100 characters"));
		}
		return withMessage(messageId, (message) -> {
			CometChatUser me = this.session.user();
			RecentMessages.Message to = message.counterpartOf((me != null) ? me.uid() : message.receiver());
			return sendEvent(to.receiverType(), to.receiver(), UUID.randomUUID().toString(),
					(uid, id, at) -> this.codec.write(id, new MessageReaction(messageId, reaction, uid,
							message.receiverType(), message.receiver(), added, at)));
		});
	}

	private CompletableFuture<Void> withMessage(String messageId,
			Function<RecentMessages.Message, CompletableFuture<Void>> action) {
		RecentMessages.Message message = StringUtils.hasText(messageId) ? this.recentMessages.find(messageId) : null;
		if (message == null) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.INVALID_ARGUMENT, "Message '"
					+ messageId + "' is not among the last " + RecentMessages.CAPACITY + " this client sent or received"
					+ " (a receipt can take the ChatMessage itself)"));
		}
		return action.apply(message);
	}

	/**
	 * Send an event as the logged-in user: with an id, like a message (queued while offline, resent after a drop,
	 * receipted); without one, transient (only while connected, never queued or resent, expiring at the broker after
	 * {@link #TYPING_TIMEOUT}).
	 */
	private CompletableFuture<Void> sendEvent(ReceiverType receiverType, String receiver, @Nullable String id,
			EventBody body) {
		if (!isId(receiver)) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"The receiver must be a uid or guid of letters, digits, '_' and '-', not '" + receiver + "'"));
		}
		String destination = (receiverType == ReceiverType.USER) ? this.destinations.user(this.appId, receiver)
				: this.destinations.group(this.appId, receiver);
		Instant at = this.clock.instant();
		CompletableFuture<Void> sent = this.session.send((session) -> {
			byte[] payload = body.write(session.uid(), id, at);
			OutboundMessage outbound = (id != null) ? OutboundMessage.json(id, destination, payload, false)
					: OutboundMessage.transientJson(UUID.randomUUID().toString(), destination, payload,
							at.plus(TYPING_TIMEOUT), TYPING_TIMEOUT);
			return this.manager.send(outbound);
		});
		return this.dispatcher.relay(sent);
	}

	/**
	 * Writes the body of an event for the user sending it.
	 */
	@FunctionalInterface
	private interface EventBody {

		byte[] write(String uid, @Nullable String id, Instant at);

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
		CompletableFuture<Void> changed = this.session.changeGroups(guid, join);
		// Announced once joined or left; the caller does not wait for the others to hear of it
		changed.thenRun(() -> announce(guid, join));
		return this.dispatcher.relay(changed);
	}

	private void announce(String guid, boolean joined) {
		GroupMemberEvent.Action action = joined ? GroupMemberEvent.Action.JOINED : GroupMemberEvent.Action.LEFT;
		sendEvent(ReceiverType.GROUP, guid, UUID.randomUUID().toString(), (uid, id, at) -> this.codec.write(id,
				new GroupMemberEvent(action, guid, uid, uid, null, at)))
			.exceptionally((failure) -> {
				Throwable cause = Failures.unwrap(failure);
				String message = "Could not announce that the user " + action.wireName() + " group '" + guid + "': "
						+ cause;
				// The session ended or the socket was closed on purpose meanwhile: nothing went wrong
				boolean sessionEnded = cause instanceof CometChatException ex
						&& (ex.getCode() == ErrorCode.USER_NOT_LOGGED_IN || ex.getCode() == ErrorCode.DISCONNECTED
								|| ex.getCode() == ErrorCode.NOT_CONNECTED);
				if (!sessionEnded) {
					logger.warn(message);
				}
				else if (logger.isDebugEnabled()) {
					logger.debug(message);
				}
				return null;
			});
	}

	@Override
	public Set<String> getJoinedGroups() {
		return this.session.joinedGroups();
	}

	@Override
	public void addMessageListener(String id, MessageListener listener) {
		this.dispatcher.messageListeners.add(id, listener);
	}

	@Override
	public void removeMessageListener(String id) {
		this.dispatcher.messageListeners.remove(id);
	}

	@Override
	public void addUserListener(String id, UserListener listener) {
		this.dispatcher.userListeners.add(id, listener);
	}

	@Override
	public void removeUserListener(String id) {
		this.dispatcher.userListeners.remove(id);
	}

	@Override
	public void addGroupListener(String id, GroupListener listener) {
		this.dispatcher.groupListeners.add(id, listener);
	}

	@Override
	public void removeGroupListener(String id) {
		this.dispatcher.groupListeners.remove(id);
	}

	@Override
	public void addEventListener(String id, CometChatEventListener listener) {
		this.dispatcher.eventListeners.add(id, listener);
	}

	@Override
	public void removeEventListener(String id) {
		this.dispatcher.eventListeners.remove(id);
	}

	/**
	 * Return the subscriptions the client wants (and has, while connected), id to destination.
	 * @return a future with the subscriptions
	 */
	public CompletableFuture<Map<String, String>> getSubscriptions() {
		return this.dispatcher.relay(CompletableFuture.supplyAsync(this.manager::subscriptions, this.loop));
	}

	/**
	 * Return the number of sends waiting for a connection or for their receipt.
	 * @return a future with the count
	 */
	public CompletableFuture<Integer> getPendingSends() {
		return this.dispatcher.relay(CompletableFuture.supplyAsync(this.manager::pendingSends, this.loop));
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
		this.dispatcher.connectionListeners.add(id, listener);
	}

	@Override
	public void removeConnectionListener(String id) {
		this.dispatcher.connectionListeners.remove(id);
	}

	@Override
	public void addLoginListener(String id, LoginListener listener) {
		this.dispatcher.loginListeners.add(id, listener);
	}

	@Override
	public void removeLoginListener(String id) {
		this.dispatcher.loginListeners.remove(id);
	}

	/**
	 * On the loop, in order: the session hears of a change first, then the observer, then the listeners.
	 */
	private void onStateChange(ConnectionStateChange change) {
		if (change.current() == ConnectionState.CONNECTED) {
			this.connectedAt = change.timestamp();
		}
		if (change.current() != ConnectionState.CONNECTING && !this.settling.isEmpty()) {
			List<CompletableFuture<Void>> settled = List.copyOf(this.settling);
			this.settling.clear();
			settled.forEach((attempt) -> attempt.complete(null));
		}
		this.session.onStateChange(change);
		boolean connected = change.current() == ConnectionState.CONNECTED;
		// In order with the presences that the connection delivers, in the session they belong to
		this.dispatcher.deliver(this.session.epoch(), () -> this.presenceTimeouts.connectionChanged(connected));
		observe(() -> this.observer.stateChanged(change));
		if (change.current() == ConnectionState.FAILED && logger.isWarnEnabled()) {
			logger.warn("CometChat connection failed: " + change);
		}
		this.dispatcher.stateChanged(change, this.manager.uid());
	}

	private void pendingSendsChanged(int pending) {
		this.pendingSends = pending;
		observe(() -> this.observer.pendingSendsChanged(pending));
	}

	// For a connection manager

	/**
	 * Share who holds which uid with a connection manager.
	 */
	void useClaims(SessionClaims claims) {
		this.session.useClaims(claims);
	}

	/**
	 * Take the saved session the manager loaded, instead of loading it.
	 */
	void restoreFrom(com.cometchat.spring.session.@Nullable StoredSession saved) {
		this.session.restoreFrom(saved);
	}

	/**
	 * Tell a connection manager of everything this client's listeners hear, with the uid.
	 */
	void setSessionHooks(SessionHooks hooks) {
		this.dispatcher.setHooks(hooks);
	}

	private @Nullable String sessionUid(@Nullable String fixedUid) {
		if (fixedUid != null) {
			return fixedUid;
		}
		CometChatUser user = this.session.user();
		return (user != null) ? user.uid() : null;
	}

	/**
	 * Start, and tell when the first connection attempt has an outcome (connected, retrying, failed or closed), or at
	 * once when no attempt starts (nobody is logged in, manual mode, already connected): a connection manager's
	 * restore lets a few sessions connect at a time.
	 * @return a future completing on the loop
	 */
	CompletableFuture<Void> startAndSettle() {
		start();
		CompletableFuture<Void> settled = new CompletableFuture<>();
		// After what start() handed to the loop, so the attempt, if any, has begun
		this.loop.execute(() -> {
			if (this.manager.state() == ConnectionState.CONNECTING) {
				this.settling.add(settled);
			}
			else {
				settled.complete(null);
			}
		});
		return settled;
	}

	/**
	 * What {@link #close()} does, without blocking and without releasing what the client owns: for a connection
	 * manager's sessions, which own nothing (the manager's resources serve them all).
	 * @return a future completing when the client is closed
	 */
	CompletableFuture<Void> closeAsync() {
		// A client that was never started (or was stopped) may still have a connection: a login() made without
		// start(). It is ended here too, before the threads go, or it would die with them and try to reconnect
		CompletableFuture<Void> stopped = this.running ? stopAsync()
				: within(this.session.stop().thenCompose((closed) -> this.writer.idle()), this.shutdownTimeout);
		return stopped.thenCompose((done) -> this.writer.close(this.shutdownTimeout))
			// What the last store calls handed to the loop (their outcomes) runs before the threads go
			.thenCompose((written) -> CompletableFuture.runAsync(() -> {
			}, this.loop));
	}

	/**
	 * Whether nobody is logged in and no login was asked for that has not settled.
	 */
	boolean isIdle() {
		return this.session.user() == null && this.loginsInFlight.get() == 0;
	}

	/**
	 * Return the sends waiting for a connection or their receipt, as last counted on the loop.
	 */
	int pendingSendCount() {
		return this.pendingSends;
	}

	// Lifecycle

	/**
	 * Load the saved session and then, in auto mode, connect it, or log the configured service account in; all in the
	 * background: nothing touches the network or the database on the caller's thread. Calls made meanwhile wait for
	 * the saved session, so {@code login()} with the saved credentials completes at once once it is known.
	 */
	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.session.start();
	}

	@Override
	public void stop() {
		stopAsync().join();
	}

	@Override
	public void stop(Runnable callback) {
		stopAsync().whenComplete((done, failure) -> callback.run());
	}

	/**
	 * Announce offline, close the socket and let the session writes asked for so far finish, within the shutdown
	 * timeout (on the client's clock). The saved session stays.
	 */
	private CompletableFuture<Void> stopAsync() {
		if (!this.running) {
			return CompletableFuture.completedFuture(null);
		}
		this.running = false;
		return within(this.session.stop().thenCompose((closed) -> this.writer.idle()), this.shutdownTimeout);
	}

	private CompletableFuture<Void> within(CompletableFuture<Void> work, Duration timeout) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		ScheduledFuture<?> giveUp = this.scheduler.schedule(() -> result.complete(null),
				this.clock.instant().plus(timeout));
		work.whenComplete((done, failure) -> {
			giveUp.cancel(false);
			result.complete(null);
		});
		return result;
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
	 * Stop, let the session store calls asked for finish within the shutdown timeout and fail the rest, and release
	 * the threads and WebSocket client this client created itself.
	 */
	@Override
	public void close() {
		try {
			closeAsync().join();
		}
		finally {
			this.onClose.run();
		}
	}

	@Override
	public String toString() {
		CometChatUser user = this.session.user();
		return "DefaultCometChatClient[appId=" + this.appId + ", user=" + ((user != null) ? user.uid() : null)
				+ ", state=" + getConnectionState() + ", auto=" + this.autoEstablishSocketConnection + "]";
	}

}
