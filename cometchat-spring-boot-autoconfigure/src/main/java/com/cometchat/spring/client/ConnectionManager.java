package com.cometchat.spring.client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.SerialExecutor;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.client.transport.TransportConnection;
import com.cometchat.spring.client.transport.TransportListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The connection state machine of one session.
 *
 * <p>All state is confined to one {@link SerialExecutor}, the <em>loop</em>: public calls, transport callbacks and
 * timers only enqueue events, and the loop applies them one at a time. Every connection attempt carries an
 * <em>epoch</em>; a callback or timer of an older epoch is dropped, so a late or duplicate report of an abandoned
 * connection can never change the state. Time comes from the {@link TaskScheduler} (and its clock), so every timing
 * rule can be tested in virtual time.
 *
 * <p>Rules: a drop from {@code CONNECTED} retries at once, later failures back off with the {@link BackOff}. The
 * back-off is reset (and the next drop retries at once again) once a connection has proved healthy: it stayed up for
 * the connect timeout, or it stayed up for {@value #HEALTHY_AFTER_MILLIS} ms and the broker served it (confirmed a
 * send with a {@code RECEIPT} or delivered a message on it). A connection the broker served that drops sooner is
 * retried after the back-off's first step. A broker that accepts and then drops every connection before serving it
 * (a bad frame, an ERROR, a crash loop) is retried with growing delays, never in a storm; a client whose links are
 * cut every few seconds while it works gets the immediate retry after every cut.
 * {@code connect()} while connecting or connected is a no-op, while reconnecting it retries now, from
 * {@code DISCONNECTED}/{@code FAILED}/{@code INITIALIZED} it starts afresh; {@code disconnect()} cancels everything;
 * a rejection of the credentials goes to {@code FAILED} with no retry, unless a {@link TokenRenewal} asks for a fresh
 * token: the connection then waits for it in {@code RECONNECTING} (no {@code retryIn}) and connects with it at once;
 * a rejection of that fresh token goes to {@code FAILED} ({@link ErrorCode#TOKEN_REFRESH_FAILED}), so there is at
 * most one fresh token per rejection and never a storm.
 *
 * <p>A connection that failed is aborted, not closed: its link is taken for dead, and the next one opens as soon as
 * its socket is gone. A deliberate {@code disconnect()} closes gracefully and aborts what is still open after a short
 * bound. Never two sockets at once: a new one opens only once the previous one is gone.
 *
 * <p>Futures returned here complete on the loop; the client hands users only copies that complete on its callback
 * executor.
 *
 * @author CometChat
 */
final class ConnectionManager {

	private static final Log logger = LogFactory.getLog(ConnectionManager.class);

	private static final Duration RETRY_AFTER_WAKE_UP = Duration.ofMillis(500);

	/** How many attempts after a wake-up that failed are retried after {@link #RETRY_AFTER_WAKE_UP}. */
	static final int QUICK_RETRIES_AFTER_WAKE_UP = 4;

	/** How long a connection the broker served must stay up to count as healthy. */
	static final long HEALTHY_AFTER_MILLIS = 1000;

	private static final Duration HEALTHY_AFTER = Duration.ofMillis(HEALTHY_AFTER_MILLIS);

	/** How long a deliberate close may take its time (DISCONNECT and the close handshake) before it is aborted. */
	private static final Duration GRACEFUL_CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final Transport transport;

	private final SerialExecutor loop;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final BackOff backOff;

	private final Duration connectTimeout;

	private final Consumer<ConnectionStateChange> stateChanges;

	private final InboundListener inbound;

	private final SubscriptionRegistry subscriptions = new SubscriptionRegistry();

	private final Outbox outbox;

	private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();

	private ConnectionState state = ConnectionState.INITIALIZED;

	private long epoch;

	private int attempt;

	private boolean failFast;

	private @Nullable Credentials credentials;

	/** Asks for a fresh token when the broker rejects the credentials; {@code null}: a rejection fails. */
	private @Nullable TokenRenewal tokenRenewal;

	/** Whether the connection waits (in {@code RECONNECTING}) for the answer to {@link TokenRenewal#renew}. */
	private boolean awaitingToken;

	/** Whether the credentials hold a fresh token that no broker accepted yet: a rejection of it fails. */
	private boolean freshToken;

	/** The session epoch of the credentials, stamped on every inbound message of their connections. */
	private long sessionEpoch;

	private @Nullable TransportConnection connection;

	private @Nullable BackOffExecution backOffExecution;

	private @Nullable ScheduledFuture<?> retryTask;

	private Runnable stopWatchingForBroker = () -> {
	};

	/**
	 * Quick retries left since the broker was seen coming back: it may accept TCP a moment (seconds, on a loaded
	 * machine) before it accepts STOMP.
	 */
	private int quickRetriesLeft;

	private @Nullable ScheduledFuture<?> timeoutTask;

	private @Nullable ScheduledFuture<?> stableTask;

	/** Whether the immediate retry after a drop was used since the connection was last stable. */
	private boolean retriedImmediately;

	/** Whether the broker served the current connection: confirmed a send or delivered a message on it. */
	private boolean served;

	/** Whether the current connection has been up for {@link #HEALTHY_AFTER}. */
	private boolean upLongEnough;

	/** Whether the current connection proved healthy (the back-off was reset). */
	private boolean healthy;

	/**
	 * Whether the probe may take the broker's port open, right after an attempt failed, as the broker back: once per
	 * outage, for a broker that opens its port just as an attempt fails.
	 */
	private boolean mayWakeOnOpenPort = true;

	private @Nullable CometChatException lastError;

	/** The end of the previous connection; a new one opens only after it (bounded by the connect timeout). */
	private CompletableFuture<Void> closing = CompletableFuture.completedFuture(null);

	private volatile ConnectionSnapshot snapshot;

	/**
	 * Create a manager.
	 * @param transport opens connections
	 * @param loop the serial executor that owns all state
	 * @param scheduler timers and clock
	 * @param backOff delays between reconnect attempts after the immediate one
	 * @param connectTimeout bound for an attempt to reach {@code CONNECTED}
	 * @param stateChanges called on the loop for every change, in order
	 * @param inbound receives inbound messages, on a transport thread
	 * @param sendQueueCapacity how many sends may wait for a connection
	 * @param receipts whether a send completes on the broker's {@code RECEIPT} (and is resent after a drop until
	 * then) rather than when written
	 * @param pendingSends told the number of pending sends whenever it changes, on the loop
	 */
	ConnectionManager(Transport transport, SerialExecutor loop, TaskScheduler scheduler, BackOff backOff,
			Duration connectTimeout, Consumer<ConnectionStateChange> stateChanges, InboundListener inbound,
			int sendQueueCapacity, boolean receipts, IntConsumer pendingSends) {
		Assert.isTrue(!connectTimeout.isNegative() && !connectTimeout.isZero(), "'connectTimeout' must be positive");
		Assert.isTrue(sendQueueCapacity >= 0, "'sendQueueCapacity' must not be negative");
		this.transport = transport;
		this.loop = loop;
		this.scheduler = scheduler;
		this.clock = scheduler.getClock();
		this.backOff = backOff;
		this.connectTimeout = connectTimeout;
		this.stateChanges = stateChanges;
		this.inbound = inbound;
		this.outbox = new Outbox(sendQueueCapacity, receipts, pendingSends);
		this.snapshot = new ConnectionSnapshot(this.state, this.clock.instant(), 0, null, null);
	}

	/**
	 * Ask for a fresh token when the broker rejects the credentials, instead of failing; set before the first connect.
	 * @param tokenRenewal who asks
	 */
	void renewTokensWith(TokenRenewal tokenRenewal) {
		this.tokenRenewal = tokenRenewal;
	}

	/**
	 * Return the current state; safe from any thread.
	 * @return the snapshot
	 */
	ConnectionSnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Return the current state (loop only).
	 * @return the state
	 */
	ConnectionState state() {
		return this.state;
	}

	/**
	 * Send a message: at once when connected, otherwise after the next {@code CONNECTED}.
	 * @param message the message
	 * @return a future completing when the message is confirmed, failing with the reason it cannot be
	 */
	CompletableFuture<Void> send(OutboundMessage message) {
		if (this.state == ConnectionState.DISCONNECTED || this.state == ConnectionState.FAILED
				|| (message.ephemeral() && this.state != ConnectionState.CONNECTED)) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.NOT_CONNECTED,
					"Cannot send while " + this.state + ((this.state == ConnectionState.DISCONNECTED
							|| this.state == ConnectionState.FAILED) ? ": call connect() first" : "")));
		}
		return this.outbox.offer(message, connected(), reporter(this.epoch));
	}

	/**
	 * Send a message from the caller's thread, without a hop through the loop, when connected with nothing queued;
	 * safe from any thread but the loop's. The loop learns of it through the outbox: it is confirmed, resent after a
	 * drop or failed exactly like a send made on the loop. The caller writes the frame itself when the connection lets
	 * it ({@link TransportConnection#writeOnCallingThread}: no other thread writing, the writer idle): a send that
	 * finds the connection idle takes no thread hop at all.
	 * @param message the message
	 * @return a future completing when the message is confirmed, or {@code null} when it must take the loop's way
	 */
	@Nullable CompletableFuture<Void> trySendNow(OutboundMessage message) {
		TransportConnection connection = this.outbox.laneConnection();
		if (connection == null) {
			return null;
		}
		return connection.writeOnCallingThread(() -> this.outbox.offerNow(message, connection));
	}

	/**
	 * Want a subscription, on this connection and every later one.
	 * @param id the stable subscription id
	 * @param destination the destination
	 * @param headers extra {@code SUBSCRIBE} headers
	 */
	void subscribe(String id, String destination, Map<String, String> headers) {
		this.subscriptions.add(id, destination, headers, connected());
	}

	/**
	 * Stop wanting a subscription.
	 * @param id the subscription id
	 */
	void unsubscribe(String id) {
		this.subscriptions.remove(id, connected());
	}

	/**
	 * Stop wanting any subscription.
	 */
	void unsubscribeAll() {
		this.subscriptions.removeAll(connected());
	}

	/**
	 * Return the wanted subscriptions, id to destination.
	 * @return the subscriptions
	 */
	Map<String, String> subscriptions() {
		return this.subscriptions.destinations();
	}

	/**
	 * Return the number of sends waiting for a connection or for their receipt.
	 * @return the number of pending sends
	 */
	int pendingSends() {
		return this.outbox.pendingCount();
	}

	/**
	 * Report a failure outside the connection (such as a session that could not be loaded): it becomes the last
	 * error, without a change of state, until the next successful connect or {@link #clearError}.
	 * @param error the failure
	 */
	void reportError(CometChatException error) {
		this.lastError = error;
		ConnectionSnapshot current = this.snapshot;
		this.snapshot = new ConnectionSnapshot(current.state(), current.since(), current.attempt(), current.retryIn(),
				error);
	}

	/**
	 * Forget an error reported with {@link #reportError} once its cause is gone.
	 * @param code the code of the error to forget; another last error stays
	 */
	void clearError(ErrorCode code) {
		if (this.lastError != null && this.lastError.getCode() == code) {
			this.lastError = null;
			ConnectionSnapshot current = this.snapshot;
			this.snapshot = new ConnectionSnapshot(current.state(), current.since(), current.attempt(),
					current.retryIn(), null);
		}
	}

	private @Nullable TransportConnection connected() {
		return (this.state == ConnectionState.CONNECTED) ? this.connection : null;
	}

	private Outbox.Reporter reporter(long connectionEpoch) {
		return new ConnectionReporter(connectionEpoch);
	}

	/**
	 * Takes the outcomes of the writes on one connection. A success is settled in the outbox on the thread that
	 * reports it (a writer or the thread that read the {@code RECEIPT}), without a hop through the loop: whatever
	 * the loop did meanwhile, settling it is right (a send the loop already put back in the queue after a drop is
	 * simply not found, and goes out again with its id). A failed write goes to the loop, which drops the connection.
	 */
	private final class ConnectionReporter implements Outbox.Reporter {

		private final long connectionEpoch;

		/** Whether the loop was told that the broker confirmed a send on this connection. */
		private volatile boolean served;

		ConnectionReporter(long connectionEpoch) {
			this.connectionEpoch = connectionEpoch;
		}

		@Override
		public void report(String id, @Nullable Throwable failure) {
			ConnectionManager manager = ConnectionManager.this;
			if (failure == null) {
				manager.outbox.onResult(id, null);
				if (manager.outbox.receipts() && !this.served) {
					this.served = true;
					manager.loop.execute(() -> manager.onServed(this.connectionEpoch));
				}
				return;
			}
			manager.loop.execute(() -> {
				if (this.connectionEpoch == manager.epoch && manager.outbox.onResult(id, failure)) {
					// A frame that could not be written: the connection is no good, and the send goes out again
					Throwable cause = Failures.unwrap(failure);
					manager.onFailure(this.connectionEpoch, new CometChatException(ErrorCode.CONNECTION_LOST,
							"A write failed: " + ((cause != null) ? cause.getMessage() : "unknown"), cause));
				}
			});
		}

	}

	/**
	 * Connect with the given credentials.
	 * @param credentials the credentials, replacing earlier ones when a fresh connection starts
	 * @param failFast whether a failed attempt goes to {@code FAILED} instead of retrying (used by login, where the
	 * credentials are not known to be good yet)
	 * @param sessionEpoch stamped on every message these credentials' connections receive, so that the messages of a
	 * session that ended can be dropped
	 * @return a future completing on {@code CONNECTED}, failing on {@code FAILED} or {@code DISCONNECTED}
	 */
	CompletableFuture<Void> connect(Credentials credentials, boolean failFast, long sessionEpoch) {
		CompletableFuture<Void> connected = new CompletableFuture<>();
		switch (this.state) {
			case CONNECTED -> connected.complete(null);
			case CONNECTING -> this.connectWaiters.add(connected);
			case RECONNECTING -> {
				this.connectWaiters.add(connected);
				if (!this.awaitingToken) {
					cancel(this.retryTask);
					startAttempt();
				}
				// Otherwise the attempt starts as soon as the fresh token is there
			}
			default -> {
				this.credentials = credentials;
				this.sessionEpoch = sessionEpoch;
				this.failFast = failFast;
				this.freshToken = false;
				this.attempt = 0;
				this.backOffExecution = null;
				this.retriedImmediately = false;
				this.lastError = null;
				this.connectWaiters.add(connected);
				startAttempt();
			}
		}
		return connected;
	}

	/**
	 * Close the connection gracefully, cancel timers and stop reconnecting. What does not close within a short bound
	 * is aborted.
	 * @return a future completing when the socket is gone
	 */
	CompletableFuture<Void> disconnect() {
		this.outbox.closeLane();
		this.epoch++;
		this.awaitingToken = false;
		cancelTimers();
		this.backOffExecution = null;
		this.attempt = 0;
		CompletableFuture<Void> closed = endConnection(true);
		CometChatException reason = new CometChatException(ErrorCode.DISCONNECTED,
				"The connection was closed by disconnect() or logout()");
		// The state first: whoever a failed future wakes sees it
		transition(ConnectionState.DISCONNECTED, null, null);
		failWaiters(reason);
		this.outbox.failAll(reason);
		return closed;
	}

	private void startAttempt() {
		Assert.state(this.credentials != null, "No credentials");
		stopWatchingForBroker();
		this.awaitingToken = false;
		long attemptEpoch = ++this.epoch;
		transition(ConnectionState.CONNECTING, null, null);
		this.timeoutTask = schedule(this.connectTimeout, () -> onConnectTimeout(attemptEpoch));
		CompletableFuture<Void> closing = this.closing;
		if (closing.isDone()) {
			open(attemptEpoch);
		}
		else {
			// Never two sockets at once: open once the previous one is gone
			closing.whenComplete((closed, failure) -> this.loop.execute(() -> open(attemptEpoch)));
		}
	}

	private void open(long attemptEpoch) {
		Credentials credentials = this.credentials;
		if (attemptEpoch != this.epoch || this.state != ConnectionState.CONNECTING || credentials == null) {
			return;
		}
		try {
			this.connection = this.transport.open(credentials, new AttemptListener(attemptEpoch, this.sessionEpoch));
		}
		catch (RuntimeException ex) {
			onFailure(attemptEpoch, new CometChatException(ErrorCode.CONNECT_FAILED,
					"Could not open the connection: " + ex.getMessage(), ex));
		}
	}

	private void onConnected(long attemptEpoch) {
		if (attemptEpoch != this.epoch || this.state != ConnectionState.CONNECTING) {
			return;
		}
		cancel(this.timeoutTask);
		this.failFast = false;
		// A broker accepted the token: when it expires, it may be renewed again
		this.freshToken = false;
		this.quickRetriesLeft = 0;
		this.served = false;
		this.upLongEnough = false;
		this.healthy = false;
		this.stableTask = schedule(HEALTHY_AFTER.compareTo(this.connectTimeout) < 0 ? HEALTHY_AFTER
				: this.connectTimeout, () -> onUpLongEnough(attemptEpoch));
		TransportConnection connection = this.connection;
		if (connection != null) {
			this.subscriptions.applyTo(connection);
			Outbox.Reporter reporter = reporter(attemptEpoch);
			this.outbox.flush(connection, reporter);
			this.outbox.openLane(connection, reporter);
		}
		transition(ConnectionState.CONNECTED, null, null);
		List<CompletableFuture<Void>> waiters = new ArrayList<>(this.connectWaiters);
		this.connectWaiters.clear();
		waiters.forEach((waiter) -> waiter.complete(null));
	}

	private void onUpLongEnough(long connectionEpoch) {
		if (connectionEpoch != this.epoch || this.state != ConnectionState.CONNECTED) {
			return;
		}
		this.upLongEnough = true;
		if (this.served || HEALTHY_AFTER.compareTo(this.connectTimeout) >= 0) {
			onStable(connectionEpoch);
		}
		else {
			this.stableTask = schedule(this.connectTimeout.minus(HEALTHY_AFTER), () -> onStable(connectionEpoch));
		}
	}

	/**
	 * The broker served the connection of this epoch (on the loop).
	 */
	private void onServed(long connectionEpoch) {
		if (connectionEpoch != this.epoch || this.state != ConnectionState.CONNECTED || this.served) {
			return;
		}
		this.served = true;
		if (this.upLongEnough) {
			cancel(this.stableTask);
			onStable(connectionEpoch);
		}
		else {
			// Served, but young: a drop now is retried after the back-off's first step, not where it had grown to
			this.backOffExecution = null;
		}
	}

	private void onStable(long connectionEpoch) {
		if (connectionEpoch == this.epoch && this.state == ConnectionState.CONNECTED && !this.healthy) {
			this.healthy = true;
			this.mayWakeOnOpenPort = true;
			this.attempt = 0;
			this.backOffExecution = null;
			this.retriedImmediately = false;
			this.lastError = null;
			this.snapshot = new ConnectionSnapshot(this.state, this.snapshot.since(), 0, null, null);
		}
	}

	private void onConnectTimeout(long attemptEpoch) {
		onFailure(attemptEpoch, new CometChatException(ErrorCode.CONNECT_TIMEOUT,
				"No CONNECTED frame within " + this.connectTimeout.toMillis() + "ms"));
	}

	private void onFailure(long attemptEpoch, CometChatException error) {
		if (attemptEpoch != this.epoch) {
			if (logger.isDebugEnabled()) {
				logger.debug("Ignoring report of an abandoned connection: " + error);
			}
			return;
		}
		ConnectionState from = this.state;
		if (from != ConnectionState.CONNECTING && from != ConnectionState.CONNECTED) {
			return;
		}
		this.outbox.closeLane();
		this.epoch++;
		cancel(this.timeoutTask);
		cancel(this.stableTask);
		endConnection(false);
		this.outbox.connectionLost();
		this.lastError = error;
		if (error.getCode() == ErrorCode.AUTH_REJECTED && !this.failFast) {
			if (this.freshToken) {
				fail(freshTokenRejected(error));
				return;
			}
			TokenRenewal renewal = this.tokenRenewal;
			if (renewal != null && renewal.mayRenew()) {
				awaitToken(renewal, error);
				return;
			}
		}
		if (error.getCode() == ErrorCode.AUTH_REJECTED || this.failFast) {
			fail(error);
		}
		else if (from == ConnectionState.CONNECTED && !this.retriedImmediately) {
			this.retriedImmediately = true;
			this.attempt++;
			transition(ConnectionState.RECONNECTING, error, Duration.ZERO);
			startAttempt();
		}
		else {
			scheduleRetry(error);
		}
	}

	/**
	 * Wait in {@code RECONNECTING} for a fresh token instead of failing; the renewal's answer (or the end of its
	 * bound) comes back with this wait's epoch, and anything that happened meanwhile (a disconnect, a new connect) has
	 * moved the epoch on, so that a late answer does nothing.
	 */
	private void awaitToken(TokenRenewal renewal, CometChatException rejection) {
		Credentials rejected = this.credentials;
		Assert.state(rejected != null, "No credentials");
		this.awaitingToken = true;
		this.attempt++;
		long waitEpoch = this.epoch;
		transition(ConnectionState.RECONNECTING, rejection, null);
		renewal.renew(rejected, rejection, waitEpoch);
	}

	/**
	 * Return whether the connection still waits for the fresh token asked for with this epoch (on the loop).
	 * @param waitEpoch the epoch given to {@link TokenRenewal#renew}
	 * @return whether an answer now is still wanted
	 */
	boolean awaitsToken(long waitEpoch) {
		return this.awaitingToken && waitEpoch == this.epoch && this.state == ConnectionState.RECONNECTING;
	}

	/**
	 * Connect with a fresh token at once, if the connection still waits for it; a rejection of it fails.
	 * @param waitEpoch the epoch given to {@link TokenRenewal#renew}
	 * @param fresh the credentials with the fresh token
	 */
	void renewToken(long waitEpoch, Credentials fresh) {
		if (!awaitsToken(waitEpoch)) {
			return;
		}
		this.credentials = withClientIdOf(this.credentials, fresh);
		this.freshToken = true;
		startAttempt();
	}

	/**
	 * Use a fresh token from the next attempt on, without touching the connection (on the loop): STOMP does not
	 * authenticate a live connection again. Nothing changes if the credentials are another user's, or if the
	 * connection waits for a fresh token after a rejection (that answer decides).
	 * @param fresh the credentials with the fresh token
	 * @return whether they are used
	 */
	boolean useToken(Credentials fresh) {
		Credentials current = this.credentials;
		if (current == null || !current.uid().equals(fresh.uid()) || this.awaitingToken) {
			return false;
		}
		this.credentials = withClientIdOf(current, fresh);
		return true;
	}

	/**
	 * A fresh token keeps the connection's client-id (durable subscriptions).
	 */
	private static Credentials withClientIdOf(@Nullable Credentials current, Credentials fresh) {
		String clientId = (current != null) ? current.clientId() : null;
		return (clientId != null && fresh.clientId() == null) ? fresh.withClientId(clientId) : fresh;
	}

	/**
	 * Return whether the connection waits for a fresh token after a rejection (on the loop).
	 * @return whether it waits
	 */
	boolean awaitsToken() {
		return this.awaitingToken && this.state == ConnectionState.RECONNECTING;
	}

	/**
	 * Give up waiting for a fresh token: {@code FAILED} with the reason, if the connection still waits for it.
	 * @param waitEpoch the epoch given to {@link TokenRenewal#renew}
	 * @param error why there is none ({@link ErrorCode#TOKEN_REFRESH_FAILED})
	 */
	void tokenRenewalFailed(long waitEpoch, CometChatException error) {
		if (awaitsToken(waitEpoch)) {
			fail(error);
		}
	}

	private CometChatException freshTokenRejected(CometChatException rejection) {
		return new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED, "The broker rejected the fresh token the token "
				+ "provider had just given for uid '" + uid() + "' too; it is not asked again until connect() or login() ("
				+ rejection.getMessage() + ")", rejection);
	}

	private void scheduleRetry(CometChatException error) {
		BackOffExecution execution = this.backOffExecution;
		if (execution == null) {
			execution = this.backOff.start();
			this.backOffExecution = execution;
		}
		long nextBackOff = execution.nextBackOff();
		if (nextBackOff == BackOffExecution.STOP) {
			fail(new CometChatException(ErrorCode.RETRIES_EXHAUSTED,
					"Gave up reconnecting after " + this.attempt + " attempts; last error: " + error.getMessage(), error));
			return;
		}
		// A broker that was just seen coming back may accept TCP a moment before it accepts STOMP: the attempts after
		// a wake-up that failed are retried quickly, a few times (the back-off still advances)
		long delay = nextBackOff;
		if (this.quickRetriesLeft > 0) {
			this.quickRetriesLeft--;
			delay = Math.min(nextBackOff, RETRY_AFTER_WAKE_UP.toMillis());
		}
		this.attempt++;
		long retryEpoch = this.epoch;
		transition(ConnectionState.RECONNECTING, error, Duration.ofMillis(delay));
		this.retryTask = schedule(Duration.ofMillis(delay), () -> onRetryDue(retryEpoch));
		if (delay > 0) {
			// A broker whose port opens just as an attempt fails is never seen down by the watch: a port found open
			// right after a failed attempt counts as the broker back once per outage, and after every attempt whose
			// connection the broker's host refused (its port was closed then, so open is a change, never a broker up
			// on TCP but failing STOMP)
			boolean openPortIsBack = this.mayWakeOnOpenPort || portClosed(error);
			this.stopWatchingForBroker = this.transport.watchForBroker(
					() -> this.loop.execute(() -> onBrokerBack(retryEpoch, openPortIsBack)), openPortIsBack);
		}
	}

	/**
	 * Whether an attempt failed because nothing listened on the broker's port: its TCP connection was refused (or the
	 * host was unreachable).
	 */
	static boolean portClosed(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.net.ConnectException || cause instanceof java.net.NoRouteToHostException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private void onRetryDue(long retryEpoch) {
		if (retryEpoch == this.epoch && this.state == ConnectionState.RECONNECTING) {
			startAttempt();
		}
	}

	/**
	 * The broker is reachable again while this connection waits for its back-off: try now. The back-off goes on from
	 * where it was if this attempt fails too.
	 */
	private void onBrokerBack(long retryEpoch, boolean onOpenPort) {
		if (retryEpoch == this.epoch && this.state == ConnectionState.RECONNECTING) {
			if (onOpenPort) {
				this.mayWakeOnOpenPort = false;
			}
			cancel(this.retryTask);
			this.retryTask = null;
			startAttempt();
			this.quickRetriesLeft = QUICK_RETRIES_AFTER_WAKE_UP;
		}
	}

	private void fail(CometChatException error) {
		this.awaitingToken = false;
		this.lastError = error;
		cancelTimers();
		// The state first: whoever a failed future wakes sees it
		transition(ConnectionState.FAILED, error, null);
		failWaiters(error);
		this.outbox.failAll(error);
	}

	private void failWaiters(CometChatException error) {
		List<CompletableFuture<Void>> waiters = new ArrayList<>(this.connectWaiters);
		this.connectWaiters.clear();
		waiters.forEach((waiter) -> waiter.completeExceptionally(error));
	}

	/**
	 * End the current connection: gracefully (then aborted if it takes too long) or at once.
	 * @return a future completing (on the loop) when its socket is gone, or at the latest after the connect timeout
	 */
	private CompletableFuture<Void> endConnection(boolean graceful) {
		TransportConnection connection = this.connection;
		this.connection = null;
		if (connection == null) {
			return this.closing;
		}
		CompletableFuture<Void> gone = new CompletableFuture<>();
		CompletableFuture<Void> closed = graceful ? close(connection) : abort(connection);
		// Completes on the loop, like every future of this class
		closed.whenComplete((done, failure) -> this.loop.execute(() -> gone.complete(null)));
		if (graceful) {
			ScheduledFuture<?> abortLate = schedule(GRACEFUL_CLOSE_TIMEOUT.compareTo(this.connectTimeout) < 0
					? GRACEFUL_CLOSE_TIMEOUT : this.connectTimeout, () -> abort(connection));
			gone.whenComplete((done, failure) -> abortLate.cancel(false));
		}
		// A transport that never reports its socket gone must not stop the next connection forever
		ScheduledFuture<?> giveUp = schedule(this.connectTimeout, () -> gone.complete(null));
		gone.whenComplete((done, failure) -> giveUp.cancel(false));
		this.closing = gone;
		return gone;
	}

	private static CompletableFuture<Void> close(TransportConnection connection) {
		try {
			return connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Failed to close connection", ex);
			return abort(connection);
		}
	}

	private static CompletableFuture<Void> abort(TransportConnection connection) {
		try {
			return connection.abort();
		}
		catch (RuntimeException ex) {
			logger.debug("Failed to abort connection", ex);
			return CompletableFuture.completedFuture(null);
		}
	}

	/**
	 * Run a task on the loop after a delay on the client's clock.
	 */
	private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
		return this.scheduler.schedule(() -> this.loop.execute(task), this.clock.instant().plus(delay));
	}

	private void cancelTimers() {
		stopWatchingForBroker();
		cancel(this.retryTask);
		cancel(this.timeoutTask);
		cancel(this.stableTask);
		this.retryTask = null;
		this.timeoutTask = null;
		this.stableTask = null;
	}

	private void stopWatchingForBroker() {
		this.stopWatchingForBroker.run();
		this.stopWatchingForBroker = () -> {
		};
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

	/**
	 * Return whose connection this is: the uid of the credentials of the latest connection asked for (on the loop).
	 * @return the uid, or {@code null} before the first connect
	 */
	@Nullable String uid() {
		Credentials credentials = this.credentials;
		return (credentials != null) ? credentials.uid() : null;
	}

	private void transition(ConnectionState next, @Nullable CometChatException reason, @Nullable Duration retryIn) {
		ConnectionState previous = this.state;
		if (previous == next) {
			return;
		}
		ConnectionStateChange change = new ConnectionStateChange(previous, next, reason, this.attempt, retryIn,
				this.clock.instant());
		this.state = next;
		this.snapshot = new ConnectionSnapshot(next, change.timestamp(), this.attempt, retryIn, this.lastError);
		if (logger.isDebugEnabled()) {
			logger.debug("Connection " + change);
		}
		this.stateChanges.accept(change);
	}

	/**
	 * Asks for a fresh token when the broker rejects the credentials of a connection that is not a login's first
	 * attempt. Both calls are made on the loop.
	 */
	interface TokenRenewal {

		/**
		 * Return whether a fresh token may replace the rejected one now (a login that is not settled yet keeps its
		 * own token).
		 * @return whether to ask
		 */
		boolean mayRenew();

		/**
		 * Ask for a fresh token, the connection being {@code RECONNECTING}; answer on the loop with
		 * {@link ConnectionManager#renewToken} or {@link ConnectionManager#tokenRenewalFailed}, with the epoch.
		 * @param rejected the credentials the broker rejected
		 * @param rejection the rejection
		 * @param waitEpoch the epoch of this wait
		 */
		void renew(Credentials rejected, CometChatException rejection, long waitEpoch);

	}

	/**
	 * Receives inbound messages.
	 */
	@FunctionalInterface
	interface InboundListener {

		/**
		 * A message arrived; called on a transport thread.
		 * @param sessionEpoch the session epoch of the connection it arrived on
		 * @param subscriptionId the subscription it arrived on
		 * @param headers its headers
		 * @param payload its body
		 * @return whether it was taken (and may be acknowledged)
		 */
		boolean onMessage(long sessionEpoch, String subscriptionId, Map<String, String> headers, byte[] payload);

	}

	/**
	 * Posts the reports of one attempt to the loop, stamped with the attempt's epoch.
	 */
	private final class AttemptListener implements TransportListener {

		private final long attemptEpoch;

		private final long sessionEpoch;

		/** Whether a message arrived on this attempt's connection; read and written on one transport thread. */
		private volatile boolean served;

		AttemptListener(long attemptEpoch, long sessionEpoch) {
			this.attemptEpoch = attemptEpoch;
			this.sessionEpoch = sessionEpoch;
		}

		@Override
		public void onConnected() {
			ConnectionManager.this.loop.execute(() -> ConnectionManager.this.onConnected(this.attemptEpoch));
		}

		@Override
		public void onFailure(CometChatException error) {
			ConnectionManager.this.loop.execute(() -> ConnectionManager.this.onFailure(this.attemptEpoch, error));
		}

		@Override
		public boolean onMessage(String subscriptionId, Map<String, String> headers, byte[] payload) {
			boolean taken = ConnectionManager.this.inbound.onMessage(this.sessionEpoch, subscriptionId, headers,
					payload);
			if (!this.served) {
				// Once per connection: the broker delivers on it
				this.served = true;
				ConnectionManager.this.loop.execute(() -> ConnectionManager.this.onServed(this.attemptEpoch));
			}
			return taken;
		}

	}

}
