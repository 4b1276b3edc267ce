package com.cometchat.spring.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import com.cometchat.spring.client.CometChatLoginEvent.Type;
import com.cometchat.spring.client.transport.SerialExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Where user code runs: the listeners of one client, called in order on a serial queue of the callback executor, and
 * the completion of every future the client hands out, on the callback executor itself (not on the serial queue: a
 * continuation that waits for another call of the same client must not wait behind itself). Neither ever runs on the
 * connection loop or the I/O executor, so a listener or a continuation that blocks holds up no connection.
 *
 * <p>The queue also carries the session epoch: messages arrive stamped with the epoch of the session whose connection
 * received them, and one of a session that ended by the time it is its turn is dropped, so that after
 * {@code logout()} of one user and {@code login()} of another, nothing the first one's socket still received reaches
 * the listeners.
 *
 * @author CometChat
 */
final class ListenerDispatcher {

	private static final Log logger = LogFactory.getLog(ListenerDispatcher.class);

	private final CometChatClient source;

	private final Executor callbackExecutor;

	private final SerialExecutor queue;

	private final @Nullable ApplicationEventPublisher eventPublisher;

	final ListenerRegistry<ConnectionListener> connectionListeners = new ListenerRegistry<>();

	final ListenerRegistry<LoginListener> loginListeners = new ListenerRegistry<>();

	final ListenerRegistry<MessageListener> messageListeners = new ListenerRegistry<>();

	final ListenerRegistry<UserListener> userListeners = new ListenerRegistry<>();

	final ListenerRegistry<GroupListener> groupListeners = new ListenerRegistry<>();

	final ListenerRegistry<CometChatEventListener> eventListeners = new ListenerRegistry<>();

	/** Whether to publish what the listeners hear as {@link CometChatMessageEvent}s (a busy client pays nothing else). */
	private final boolean publishMessageEvents;

	/** A connection manager's hooks, told of everything before the listeners; {@code null} for none. */
	private volatile @Nullable SessionHooks hooks;

	/** The uid the hooks are told messages and presences for. */
	private final Supplier<@Nullable String> sessionUid;

	/** The session whose messages are delivered now; confined to the queue. */
	private long epoch;

	ListenerDispatcher(CometChatClient source, Executor callbackExecutor,
			@Nullable ApplicationEventPublisher eventPublisher, boolean publishMessageEvents,
			Supplier<@Nullable String> sessionUid) {
		this.source = source;
		this.publishMessageEvents = publishMessageEvents && eventPublisher != null;
		this.sessionUid = sessionUid;
		this.callbackExecutor = callbackExecutor;
		this.queue = new SerialExecutor(callbackExecutor);
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Return a copy of an internal future that completes on the callback executor. Called just before the copy is
	 * handed out (on the thread of the application's call): an internal future already complete then (a send that
	 * thread wrote itself without a receipt, a call refused at once) gives a copy complete when handed out, so no
	 * callback thread is woken for it, and its continuations run on the thread that adds them, as with
	 * {@link CompletableFuture#completedFuture}; since nobody held the copy before, none can run on ours.
	 * @param <T> the result type
	 * @param internal a future that completes on the loop or an I/O thread
	 * @return the future to hand to the caller
	 */
	<T> CompletableFuture<T> relay(CompletableFuture<T> internal) {
		CompletableFuture<T> result = new CompletableFuture<>();
		if (internal.isDone()) {
			// Runs now, on this thread: nobody holds the copy yet
			internal.whenComplete((value, failure) -> settle(result, value, failure));
		}
		else {
			internal.whenComplete((value, failure) -> callback(() -> settle(result, value, failure)));
		}
		return result;
	}

	private static <T> void settle(CompletableFuture<T> result, @Nullable T value, @Nullable Throwable failure) {
		if (failure != null) {
			result.completeExceptionally(Failures.unwrap(failure));
		}
		else {
			result.complete(value);
		}
	}

	private void callback(Runnable completion) {
		try {
			this.callbackExecutor.execute(completion);
		}
		catch (RejectedExecutionException ex) {
			// The callback executor is shut down (the client closed): still never on our own threads
			ForkJoinPool.commonPool().execute(completion);
		}
	}

	/**
	 * From now on, deliver the messages of this session only (called on the loop, in order).
	 * @param epoch the session epoch
	 */
	void sessionChanged(long epoch) {
		this.queue.execute(() -> this.epoch = epoch);
	}

	/**
	 * Run a delivery on the queue if its session is still the current one when it is its turn.
	 * @param epoch the session epoch of the connection the message came on
	 * @param delivery the delivery
	 */
	void deliver(long epoch, Runnable delivery) {
		this.queue.execute(() -> {
			if (epoch == this.epoch) {
				delivery.run();
			}
		});
	}

	/**
	 * Tell the connection listeners and publish the event.
	 * @param change the change
	 * @param uid whose connection changed: the uid of the credentials it was opened with, known before the login
	 * that opens it is saved
	 */
	void stateChanged(ConnectionStateChange change, @Nullable String uid) {
		this.queue.execute(() -> {
			SessionHooks hooks = this.hooks;
			if (hooks != null && uid != null) {
				try {
					hooks.stateChanged(uid, change);
					hooks.eventReceived(this.source, uid, change);
				}
				catch (RuntimeException ex) {
					logger.warn("Connection manager listener failed on " + change + " of uid '" + uid + "'", ex);
				}
			}
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
			tellEventListeners(uid, change);
			publish(() -> new CometChatConnectionStateChangedEvent(this.source, uid, change));
		});
	}

	void login(Type type, @Nullable String uid, @Nullable CometChatException error) {
		this.queue.execute(() -> {
			CometChatLoginEvent event = new CometChatLoginEvent(this.source, type, uid, error);
			SessionHooks hooks = this.hooks;
			if (hooks != null) {
				try {
					hooks.loginOutcome(type, uid, error);
					if (uid != null) {
						hooks.eventReceived(this.source, uid, event);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Connection manager listener failed on " + type, ex);
				}
			}
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
			tellEventListeners(uid, event);
			publish(() -> event);
		});
	}

	/**
	 * Call the message listeners (on the queue).
	 * @param message the message
	 */
	void messageReceived(ChatMessage message) {
		SessionHooks hooks = this.hooks;
		String uid = uidIfNeeded(hooks);
		if (hooks != null && uid != null) {
			try {
				hooks.messageReceived(uid, message);
				hooks.eventReceived(this.source, uid, message);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection manager listener failed on message " + message.id(), ex);
			}
		}
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
		received(uid, message);
	}

	/**
	 * Call the message listeners for a typing indicator (on the queue).
	 * @param indicator who types where, and whether they started or ended
	 */
	void typingChanged(TypingIndicator indicator) {
		String uid = tellHooks(indicator);
		for (MessageListener listener : this.messageListeners.snapshot()) {
			try {
				if (indicator.started()) {
					listener.onTypingStarted(indicator);
				}
				else {
					listener.onTypingEnded(indicator);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Message listener failed on typing of " + indicator.sender(), ex);
			}
		}
		received(uid, indicator);
	}

	/**
	 * Call the listeners of an event about messages or group members (on the queue).
	 * @param event a {@link MessageReceipt}, {@link MessageEdit}, {@link MessageReaction}, {@link TransientMessage}
	 * or {@link GroupMemberEvent}
	 */
	void eventReceived(Object event) {
		String uid = tellHooks(event);
		if (event instanceof GroupMemberEvent member) {
			for (GroupListener listener : this.groupListeners.snapshot()) {
				try {
					listener.onGroupMemberEvent(member);
					switch (member.action()) {
						case JOINED -> listener.onGroupMemberJoined(member);
						case LEFT -> listener.onGroupMemberLeft(member);
						case KICKED -> listener.onGroupMemberKicked(member);
						case BANNED -> listener.onGroupMemberBanned(member);
						case UNBANNED -> listener.onGroupMemberUnbanned(member);
						case SCOPE_CHANGED -> listener.onGroupMemberScopeChanged(member);
						case ADDED -> listener.onMemberAddedToGroup(member);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Group listener failed on " + member, ex);
				}
			}
			received(uid, member);
			return;
		}
		for (MessageListener listener : this.messageListeners.snapshot()) {
			try {
				if (event instanceof MessageReceipt receipt) {
					if (receipt.type() == MessageReceipt.Type.READ) {
						listener.onMessagesRead(receipt);
					}
					else {
						listener.onMessagesDelivered(receipt);
					}
				}
				else if (event instanceof MessageEdit edit) {
					if (edit.isDeletion()) {
						listener.onMessageDeleted(edit);
					}
					else {
						listener.onMessageEdited(edit);
					}
				}
				else if (event instanceof MessageReaction reaction) {
					if (reaction.added()) {
						listener.onMessageReactionAdded(reaction);
					}
					else {
						listener.onMessageReactionRemoved(reaction);
					}
				}
				else if (event instanceof TransientMessage message) {
					listener.onTransientMessageReceived(message);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Message listener failed on " + event.getClass().getSimpleName(), ex);
			}
		}
		received(uid, event);
	}

	/**
	 * Call the user listeners (on the queue).
	 * @param presence the presence
	 */
	void presenceChanged(UserPresence presence) {
		SessionHooks hooks = this.hooks;
		String uid = uidIfNeeded(hooks);
		if (hooks != null && uid != null) {
			try {
				hooks.presenceChanged(uid, presence);
				hooks.eventReceived(this.source, uid, presence);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection manager listener failed on presence of " + presence.uid(), ex);
			}
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
		received(uid, presence);
	}

	/**
	 * Tell a connection manager's hooks of an event that has no typed hook.
	 * @return the session's uid when anyone needs it, otherwise {@code null}
	 */
	private @Nullable String tellHooks(Object event) {
		SessionHooks hooks = this.hooks;
		String uid = uidIfNeeded(hooks);
		if (hooks != null && uid != null) {
			try {
				hooks.eventReceived(this.source, uid, event);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection manager listener failed on " + event.getClass().getSimpleName(), ex);
			}
		}
		return uid;
	}

	/**
	 * Return the session's uid when a hook, an event listener or the published event needs it (a message costs no
	 * lookup otherwise).
	 */
	private @Nullable String uidIfNeeded(@Nullable SessionHooks hooks) {
		return (hooks != null || this.publishMessageEvents || !this.eventListeners.isEmpty()) ? this.sessionUid.get()
				: null;
	}

	/**
	 * After the typed listeners: tell the event listeners and publish the event, if asked to.
	 */
	private void received(@Nullable String uid, Object event) {
		tellEventListeners(uid, event);
		if (this.publishMessageEvents) {
			publish(() -> new CometChatMessageEvent<>(this.source, uid, event));
		}
	}

	private void tellEventListeners(@Nullable String uid, Object event) {
		for (CometChatEventListener listener : this.eventListeners.snapshot()) {
			try {
				listener.onEvent(this.source, uid, event);
			}
			catch (RuntimeException ex) {
				logger.warn("Event listener failed on " + event.getClass().getSimpleName(), ex);
			}
		}
	}

	private void publish(Supplier<Object> event) {
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

	/**
	 * Set a connection manager's hooks.
	 * @param hooks the hooks
	 */
	void setHooks(SessionHooks hooks) {
		this.hooks = hooks;
	}

}
