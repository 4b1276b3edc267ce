package com.cometchat.spring.client.connection;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.ErrorCode;
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
 * back-off is reset once a connection has stayed up for the connect timeout: a broker that accepts and then drops
 * every connection (a bad frame, an ERROR, a crash loop) is retried with growing delays, never in a storm.
 * {@code connect()} while connecting or connected is a no-op, while reconnecting it retries now, from
 * {@code DISCONNECTED}/{@code FAILED}/{@code INITIALIZED} it starts afresh; {@code disconnect()} cancels everything;
 * a rejection of the credentials goes to {@code FAILED} with no retry.
 *
 * <p>The methods of this class must be called on the loop; the owner ({@link com.cometchat.spring.client.CometChatClient})
 * does so. Only {@link #snapshot()} may be called from any thread.
 *
 * @author CometChat
 */
public final class ConnectionManager {

	private static final Log logger = LogFactory.getLog(ConnectionManager.class);

	private static final Duration RETRY_AFTER_WAKE_UP = Duration.ofMillis(500);

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

	private @Nullable TransportConnection connection;

	private @Nullable BackOffExecution backOffExecution;

	private @Nullable ScheduledFuture<?> retryTask;

	private Runnable stopWatchingForBroker = () -> {
	};

	/** Whether the attempt in progress was started because the broker was seen coming back. */
	private boolean wokenByProbe;

	private @Nullable ScheduledFuture<?> timeoutTask;

	private @Nullable ScheduledFuture<?> stableTask;

	/** Whether the immediate retry after a drop was used since the connection was last stable. */
	private boolean retriedImmediately;

	private @Nullable CometChatException lastError;

	/** The close of the previous connection; a new one opens only after it. */
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
	 */
	public ConnectionManager(Transport transport, SerialExecutor loop, TaskScheduler scheduler, BackOff backOff,
			Duration connectTimeout, Consumer<ConnectionStateChange> stateChanges) {
		this(transport, loop, scheduler, backOff, connectTimeout, stateChanges, (id, headers, payload) -> {
		}, 1000, true, (pending) -> {
		});
	}

	/**
	 * Create a manager that also sends and receives messages.
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
	 * @param pendingSends told the number of pending sends whenever it changes
	 */
	public ConnectionManager(Transport transport, SerialExecutor loop, TaskScheduler scheduler, BackOff backOff,
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
	 * Return the current state; safe from any thread.
	 * @return the snapshot
	 */
	public ConnectionSnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Return the current state (loop only).
	 * @return the state
	 */
	public ConnectionState state() {
		return this.state;
	}

	/**
	 * Send a message: at once when connected, otherwise after the next {@code CONNECTED}.
	 * @param message the message
	 * @return a future completing when the message is confirmed, failing with the reason it cannot be
	 */
	public CompletableFuture<Void> send(OutboundMessage message) {
		if (this.state == ConnectionState.DISCONNECTED || this.state == ConnectionState.FAILED
				|| (message.ephemeral() && this.state != ConnectionState.CONNECTED)) {
			return CompletableFuture.failedFuture(new CometChatException(ErrorCode.NOT_CONNECTED,
					"Cannot send while " + this.state + ((this.state == ConnectionState.DISCONNECTED
							|| this.state == ConnectionState.FAILED) ? ": call connect() first" : "")));
		}
		CompletableFuture<Void> result = this.outbox.offer(message);
		TransportConnection connected = connected();
		if (connected != null) {
			this.outbox.flush(connected, reporter(this.epoch));
		}
		return result;
	}

	/**
	 * Want a subscription, on this connection and every later one.
	 * @param id the stable subscription id
	 * @param destination the destination
	 * @param headers extra {@code SUBSCRIBE} headers
	 */
	public void subscribe(String id, String destination, Map<String, String> headers) {
		this.subscriptions.add(id, destination, headers, connected());
	}

	/**
	 * Stop wanting a subscription.
	 * @param id the subscription id
	 */
	public void unsubscribe(String id) {
		this.subscriptions.remove(id, connected());
	}

	/**
	 * Stop wanting any subscription.
	 */
	public void unsubscribeAll() {
		this.subscriptions.removeAll(connected());
	}

	/**
	 * Return the wanted subscriptions, id to destination.
	 * @return the subscriptions
	 */
	public Map<String, String> subscriptions() {
		return this.subscriptions.destinations();
	}

	/**
	 * Return the number of sends waiting for a connection or for their receipt.
	 * @return the number of pending sends
	 */
	public int pendingSends() {
		return this.outbox.pendingCount();
	}

	/**
	 * Report a failure outside the connection (such as a session that could not be loaded): it becomes the last
	 * error, without a change of state.
	 * @param error the failure
	 */
	public void reportError(CometChatException error) {
		this.lastError = error;
		ConnectionSnapshot current = this.snapshot;
		this.snapshot = new ConnectionSnapshot(current.state(), current.since(), current.attempt(), current.retryIn(),
				error);
	}

	private @Nullable TransportConnection connected() {
		return (this.state == ConnectionState.CONNECTED) ? this.connection : null;
	}

	private Outbox.Reporter reporter(long connectionEpoch) {
		return (id, failure) -> this.loop.execute(() -> {
			if (connectionEpoch == this.epoch) {
				this.outbox.onResult(id, failure);
			}
		});
	}

	/**
	 * Connect with the given credentials.
	 * @param credentials the credentials, replacing earlier ones when a fresh connection starts
	 * @param failFast whether a failed attempt goes to {@code FAILED} instead of retrying (used by login, where the
	 * credentials are not known to be good yet)
	 * @return a future completing on {@code CONNECTED}, failing on {@code FAILED} or {@code DISCONNECTED}
	 */
	public CompletableFuture<Void> connect(Credentials credentials, boolean failFast) {
		CompletableFuture<Void> connected = new CompletableFuture<>();
		switch (this.state) {
			case CONNECTED -> connected.complete(null);
			case CONNECTING -> this.connectWaiters.add(connected);
			case RECONNECTING -> {
				this.connectWaiters.add(connected);
				cancel(this.retryTask);
				startAttempt();
			}
			default -> {
				this.credentials = credentials;
				this.failFast = failFast;
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
	 * Close the connection, cancel timers and stop reconnecting.
	 * @return a future completing when the connection is closed
	 */
	public CompletableFuture<Void> disconnect() {
		this.epoch++;
		cancelTimers();
		this.backOffExecution = null;
		this.attempt = 0;
		CompletableFuture<Void> closed = closeConnection();
		CometChatException reason = new CometChatException(ErrorCode.DISCONNECTED,
				"The connection was closed by disconnect() or logout()");
		failWaiters(reason);
		this.outbox.failAll(reason);
		transition(ConnectionState.DISCONNECTED, null, null);
		return closed;
	}

	private void startAttempt() {
		Assert.state(this.credentials != null, "No credentials");
		stopWatchingForBroker();
		this.wokenByProbe = false;
		long attemptEpoch = ++this.epoch;
		transition(ConnectionState.CONNECTING, null, null);
		this.timeoutTask = this.scheduler.schedule(() -> this.loop.execute(() -> onConnectTimeout(attemptEpoch)),
				this.clock.instant().plus(this.connectTimeout));
		CompletableFuture<Void> closing = this.closing;
		if (closing.isDone()) {
			open(attemptEpoch);
		}
		else {
			// Never two sockets at once: open after the previous one is closed (bounded by the connect timeout)
			closing.whenComplete((closed, failure) -> this.loop.execute(() -> open(attemptEpoch)));
		}
	}

	private void open(long attemptEpoch) {
		Credentials credentials = this.credentials;
		if (attemptEpoch != this.epoch || this.state != ConnectionState.CONNECTING || credentials == null) {
			return;
		}
		try {
			this.connection = this.transport.open(credentials, new AttemptListener(attemptEpoch));
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
		this.stableTask = this.scheduler.schedule(() -> this.loop.execute(() -> onStable(attemptEpoch)),
				this.clock.instant().plus(this.connectTimeout));
		TransportConnection connection = this.connection;
		if (connection != null) {
			this.subscriptions.applyTo(connection);
			this.outbox.flush(connection, reporter(attemptEpoch));
		}
		transition(ConnectionState.CONNECTED, null, null);
		List<CompletableFuture<Void>> waiters = new ArrayList<>(this.connectWaiters);
		this.connectWaiters.clear();
		waiters.forEach((waiter) -> waiter.complete(null));
	}

	private void onStable(long connectionEpoch) {
		if (connectionEpoch == this.epoch && this.state == ConnectionState.CONNECTED) {
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
		this.epoch++;
		cancel(this.timeoutTask);
		cancel(this.stableTask);
		closeConnection();
		this.outbox.connectionLost();
		this.lastError = error;
		if (error.getCode() == ErrorCode.AUTH_REJECTED || this.failFast) {
			fail(error);
		}
		else if (from == ConnectionState.CONNECTED && !this.retriedImmediately) {
			cancel(this.stableTask);
			this.retriedImmediately = true;
			this.attempt++;
			transition(ConnectionState.RECONNECTING, error, Duration.ZERO);
			startAttempt();
		}
		else {
			scheduleRetry(error);
		}
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
		// A broker that was just seen coming back may accept TCP a moment before it accepts STOMP: the attempt after
		// a wake-up that failed gets one quick retry (the back-off still advanced)
		long delay = this.wokenByProbe ? Math.min(nextBackOff, RETRY_AFTER_WAKE_UP.toMillis()) : nextBackOff;
		this.wokenByProbe = false;
		this.attempt++;
		long retryEpoch = this.epoch;
		transition(ConnectionState.RECONNECTING, error, Duration.ofMillis(delay));
		this.retryTask = this.scheduler.schedule(() -> this.loop.execute(() -> onRetryDue(retryEpoch)),
				this.clock.instant().plusMillis(delay));
		if (delay > 0) {
			this.stopWatchingForBroker = this.transport
				.watchForBroker(() -> this.loop.execute(() -> onBrokerBack(retryEpoch)));
		}
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
	private void onBrokerBack(long retryEpoch) {
		if (retryEpoch == this.epoch && this.state == ConnectionState.RECONNECTING) {
			cancel(this.retryTask);
			this.retryTask = null;
			startAttempt();
			this.wokenByProbe = true;
		}
	}

	private void fail(CometChatException error) {
		this.lastError = error;
		cancelTimers();
		failWaiters(error);
		this.outbox.failAll(error);
		transition(ConnectionState.FAILED, error, null);
	}

	private void failWaiters(CometChatException error) {
		List<CompletableFuture<Void>> waiters = new ArrayList<>(this.connectWaiters);
		this.connectWaiters.clear();
		waiters.forEach((waiter) -> waiter.completeExceptionally(error));
	}

	private CompletableFuture<Void> closeConnection() {
		TransportConnection connection = this.connection;
		this.connection = null;
		if (connection == null) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> closed;
		try {
			closed = connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Failed to close connection", ex);
			closed = CompletableFuture.completedFuture(null);
		}
		this.closing = closed.copy()
			.completeOnTimeout(null, this.connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		return closed;
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
	 * Receives inbound messages.
	 */
	@FunctionalInterface
	public interface InboundListener {

		/**
		 * A message arrived; called on a transport thread.
		 * @param subscriptionId the subscription it arrived on
		 * @param headers its headers
		 * @param payload its body
		 */
		void onMessage(String subscriptionId, Map<String, String> headers, byte[] payload);

	}

	/**
	 * Posts the reports of one attempt to the loop, stamped with the attempt's epoch.
	 */
	private final class AttemptListener implements TransportListener {

		private final long attemptEpoch;

		AttemptListener(long attemptEpoch) {
			this.attemptEpoch = attemptEpoch;
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
		public void onMessage(String subscriptionId, Map<String, String> headers, byte[] payload) {
			ConnectionManager.this.inbound.onMessage(subscriptionId, headers, payload);
		}

	}

}
