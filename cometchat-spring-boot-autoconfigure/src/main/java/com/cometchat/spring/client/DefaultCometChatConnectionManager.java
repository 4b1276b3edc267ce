package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.cometchat.spring.client.CometChatLoginEvent.Type;
import com.cometchat.spring.cluster.Lease;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The {@link CometChatConnectionManager}: a {@link DefaultCometChatClient} per user, built from one
 * {@link CometChatClientBuilder}'s settings, all on one {@link CometChatResources} (so the thread count does not grow
 * with the number of users, and one WebSocket client and one transport serve them all).
 *
 * <p>At start it loads every saved session of the app id in one query (off the caller's thread) and, in auto mode,
 * connects them with at most {@code restoreConcurrency} connection attempts in flight at once: a session releases its
 * place at its first outcome (connected, retrying or failed). A load that fails is reported as
 * {@link ErrorCode#SESSION_STORE_ERROR} by {@link #restored()} and tried again with the reconnect back-off. Manual mode
 * restores the users but opens no socket until {@link #connect(String)}. A login asked for while the saved sessions
 * load waits for the load, so that its uid's saved session is known to it.
 *
 * <p>Per uid, one client at a time: logins of one uid go through that uid's client, so its login rules apply (a second
 * login while one is in flight fails with {@link ErrorCode#LOGIN_IN_PROGRESS}). A client whose user logged out, or
 * whose only login failed, is dropped. The single client, when given, is the manager's session for its user.
 *
 * @author CometChat
 */
public class DefaultCometChatConnectionManager implements CometChatConnectionManager, SmartLifecycle, AutoCloseable {

	/**
	 * The default number of sessions whose connection attempt may be in flight at once during the restore at start.
	 */
	public static final int DEFAULT_RESTORE_CONCURRENCY = 64;

	private static final Log logger = LogFactory.getLog(DefaultCometChatConnectionManager.class);

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

	private final CometChatClientBuilder template;

	private final CometChatResources resources;

	private final boolean ownsResources;

	private final @Nullable DefaultCometChatClient primary;

	private final SessionStore store;

	private final String appId;

	private final boolean autoEstablishSocketConnection;

	private final int restoreConcurrency;

	private volatile Supplier<CometChatClientObserver> observers;

	/** Every held uid: the manager's clients, and the single client under its user's uid. */
	private final Map<String, DefaultCometChatClient> sessions = new ConcurrentHashMap<>();

	private final ListenerRegistry<SessionConnectionListener> connectionListeners = new ListenerRegistry<>();

	private final ListenerRegistry<SessionMessageListener> messageListeners = new ListenerRegistry<>();

	private final ListenerRegistry<SessionUserListener> userListeners = new ListenerRegistry<>();

	private final ListenerRegistry<SessionLoginListener> loginListeners = new ListenerRegistry<>();

	private final ListenerRegistry<CometChatEventListener> eventListeners = new ListenerRegistry<>();

	private final SessionHooks hooks = new Hooks();

	private final Object restoreMonitor = new Object();

	/**
	 * Counts the starts and stops: what a start began (a load, a retry, a place to connect) does nothing once a stop
	 * or another start came; guarded by {@link #restoreMonitor}.
	 */
	private long generation;

	/** Restored sessions waiting for a place to connect, by uid; guarded by {@link #restoreMonitor}. */
	private final Queue<Map.Entry<String, DefaultCometChatClient>> waitingToConnect = new ArrayDeque<>();

	/** Restored sessions whose first connection attempt is in flight; guarded by {@link #restoreMonitor}. */
	private int connecting;

	private volatile CompletableFuture<Void> restored = new CompletableFuture<>();

	private volatile @Nullable CometChatException restoreError;

	/** The load of the saved sessions in flight, if any: logins wait for it, so that a saved row is not missed. */
	private volatile CompletableFuture<Void> loading = CompletableFuture.completedFuture(null);

	/** Guarded by {@link #restoreMonitor}. */
	private @Nullable BackOffExecution restoreRetries;

	/** Guarded by {@link #restoreMonitor}. */
	private @Nullable ScheduledFuture<?> restoreRetry;

	private volatile boolean running;

	private volatile int phase = DefaultCometChatClient.DEFAULT_PHASE;

	/** With several replicas on one database: which sessions this replica holds; {@code null} for one instance. */
	private volatile @Nullable LeaseKeeper leases;

	private final LeaseKeeper.Listener leaseListener = new LeaseListener();

	/** Sessions lost to another replica whose clients are still closing. */
	private final Set<CompletableFuture<Void>> closingLost = ConcurrentHashMap.newKeySet();

	/**
	 * Create a manager whose clients have the settings of the given builder and run on its resources (or on new ones
	 * that the manager owns).
	 * @param template the settings of every client
	 */
	public DefaultCometChatConnectionManager(CometChatClientBuilder template) {
		this(template, null, DEFAULT_RESTORE_CONCURRENCY, () -> new CometChatClientObserver() {
		});
	}

	/**
	 * Create a manager.
	 * @param template the settings of every client
	 * @param primary the application's single client, the manager's session for its user; {@code null} for none
	 * @param restoreConcurrency the most connection attempts in flight at once while the saved sessions reconnect
	 * @param observers makes the observer of each session (e.g. its metrics)
	 */
	public DefaultCometChatConnectionManager(CometChatClientBuilder template, @Nullable DefaultCometChatClient primary,
			int restoreConcurrency, Supplier<CometChatClientObserver> observers) {
		Assert.isTrue(restoreConcurrency > 0, "'restoreConcurrency' must be positive");
		CometChatResources resources = template.resources();
		this.ownsResources = resources == null;
		this.resources = (resources != null) ? resources : template.newResources();
		this.template = template;
		if (template.sessionStore() == null) {
			template.sessionStore(new InMemorySessionStore());
		}
		this.store = template.sessionStore();
		this.appId = template.appId();
		this.autoEstablishSocketConnection = template.autoEstablishSocketConnection();
		this.restoreConcurrency = restoreConcurrency;
		this.observers = observers;
		this.primary = primary;
		if (primary != null) {
			primary.useClaims(new PrimaryClaims(primary));
			primary.setSessionHooks(this.hooks);
		}
	}

	// Sessions

	@Override
	public CompletableFuture<CometChatClient> login(String uid, String authToken) {
		if (!isId(uid) || !StringUtils.hasText(authToken)) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.INVALID_ARGUMENT,
					"login(uid, authToken) needs a uid of letters, digits, '_' and '-' and a non-empty auth token"));
		}
		LeaseKeeper leases = this.leases;
		if (leases != null) {
			return loginHolding(leases, uid, authToken);
		}
		CompletableFuture<Void> loading = this.loading;
		if (!loading.isDone()) {
			// A saved row of this uid is restored first, so that the login rules see it
			return loading.thenCompose((loaded) -> loginNow(uid, authToken));
		}
		return loginNow(uid, authToken);
	}

	/**
	 * A login with leases: this replica takes the session's lease first (the replica that held it stops acting for it
	 * at its next renewal), and gives it back when the login fails.
	 */
	private CompletableFuture<CometChatClient> loginHolding(LeaseKeeper leases, String uid, String authToken) {
		if (this.sessions.containsKey(uid) && leases.leaseOf(uid) != null) {
			return loginNow(uid, authToken);
		}
		Executor storeExecutor = this.resources.getStoreExecutor();
		return CompletableFuture.supplyAsync(() -> leases.take(uid), storeExecutor).thenCompose((lease) -> {
			if (lease == null) {
				return CompletableFuture.failedFuture(new CometChatException(ErrorCode.NOT_SESSION_HOLDER,
						"This replica holds no lease now (not registered yet, or it lost its lease): log '" + uid
								+ "' in again later, or on another replica"));
			}
			return loginNow(uid, authToken).whenComplete((client, failure) -> {
				if (failure != null && !this.sessions.containsKey(uid)) {
					storeExecutor.execute(() -> leases.release(uid));
				}
				else {
					leases.settled(uid);
				}
			});
		});
	}

	private CompletableFuture<CometChatClient> loginNow(String uid, String authToken) {
		List<CompletableFuture<CometChatUser>> started = new ArrayList<>(1);
		// The login is handed to the client while the uid's entry is locked: a client dropped as idle has none
		DefaultCometChatClient client = this.sessions.compute(uid, (key, existing) -> {
			DefaultCometChatClient target = (existing != null) ? existing : newSession(key, null);
			started.add(target.login(key, authToken));
			return target;
		});
		return started.get(0).handle((user, failure) -> {
			if (failure != null) {
				dropIfIdle(uid, client);
				throw new CompletionException(Failures.unwrap(failure));
			}
			return client;
		});
	}

	@Override
	public Optional<CometChatClient> getClient(String uid) {
		DefaultCometChatClient client = this.sessions.get(uid);
		return (client != null && !client.isIdle()) ? Optional.of(client) : Optional.empty();
	}

	@Override
	public Collection<CometChatClient> getClients() {
		return this.sessions.values().stream().filter((client) -> !client.isIdle()).map(CometChatClient.class::cast)
			.toList();
	}

	@Override
	public CompletableFuture<Void> logout(String uid) {
		LeaseKeeper leases = this.leases;
		DefaultCometChatClient held = this.sessions.get(uid);
		if (leases != null && (held == null || held.isIdle()) && isId(uid)) {
			return logoutElsewhere(leases, uid);
		}
		return withClient(uid, "logout", (client) -> {
			CompletableFuture<Void> logout = client.logout().whenComplete((done, failure) -> dropIfIdle(uid, client));
			if (leases == null) {
				return logout;
			}
			return logout.thenRunAsync(() -> leases.remove(uid), this.resources.getStoreExecutor());
		});
	}

	/**
	 * A logout of a user that another replica holds: its saved session and lease go, and that replica stops acting for
	 * it at its next renewal.
	 */
	private CompletableFuture<Void> logoutElsewhere(LeaseKeeper leases, String uid) {
		return CompletableFuture.runAsync(() -> {
			if (this.store.load(this.appId, uid).isEmpty()) {
				throw new CompletionException(new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
						"logout(uid) needs a logged-in user, and uid '" + uid + "' is not"));
			}
			this.store.delete(this.appId, uid);
			leases.remove(uid);
		}, this.resources.getStoreExecutor());
	}

	@Override
	public CompletableFuture<Void> connect(String uid) {
		return withClient(uid, "connect", CometChatClient::connect);
	}

	@Override
	public CompletableFuture<Void> disconnect(String uid) {
		return withClient(uid, "disconnect", CometChatClient::disconnect);
	}

	@Override
	public CompletableFuture<SentMessage> sendMessage(String uid, OutgoingMessage message) {
		return withClient(uid, "sendMessage", (client) -> client.sendMessage(message));
	}

	private <T> CompletableFuture<T> withClient(String uid, String operation,
			java.util.function.Function<DefaultCometChatClient, CompletableFuture<T>> call) {
		DefaultCometChatClient client = this.sessions.get(uid);
		if (client == null || client.isIdle()) {
			LeaseKeeper leases = this.leases;
			if (leases != null && isId(uid)) {
				// Held by another replica? Then say which, instead of "not logged in"
				return CompletableFuture.supplyAsync(() -> leases.holderOf(uid), this.resources.getStoreExecutor())
					.thenCompose((holder) -> CompletableFuture.failedFuture((holder != null)
							? new CometChatException(ErrorCode.NOT_SESSION_HOLDER, operation + "(uid): uid '" + uid
									+ "' is held by replica " + holder + ", not this one: call it there")
							: notLoggedIn(uid, operation)));
			}
			return CompletableFuture.failedFuture(notLoggedIn(uid, operation));
		}
		return call.apply(client);
	}

	private static CometChatException notLoggedIn(String uid, String operation) {
		return new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
				operation + "(uid) needs a logged-in user, and uid '" + uid + "' is not");
	}

	/**
	 * Set what makes the observer of each session created from now on (e.g. its metrics).
	 * @param observers makes an observer per session
	 */
	public void setObservers(Supplier<CometChatClientObserver> observers) {
		this.observers = observers;
	}

	/**
	 * Return the number of sessions in each state, the single client's included when it is logged in.
	 * @return the counts
	 */
	public Map<ConnectionState, Integer> countByState() {
		Map<ConnectionState, Integer> counts = new java.util.EnumMap<>(ConnectionState.class);
		for (ConnectionState state : ConnectionState.values()) {
			counts.put(state, 0);
		}
		getClients().forEach((client) -> counts.merge(client.getConnectionState(), 1, Integer::sum));
		return counts;
	}

	/**
	 * Return the sends waiting for a connection or their receipt, over every session.
	 * @return the sum
	 */
	public int pendingSends() {
		return this.sessions.values().stream().mapToInt(DefaultCometChatClient::pendingSendCount).sum();
	}

	/**
	 * Return the error that keeps the saved sessions from being loaded, if any.
	 * @return the error, or {@code null} once they are loaded
	 */
	public @Nullable CometChatException getRestoreError() {
		return this.restoreError;
	}

	/**
	 * Return whether the sessions connect by themselves.
	 * @return whether auto mode is on
	 */
	public boolean isAutoEstablishSocketConnection() {
		return this.autoEstablishSocketConnection;
	}

	@Override
	public CompletableFuture<Void> restored() {
		CometChatException error = this.restoreError;
		CompletableFuture<Void> restored = this.restored;
		return (error != null && !restored.isDone()) ? CompletableFuture.failedFuture(error) : restored.copy();
	}

	private DefaultCometChatClient newSession(String uid, @Nullable StoredSession saved) {
		LeaseKeeper leases = this.leases;
		DefaultCometChatClient client = (leases != null)
				? this.template.buildSession(uid, this.resources, this.observers.get(),
						(transport) -> new FencedTransport(transport, () -> leases.leaseOf(uid) != null))
				: this.template.buildSession(uid, this.resources, this.observers.get());
		client.setSessionHooks(this.hooks);
		// Known at once (a login needs no load): the sessions were all loaded at start
		client.restoreFrom(saved);
		if (saved == null || !this.autoEstablishSocketConnection) {
			client.start();
		}
		return client;
	}

	/**
	 * Drop a client whose user logged out, or whose only login failed; never one that a login was handed to since.
	 */
	private void dropIfIdle(String uid, DefaultCometChatClient client) {
		if (client == this.primary) {
			return;
		}
		boolean[] dropped = new boolean[1];
		this.sessions.computeIfPresent(uid, (key, current) -> {
			if (current == client && client.isIdle()) {
				dropped[0] = true;
				return null;
			}
			return current;
		});
		if (dropped[0]) {
			// Without blocking: this may run where the client's own work completes
			client.closeAsync().whenComplete((closed, failure) -> {
				if (failure != null) {
					logger.debug("Could not close the client of uid '" + uid + "'", failure);
				}
			});
		}
	}

	// Listeners

	/**
	 * The manager's listeners, told by every session: one instance for all of them.
	 */
	private final class Hooks implements SessionHooks {

		@Override
		public void stateChanged(String uid, ConnectionStateChange change) {
			each(DefaultCometChatConnectionManager.this.connectionListeners, uid,
					(listener) -> listener.onStateChange(uid, change));
		}

		@Override
		public void messageReceived(String uid, ChatMessage message) {
			each(DefaultCometChatConnectionManager.this.messageListeners, uid,
					(listener) -> listener.onMessageReceived(uid, message));
		}

		@Override
		public void presenceChanged(String uid, UserPresence presence) {
			each(DefaultCometChatConnectionManager.this.userListeners, uid,
					(listener) -> listener.onPresenceChange(uid, presence));
		}

		@Override
		public void eventReceived(CometChatClient client, String uid, Object event) {
			each(DefaultCometChatConnectionManager.this.eventListeners, uid,
					(listener) -> listener.onEvent(client, uid, event));
		}

		@Override
		public void loginOutcome(Type type, @Nullable String uid, @Nullable CometChatException error) {
			if (uid == null) {
				return;
			}
			each(DefaultCometChatConnectionManager.this.loginListeners, uid, (listener) -> {
				switch (type) {
					case LOGIN_SUCCESS -> listener.loginSuccess(new CometChatUser(uid));
					case LOGIN_FAILURE -> listener.loginFailure(uid, error);
					case LOGOUT_SUCCESS -> listener.logoutSuccess(uid);
					case LOGOUT_FAILURE -> listener.logoutFailure(uid, error);
				}
			});
		}

		private static <L> void each(ListenerRegistry<L> registry, String uid, Consumer<L> call) {
			for (L listener : registry.snapshot()) {
				try {
					call.accept(listener);
				}
				catch (RuntimeException ex) {
					logger.warn("Connection manager listener failed for uid '" + uid + "'", ex);
				}
			}
		}

	}

	@Override
	public void addConnectionListener(String id, SessionConnectionListener listener) {
		this.connectionListeners.add(id, listener);
	}

	@Override
	public void removeConnectionListener(String id) {
		this.connectionListeners.remove(id);
	}

	@Override
	public void addMessageListener(String id, SessionMessageListener listener) {
		this.messageListeners.add(id, listener);
	}

	@Override
	public void removeMessageListener(String id) {
		this.messageListeners.remove(id);
	}

	@Override
	public void addUserListener(String id, SessionUserListener listener) {
		this.userListeners.add(id, listener);
	}

	@Override
	public void removeUserListener(String id) {
		this.userListeners.remove(id);
	}

	@Override
	public void addEventListener(String id, CometChatEventListener listener) {
		this.eventListeners.add(id, listener);
	}

	@Override
	public void removeEventListener(String id) {
		this.eventListeners.remove(id);
	}

	@Override
	public void addLoginListener(String id, SessionLoginListener listener) {
		this.loginListeners.add(id, listener);
	}

	@Override
	public void removeLoginListener(String id) {
		this.loginListeners.remove(id);
	}

	// Restore at start

	private void restore(long generation) {
		CompletableFuture<Void> loading = new CompletableFuture<>();
		this.loading = loading;
		CompletableFuture.supplyAsync(() -> this.store.loadAll(this.appId), this.resources.getStoreExecutor())
			.whenComplete((loaded, failure) -> {
				Runnable announce = () -> {
				};
				try {
					announce = (failure != null) ? restoreFailed(generation, failure) : restored(generation, loaded);
				}
				finally {
					// The logins that waited go first: whoever hears of restored() then finds them under way
					loading.complete(null);
					announce.run();
				}
			});
	}

	/**
	 * Take the loaded sessions.
	 * @return what tells {@link #restored()}
	 */
	private Runnable restored(long generation, List<StoredSession> loaded) {
		if (!isCurrent(generation)) {
			// Stopped meanwhile: the next start loads again
			return () -> {
			};
		}
		this.restoreError = null;
		synchronized (this.restoreMonitor) {
			this.restoreRetries = null;
		}
		List<Map.Entry<String, DefaultCometChatClient>> toConnect = new ArrayList<>();
		Set<DefaultCometChatClient> restoring = Collections.newSetFromMap(new IdentityHashMap<>());
		for (StoredSession saved : loaded) {
			if (saved.primary()) {
				// The single client restores its own
				continue;
			}
			boolean[] created = new boolean[1];
			DefaultCometChatClient client = this.sessions.computeIfAbsent(saved.uid(), (uid) -> {
				created[0] = true;
				return newSession(uid, saved);
			});
			if (created[0] && this.autoEstablishSocketConnection) {
				toConnect.add(Map.entry(saved.uid(), client));
				restoring.add(client);
			}
		}
		// A start after a stop: the sessions held since the last start come back too, through the same gate
		for (Map.Entry<String, DefaultCometChatClient> held : this.sessions.entrySet()) {
			DefaultCometChatClient client = held.getValue();
			if (client != this.primary && !client.isRunning() && !restoring.contains(client)) {
				if (this.autoEstablishSocketConnection) {
					toConnect.add(Map.entry(held.getKey(), client));
				}
				else {
					client.start();
				}
			}
		}
		CompletableFuture<Void> restored;
		synchronized (this.restoreMonitor) {
			if (generation != this.generation) {
				return () -> {
				};
			}
			this.waitingToConnect.addAll(toConnect);
			startWaiting(generation);
			restored = this.restored;
		}
		// Not under the monitor: what waits for it may be the application's code
		return () -> restored.complete(null);
	}

	/**
	 * Report a failed load and retry it with the back-off.
	 * @return what tells {@link #restored()}
	 */
	private Runnable restoreFailed(long generation, Throwable failure) {
		if (!isCurrent(generation)) {
			return () -> {
			};
		}
		CometChatException error = SessionCoordinator.toError(failure);
		CometChatException reported = new CometChatException(ErrorCode.SESSION_STORE_ERROR,
				"Could not load the saved sessions of app '" + this.appId + "': " + error.getMessage(), error);
		this.restoreError = reported;
		logger.error(reported.getMessage());
		CompletableFuture<Void> waiting = this.restored;
		this.restored = new CompletableFuture<>();
		synchronized (this.restoreMonitor) {
			if (generation != this.generation) {
				return () -> waiting.completeExceptionally(reported);
			}
			if (this.restoreRetries == null) {
				BackOff backOff = this.template.backOff();
				this.restoreRetries = backOff.start();
			}
			long delay = this.restoreRetries.nextBackOff();
			if (delay != BackOffExecution.STOP) {
				this.restoreRetry = this.resources.getScheduler().schedule(() -> {
					if (isCurrent(generation)) {
						restore(generation);
					}
				}, this.resources.getScheduler().getClock().instant().plusMillis(delay));
			}
		}
		return () -> waiting.completeExceptionally(reported);
	}

	private boolean isCurrent(long generation) {
		synchronized (this.restoreMonitor) {
			return generation == this.generation;
		}
	}

	/**
	 * Start the restored sessions waiting, with at most {@link #restoreConcurrency} first attempts in flight; each
	 * gives its place back at its first outcome. Started under the monitor, so that a stop, which takes it first,
	 * finds every client started before it and stops it.
	 */
	private void startWaiting(long generation) {
		synchronized (this.restoreMonitor) {
			while (generation == this.generation && this.connecting < this.restoreConcurrency
					&& !this.waitingToConnect.isEmpty()) {
				Map.Entry<String, DefaultCometChatClient> next = this.waitingToConnect.poll();
				DefaultCometChatClient client = next.getValue();
				if (this.sessions.get(next.getKey()) != client) {
					// Logged out and dropped while it waited
					continue;
				}
				this.connecting++;
				client.startAndSettle().whenComplete((settled, failure) -> placeFreed(generation));
			}
		}
	}

	private void placeFreed(long generation) {
		synchronized (this.restoreMonitor) {
			if (generation != this.generation) {
				return;
			}
			this.connecting--;
			startWaiting(generation);
		}
	}

	// Several replicas

	/**
	 * Share the saved sessions with the other replicas of the application on the same database: this manager then
	 * holds only the sessions whose lease its replica holds (a fair share), connects them as it takes them, and drops
	 * a session's client at once when the lease is lost (nothing leaves for that user any more, see
	 * {@link FencedTransport}). A login takes the lease of its user; a logout of a user held by another replica
	 * removes the saved session and the lease there. Set before {@link #start()}; the keeper must tell
	 * {@link #leaseListener()}.
	 * @param keeper this replica's leases
	 */
	public void useLeases(LeaseKeeper keeper) {
		Assert.state(!this.running, "Leases are set before start()");
		this.leases = keeper;
	}

	/**
	 * Share the saved sessions with the other replicas (see {@link #useLeases(LeaseKeeper)}), the sessions' writes
	 * going through a store that makes each conditional on still holding the lease (such as
	 * {@link com.cometchat.spring.cluster.FencedSessionStore}); loads, and a logout of a user held elsewhere, use the
	 * store given to the builder.
	 * @param keeper this replica's leases
	 * @param writes the store the sessions write through
	 */
	public void useLeases(LeaseKeeper keeper, SessionStore writes) {
		useLeases(keeper);
		this.template.sessionStore(writes);
	}

	/**
	 * Return what the {@link LeaseKeeper} given to {@link #useLeases(LeaseKeeper)} tells.
	 * @return the listener
	 */
	public LeaseKeeper.Listener leaseListener() {
		return this.leaseListener;
	}

	/**
	 * Return the keeper of this replica's leases, if the sessions are shared with other replicas.
	 * @return the keeper, or {@code null}
	 */
	public @Nullable LeaseKeeper getLeases() {
		return this.leases;
	}

	private final class LeaseListener implements LeaseKeeper.Listener {

		@Override
		public void acquired(Lease lease) {
			long generation;
			synchronized (DefaultCometChatConnectionManager.this.restoreMonitor) {
				generation = DefaultCometChatConnectionManager.this.generation;
			}
			String uid = lease.uid();
			CompletableFuture
				.supplyAsync(() -> DefaultCometChatConnectionManager.this.store.load(
						DefaultCometChatConnectionManager.this.appId, uid),
						DefaultCometChatConnectionManager.this.resources.getStoreExecutor())
				.whenComplete((saved, failure) -> {
					if (failure != null) {
						logger.warn("Could not load the saved session of uid '" + uid + "' (its lease was taken): "
								+ failure.getMessage());
						return;
					}
					holding(generation, uid, saved.orElse(null));
				});
		}

		@Override
		public void lost(Lease lease, String reason) {
			DefaultCometChatClient client = DefaultCometChatConnectionManager.this.sessions.get(lease.uid());
			if (client == null || client == DefaultCometChatConnectionManager.this.primary
					|| !DefaultCometChatConnectionManager.this.sessions.remove(lease.uid(), client)) {
				return;
			}
			logger.info("The session of uid '" + lease.uid() + "' is not held here any more: " + reason);
			CompletableFuture<Void> closing = client.closeAsync().handle((closed, failure) -> null);
			DefaultCometChatConnectionManager.this.closingLost.add(closing);
			closing.whenComplete((closed, failure) -> DefaultCometChatConnectionManager.this.closingLost.remove(closing));
		}

		@Override
		public CompletableFuture<Void> stoppedActing() {
			return CompletableFuture
				.allOf(DefaultCometChatConnectionManager.this.closingLost.toArray(CompletableFuture[]::new));
		}

	}

	/**
	 * A session whose lease this replica took: its client is made from the saved row and connected through the restore
	 * gate (in auto mode).
	 */
	private void holding(long generation, String uid, @Nullable StoredSession saved) {
		LeaseKeeper leases = this.leases;
		if (saved == null || leases == null || leases.leaseOf(uid) == null || !isCurrent(generation)) {
			// Logged out meanwhile, or lost again: its lease goes back
			if (leases != null && saved == null) {
				leases.release(uid);
			}
			return;
		}
		boolean[] created = new boolean[1];
		DefaultCometChatClient client = this.sessions.computeIfAbsent(uid, (key) -> {
			created[0] = true;
			return newSession(key, saved);
		});
		if (!created[0]) {
			return;
		}
		if (!this.autoEstablishSocketConnection) {
			client.start();
			return;
		}
		synchronized (this.restoreMonitor) {
			if (generation == this.generation) {
				this.waitingToConnect.add(Map.entry(uid, client));
				startWaiting(generation);
			}
		}
	}

	// Lifecycle

	/**
	 * Load every saved session and, in auto mode, reconnect them; all in the background.
	 */
	@Override
	public void start() {
		long generation;
		synchronized (this.restoreMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			generation = ++this.generation;
			if (this.restored.isDone()) {
				this.restored = new CompletableFuture<>();
			}
		}
		LeaseKeeper leases = this.leases;
		if (leases != null) {
			// The sessions come one by one, as this replica takes their leases
			leases.start();
			this.restored.complete(null);
			return;
		}
		restore(generation);
	}

	@Override
	public void stop() {
		stopAll().join();
	}

	@Override
	public void stop(Runnable callback) {
		stopAll().whenComplete((done, failure) -> callback.run());
	}

	/**
	 * Stop every session (their sockets close; they stay saved). What the last start began and has not done yet (the
	 * load, its retry, the sessions waiting for a place) is dropped.
	 */
	private CompletableFuture<Void> stopAll() {
		synchronized (this.restoreMonitor) {
			if (!this.running) {
				return CompletableFuture.completedFuture(null);
			}
			this.running = false;
			this.generation++;
			this.waitingToConnect.clear();
			this.connecting = 0;
			this.restoreRetries = null;
			if (this.restoreRetry != null) {
				this.restoreRetry.cancel(false);
				this.restoreRetry = null;
			}
		}
		// Logins waiting for a load that no longer counts go on
		this.loading.complete(null);
		List<CompletableFuture<Void>> stopping = new ArrayList<>();
		LeaseKeeper leases = this.leases;
		if (leases != null) {
			// Every session is lost (its client closes), then given back to the other replicas
			stopping.add(leases.stop());
		}
		for (DefaultCometChatClient client : this.sessions.values()) {
			if (client != this.primary) {
				CompletableFuture<Void> stopped = new CompletableFuture<>();
				client.stop(() -> stopped.complete(null));
				stopping.add(stopped);
			}
		}
		// Bounded on the clients' clock, like a client's own stop
		Duration timeout = this.template.shutdownTimeout();
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		var giveUp = this.resources.getScheduler()
			.schedule(() -> stopped.complete(null), this.resources.getScheduler().getClock().instant().plus(timeout));
		CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
			giveUp.cancel(false);
			stopped.complete(null);
		});
		return stopped;
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
	 * Set the {@link SmartLifecycle} phase (by default the client's).
	 * @param phase the phase
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	/**
	 * Stop, close every session's client and release the resources the manager created itself.
	 */
	@Override
	public void close() {
		try {
			stopAll().join();
			for (DefaultCometChatClient client : new ArrayList<>(this.sessions.values())) {
				if (client != this.primary) {
					client.close();
				}
			}
			this.sessions.values().removeIf((client) -> client != this.primary);
		}
		finally {
			if (this.ownsResources) {
				this.resources.close();
			}
		}
	}

	private static boolean isId(@Nullable String id) {
		return id != null && ID.matcher(id).matches();
	}

	@Override
	public String toString() {
		return "DefaultCometChatConnectionManager[appId=" + this.appId + ", sessions=" + this.sessions.size() + "]";
	}

	/**
	 * The single client holds its user's uid in the manager's map while it is logged in (or logging in).
	 */
	private final class PrimaryClaims implements SessionClaims {

		private final DefaultCometChatClient client;

		PrimaryClaims(DefaultCometChatClient client) {
			this.client = client;
		}

		@Override
		public boolean claim(String uid) {
			DefaultCometChatClient holder = DefaultCometChatConnectionManager.this.sessions.putIfAbsent(uid,
					this.client);
			return holder == null || holder == this.client;
		}

		@Override
		public void release(String uid) {
			DefaultCometChatConnectionManager.this.sessions.remove(uid, this.client);
		}

	}

}
