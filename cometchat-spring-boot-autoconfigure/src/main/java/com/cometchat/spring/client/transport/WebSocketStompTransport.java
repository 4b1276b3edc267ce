package com.cometchat.spring.client.transport;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * {@link Transport} over Spring's {@link WebSocketStompClient}. One instance (and one STOMP client) serves any number
 * of connections.
 *
 * <p>It adds what the raw client lacks:
 * <ul>
 * <li>each connection has one lifecycle (opening, open, closing, closed): a close or abort asked for while the
 * WebSocket handshake is still going on closes the socket as soon as it opens, before {@code CONNECT} is sent, and the
 * connection counts as closed only once its socket is gone;</li>
 * <li>every frame of a connection, Spring's heart-beats included, is written by one writer on the I/O executor, in
 * order, never on the caller's or the scheduler's thread (Spring's session blocks until a frame is written); the
 * frames that queued up while it wrote are written together, several STOMP frames in one WebSocket message up to
 * {@link Settings#frameCoalescingLimit()}; a write that fails reports the connection lost;</li>
 * <li>a connection taken for dead is aborted (its TCP connection dropped), never waited on;</li>
 * <li>an {@code ERROR} frame before {@code CONNECTED} is a rejection of the credentials, reported at once (brokers
 * such as RabbitMQ keep the socket open after it), unless it says that the {@code client-id} is in use: that one is
 * a failure to connect, retried;</li>
 * <li>a message is acknowledged only when the listener took it; with a {@link Settings#acknowledgeDelay()} (none by
 * default) the {@code ACK}s are held back for up to that long and written together, with the next frames the
 * connection writes or on their own, so that a stream of messages costs a few writes instead of one per message.</li>
 * </ul>
 *
 * @author CometChat
 */
public final class WebSocketStompTransport implements Transport {

	private static final Log logger = LogFactory.getLog(WebSocketStompTransport.class);

	private static final ThreadLocal<StompConnection> OPENING = new ThreadLocal<>();

	/**
	 * The header every {@code SEND} carries the login (the uid) in: RabbitMQ refuses a {@code SEND} whose
	 * {@code user-id} is not the connection's login and passes it on to subscribers, so that receivers can tell who
	 * sent a message.
	 */
	public static final String USER_ID_HEADER = "user-id";

	/** The {@code CONNECT} header that ActiveMQ Artemis names durable subscriptions after. */
	private static final String CLIENT_ID_HEADER = "client-id";

	/**
	 * How long a connection's writer must have been idle before a caller writes its frame itself
	 * ({@link TransportConnection#writeOnCallingThread}): a lone send or {@code ACK} then skips the wake-up of a pool
	 * thread (tens of microseconds on a busy machine), while the frames of a burst, which follow each other closer
	 * than this, are left to the writer's turns on the pool, which write them together (a caller writing each frame
	 * of a burst itself halved the throughput without receipts, docs/benchmarks.md).
	 */
	static final long CALLER_WRITES_AFTER_IDLE_NANOS = 50_000;

	/**
	 * How many bytes of received messages the held-back {@code ACK}s of a connection may stand for before the thread
	 * that read the next one writes them at once: well under what a broker lets a subscriber leave unacknowledged
	 * before it stops delivering (ActiveMQ Artemis's {@code stompConsumerCredits}, 10 KiB by default), so that
	 * holding them back never stalls a stream.
	 */
	static final int HELD_ACK_BYTES_LIMIT = 4 * 1024;

	/**
	 * What a message counts for besides its body, towards {@link #HELD_ACK_BYTES_LIMIT}: its headers and the broker's
	 * own bookkeeping, generously, so that at most 8 {@code ACK}s are held however small the bodies.
	 */
	private static final int HELD_ACK_OVERHEAD_BYTES = 512;

	/** A task that writes nothing: it only gives a writer a turn, whose end writes what was held back. */
	private static final Runnable NO_FRAME = () -> {
	};

	/**
	 * How a broker that allows one connection per client-id (ActiveMQ Classic: "Broker: b - Client: c already
	 * connected from …") refuses a second one.
	 */
	private static final Pattern CLIENT_ID_IN_USE = Pattern
		.compile("(?i)invalid ?client ?id|client.*(already connected|in use)");

	/** Made on the first connection (on the loop), not at start-up: the WebSocket library is slow to load. */
	private final Supplier<WebSocketClient> webSocketClient;

	private final TaskScheduler scheduler;

	private final Settings settings;

	private volatile @Nullable TrackingStompClient stompClient;

	private boolean stopped;

	private final URI url;

	private final @Nullable String virtualHost;

	private final StompHeaders extraConnectHeaders;

	private final Executor ioExecutor;

	/** Time for the writers, which let a caller write only after they were idle a while. */
	private final LongSupplier nanoTime;

	private final @Nullable ReachabilityProbe probe;

	/**
	 * Create a transport.
	 * @param webSocketClient the WebSocket client
	 * @param scheduler the scheduler for heart-beats and receipt timeouts
	 * @param settings the STOMP settings
	 * @param ioExecutor writes the frames and closes the connections, which can block
	 */
	public WebSocketStompTransport(WebSocketClient webSocketClient, TaskScheduler scheduler, Settings settings,
			Executor ioExecutor) {
		this(() -> webSocketClient, scheduler, settings, ioExecutor);
	}

	/**
	 * Create a transport whose WebSocket client is made when it is first needed: on the first connection attempt or
	 * {@link #getStompClient()}.
	 * @param webSocketClient makes the WebSocket client
	 * @param scheduler the scheduler for heart-beats and receipt timeouts
	 * @param settings the STOMP settings
	 * @param ioExecutor writes the frames and closes the connections, which can block
	 */
	public WebSocketStompTransport(Supplier<WebSocketClient> webSocketClient, TaskScheduler scheduler,
			Settings settings, Executor ioExecutor) {
		this(webSocketClient, scheduler, settings, ioExecutor, System::nanoTime);
	}

	/**
	 * Create a transport that reads the time for its writers from the given source (tests).
	 */
	WebSocketStompTransport(Supplier<WebSocketClient> webSocketClient, TaskScheduler scheduler, Settings settings,
			Executor ioExecutor, LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		this.webSocketClient = webSocketClient;
		this.scheduler = scheduler;
		this.settings = settings;
		this.url = settings.url();
		this.virtualHost = settings.virtualHost();
		this.extraConnectHeaders = new StompHeaders();
		settings.connectHeaders().forEach(this.extraConnectHeaders::set);
		this.ioExecutor = ioExecutor;
		// Wake-ups spread over up to 0.3 ms per waiting connection, at most 3 s (10 000 connections)
		this.probe = (settings.probeInterval().toMillis() > 0) ? new ReachabilityProbe(this.url, scheduler, ioExecutor,
				settings.probeInterval(), Duration.ofNanos(300_000), Duration.ofSeconds(3)) : null;
	}

	/**
	 * Calls back when a {@link ReachabilityProbe} sees the broker come back, unless the probe is off.
	 */
	@Override
	public Runnable watchForBroker(Runnable onBack) {
		return watchForBroker(onBack, false);
	}

	@Override
	public Runnable watchForBroker(Runnable onBack, boolean openPortIsBack) {
		ReachabilityProbe probe = this.probe;
		return (probe != null) ? probe.watch(onBack, openPortIsBack) : () -> {
		};
	}

	/**
	 * Return the STOMP client, for customization before the first connection.
	 * @return the STOMP client
	 */
	public WebSocketStompClient getStompClient() {
		return stompClient();
	}

	private TrackingStompClient stompClient() {
		TrackingStompClient client = this.stompClient;
		if (client != null) {
			return client;
		}
		synchronized (this) {
			if (this.stompClient == null) {
				Assert.state(!this.stopped, "The transport is stopped");
				TrackingStompClient created = new TrackingStompClient(
						new LifecycleTrackingClient(this.webSocketClient.get()));
				created.setTaskScheduler(this.scheduler);
				created.setDefaultHeartbeat(new long[] { this.settings.heartbeatOutgoing().toMillis(),
						this.settings.heartbeatIncoming().toMillis() });
				created.setInboundMessageSizeLimit(this.settings.inboundMessageSizeLimit());
				created.setReceiptTimeLimit(this.settings.receiptTimeout().toMillis());
				created.start();
				this.stompClient = created;
			}
			return this.stompClient;
		}
	}

	/**
	 * Stop the STOMP client, if one was made; no connection can be opened afterwards.
	 */
	public synchronized void stop() {
		this.stopped = true;
		TrackingStompClient client = this.stompClient;
		if (client != null) {
			client.stop();
		}
	}

	@Override
	public TransportConnection open(Credentials credentials, TransportListener listener) {
		StompHeaders connectHeaders = new StompHeaders();
		connectHeaders.putAll(this.extraConnectHeaders);
		connectHeaders.setLogin(credentials.uid());
		connectHeaders.setPasscode(credentials.authToken());
		if (credentials.clientId() != null) {
			connectHeaders.set(CLIENT_ID_HEADER, credentials.clientId());
		}
		if (StringUtils.hasText(this.virtualHost)) {
			connectHeaders.setHost(this.virtualHost);
		}
		StompConnection connection = new StompConnection(listener, credentials.uid());
		// connectAsync calls the WebSocket client on this thread: that is how the socket finds its connection
		OPENING.set(connection);
		try {
			stompClient().connectAsync(this.url, null, connectHeaders, connection);
		}
		finally {
			OPENING.remove();
		}
		return connection;
	}

	/**
	 * One STOMP connection: its session handler, its lifecycle and its writer.
	 */
	private final class StompConnection extends StompSessionHandlerAdapter implements TransportConnection {

		private final TransportListener listener;

		/** Completes when no socket of this connection exists any more, and none will. */
		private final CompletableFuture<Void> closed = new CompletableFuture<>();

		/**
		 * Writes the frames of this connection in order, heart-beats included; the frames of one turn go out together
		 * at its end.
		 */
		private final SerialExecutor writer = new SerialExecutor(WebSocketStompTransport.this.ioExecutor,
				this::endTurn, WebSocketStompTransport.this.nanoTime);

		/**
		 * The {@code ACK}s of taken messages not written yet, oldest first: added by the thread that reads, written
		 * by the writer at the end of its next turn.
		 */
		private final Queue<HeldAck> heldAcks = new ConcurrentLinkedQueue<>();

		/** How many bytes of received messages {@link #heldAcks} stand for (see {@link #HELD_ACK_BYTES_LIMIT}). */
		private final AtomicInteger heldAckBytes = new AtomicInteger();

		/** Whether a timer will give the writer a turn for the held {@code ACK}s. */
		private final AtomicBoolean heldAcksTimed = new AtomicBoolean();

		/** Holds the frames of the writer's turn, once the socket is open, unless coalescing is off. */
		private volatile @Nullable CoalescingWebSocketSession frames;

		private final Map<String, StompSession.Subscription> subscriptions = new ConcurrentHashMap<>();

		private final Object lifecycle = new Object();

		/** Guarded by {@link #lifecycle}. */
		private Phase phase = Phase.OPENING;

		/** The WebSocket once it opened; guarded by {@link #lifecycle}. */
		private @Nullable WebSocketSession socket;

		private volatile @Nullable StompSession session;

		private volatile boolean connected;

		/** How the peer closed the WebSocket, which Spring's STOMP session does not pass on. */
		private volatile @Nullable CloseStatus closeStatus;

		/** Sent as {@code user-id} on every SEND: RabbitMQ checks it against the login and passes it on. */
		private final String userId;

		StompConnection(TransportListener listener, String userId) {
			this.listener = listener;
			this.userId = userId;
		}

		void sessionCreated(StompSession session) {
			this.session = session;
		}

		// Lifecycle

		/**
		 * The WebSocket opened.
		 * @return whether STOMP may go on; otherwise the connection is closing and the socket was dropped
		 */
		boolean socketOpened(WebSocketSession webSocket) {
			synchronized (this.lifecycle) {
				this.socket = webSocket;
				if (this.phase == Phase.OPENING) {
					this.phase = Phase.OPEN;
					return true;
				}
			}
			// Closed or aborted while the handshake was going on: no CONNECT on it
			drop(webSocket);
			return false;
		}

		void socketClosed() {
			synchronized (this.lifecycle) {
				this.phase = Phase.CLOSED;
				this.socket = null;
			}
			this.writer.shutDown();
			dropHeldAcks();
			this.closed.complete(null);
		}

		void handshakeFailed() {
			synchronized (this.lifecycle) {
				if (this.socket != null) {
					return;
				}
				this.phase = Phase.CLOSED;
			}
			this.writer.shutDown();
			this.closed.complete(null);
		}

		@Override
		public CompletableFuture<Void> close() {
			synchronized (this.lifecycle) {
				if (this.phase != Phase.OPEN) {
					if (this.phase == Phase.OPENING) {
						// The socket is dropped as soon as it opens
						this.phase = Phase.CLOSING;
					}
					return this.closed;
				}
				this.phase = Phase.CLOSING;
			}
			// After the frames handed to the writer before
			this.writer.execute(this::disconnectGracefully);
			return this.closed;
		}

		@Override
		public CompletableFuture<Void> abort() {
			WebSocketSession webSocket;
			synchronized (this.lifecycle) {
				if (this.phase == Phase.CLOSED) {
					return this.closed;
				}
				this.phase = Phase.CLOSING;
				webSocket = this.socket;
			}
			this.writer.shutDown();
			dropHeldAcks();
			if (webSocket != null) {
				drop(webSocket);
			}
			return this.closed;
		}

		private boolean isOpen() {
			synchronized (this.lifecycle) {
				return this.phase == Phase.OPEN;
			}
		}

		private void drop(WebSocketSession webSocket) {
			WebSocketStompTransport.this.ioExecutor.execute(() -> WebSocketClients.abort(webSocket));
		}

		/**
		 * On the writer: {@code DISCONNECT}, then the WebSocket close handshake.
		 */
		private void disconnectGracefully() {
			StompSession session = this.session;
			WebSocketSession webSocket;
			synchronized (this.lifecycle) {
				webSocket = this.socket;
			}
			// The frames of this turn and the held ACKs first (a close through Spring's session would write the
			// frames too, but not what it was never given)
			endTurn();
			try {
				if (session != null && session.isConnected()) {
					// Sends DISCONNECT and closes the WebSocket
					session.disconnect();
				}
				else if (webSocket != null) {
					webSocket.close(CloseStatus.NORMAL);
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.trace("Graceful close failed; dropping the socket", ex);
				if (webSocket != null) {
					drop(webSocket);
				}
			}
		}

		// STOMP session handler

		@Override
		public void afterConnected(StompSession session, StompHeaders connectedHeaders) {
			this.connected = true;
			if (isOpen()) {
				this.listener.onConnected();
			}
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(StompHeaders headers, @Nullable Object payload) {
			// Only ERROR frames reach the session handler
			String message = describeError(headers, payload);
			if (this.connected) {
				this.listener.onFailure(new CometChatException(ErrorCode.SERVER_ERROR, "Broker sent ERROR: " + message));
			}
			else if (CLIENT_ID_IN_USE.matcher(message).find()) {
				// Not the credentials: a connection the broker has not yet found dead holds the client-id; retried
				// with the back-off until the broker drops it
				this.listener.onFailure(new CometChatException(ErrorCode.CONNECT_FAILED,
						"Broker refused CONNECT, the client-id is still in use: " + message));
			}
			else {
				this.listener.onFailure(
						new CometChatException(ErrorCode.AUTH_REJECTED, "Broker rejected CONNECT: " + message));
			}
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			String reason = describe(exception);
			CloseStatus closeStatus = this.closeStatus;
			if (closeStatus != null) {
				reason += " (WebSocket close " + closeStatus.getCode()
						+ (StringUtils.hasText(closeStatus.getReason()) ? ": " + closeStatus.getReason() : "") + ")";
			}
			if (this.connected) {
				this.listener.onFailure(
						new CometChatException(ErrorCode.CONNECTION_LOST, "Connection lost: " + reason, exception));
			}
			else {
				this.listener.onFailure(new CometChatException(ErrorCode.CONNECT_FAILED,
						"Could not connect to " + WebSocketStompTransport.this.url + ": " + reason, exception));
			}
		}

		@Override
		public void handleException(StompSession session, @Nullable StompCommand command, StompHeaders headers,
				byte[] payload, Throwable exception) {
			logger.warn("Failed to handle " + command + " frame", exception);
		}

		// Frames, all written through the writer (by its turns on the I/O pool, or by a thread that claimed one)

		@Override
		public void subscribe(String subscriptionId, String destination, Map<String, String> headers) {
			StompHeaders stompHeaders = new StompHeaders();
			// Acknowledged one by one once taken: a message the broker wrote to a socket that died is delivered again
			// (and de-duplicated by its id) instead of lost, as it would be with ack:auto
			stompHeaders.setAck("client-individual");
			headers.forEach(stompHeaders::set);
			stompHeaders.setDestination(destination);
			stompHeaders.setId(subscriptionId);
			write((session) -> this.subscriptions.put(subscriptionId,
					session.subscribe(stompHeaders, new Inbound(subscriptionId))), null);
		}

		@Override
		public void unsubscribe(String subscriptionId, Map<String, String> headers) {
			StompHeaders stompHeaders = new StompHeaders();
			headers.forEach(stompHeaders::set);
			write((session) -> {
				StompSession.Subscription subscription = this.subscriptions.remove(subscriptionId);
				if (subscription != null) {
					subscription.unsubscribe(stompHeaders);
				}
			}, null);
		}

		@Override
		public CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
				@Nullable String receiptId) {
			CompletableFuture<Void> result = new CompletableFuture<>();
			StompHeaders stompHeaders = new StompHeaders();
			headers.forEach(stompHeaders::set);
			stompHeaders.set(USER_ID_HEADER, this.userId);
			stompHeaders.setDestination(destination);
			if (receiptId != null) {
				stompHeaders.setReceipt(receiptId);
			}
			write((session) -> {
				StompSession.Receiptable receiptable = session.send(stompHeaders, payload);
				if (receiptId == null) {
					whenWritten(result);
				}
				else {
					receiptable.addReceiptTask(() -> result.complete(null));
					receiptable.addReceiptLostTask(() -> result.completeExceptionally(
							new CometChatException(ErrorCode.RECEIPT_TIMEOUT, "No RECEIPT for message '" + receiptId
									+ "' in time; it may or may not have been delivered")));
				}
			}, result);
			return result;
		}

		@Override
		public <T> T writeOnCallingThread(Supplier<T> work) {
			if (!this.writer.claimTurn(CALLER_WRITES_AFTER_IDLE_NANOS)) {
				return work.get();
			}
			try {
				return work.get();
			}
			finally {
				this.writer.runClaimedTurn();
			}
		}

		/**
		 * On the writer: complete the future once the frames handed over so far are on the socket.
		 */
		private void whenWritten(CompletableFuture<Void> result) {
			CoalescingWebSocketSession frames = this.frames;
			if (frames != null) {
				frames.whenWritten(result);
			}
			else {
				result.complete(null);
			}
		}

		/**
		 * On the writer, at the end of each turn: write the frames it held back.
		 */
		private void flushFrames() {
			CoalescingWebSocketSession frames = this.frames;
			if (frames == null) {
				return;
			}
			try {
				frames.flush();
			}
			catch (IOException | RuntimeException ex) {
				writeFailed(ex, null);
			}
		}

		/**
		 * On the writer, at the end of each turn: write the held {@code ACK}s, then the frames it held back.
		 */
		private void endTurn() {
			writeHeldAcks();
			flushFrames();
		}

		/**
		 * On the thread that read the message. With no delay, it writes the {@code ACK} itself unless another thread
		 * is writing (which then writes it, as with the frames of a send), as an application acknowledging in
		 * Spring's frame handler does. Otherwise the {@code ACK} is held back: the writer's next turn writes it with
		 * whatever else it writes (a send, a heart-beat), a timer gives the writer a turn for it after the delay, and
		 * the reading thread writes the held ones at once when they stand for {@link #HELD_ACK_BYTES_LIMIT} of
		 * messages. Not written when the connection is going: the broker delivers the message again on the next one.
		 */
		private void acknowledge(String ack, int bodyBytes) {
			Duration delay = WebSocketStompTransport.this.settings.acknowledgeDelay();
			if (delay.isZero()) {
				writeOnCallingThread(() -> {
					write((session) -> session.acknowledge(ack, true), null);
					return null;
				});
				return;
			}
			this.heldAcks.add(new HeldAck(ack, bodyBytes + HELD_ACK_OVERHEAD_BYTES));
			if (this.heldAckBytes.addAndGet(bodyBytes + HELD_ACK_OVERHEAD_BYTES) >= HELD_ACK_BYTES_LIMIT) {
				writeOnCallingThread(() -> {
					this.writer.execute(NO_FRAME);
					return null;
				});
			}
			else if (this.heldAcksTimed.compareAndSet(false, true)) {
				TaskScheduler scheduler = WebSocketStompTransport.this.scheduler;
				scheduler.schedule(this::heldAcksDue, scheduler.getClock().instant().plus(delay));
			}
		}

		/**
		 * On the scheduler, once the delay is over: a turn of the writer for the {@code ACK}s still held, if any.
		 */
		private void heldAcksDue() {
			this.heldAcksTimed.set(false);
			if (!this.heldAcks.isEmpty()) {
				this.writer.execute(NO_FRAME);
			}
		}

		/**
		 * On the writer: write the {@code ACK}s held so far; dropped when the session is not connected (the broker
		 * delivers those messages again on the next connection).
		 */
		private void writeHeldAcks() {
			if (this.heldAcks.isEmpty()) {
				return;
			}
			StompSession session = this.session;
			if (session == null || !session.isConnected()) {
				dropHeldAcks();
				return;
			}
			HeldAck held;
			while ((held = this.heldAcks.poll()) != null) {
				this.heldAckBytes.addAndGet(-held.bytes());
				try {
					session.acknowledge(held.id(), true);
				}
				catch (RuntimeException ex) {
					dropHeldAcks();
					writeFailed(ex, null);
					return;
				}
			}
		}

		private void dropHeldAcks() {
			HeldAck held;
			while ((held = this.heldAcks.poll()) != null) {
				this.heldAckBytes.addAndGet(-held.bytes());
			}
		}

		/**
		 * Write a frame on the writer, after the frames handed over before (a graceful close too waits for them; an
		 * abort drops them). A session that is not connected writes nothing (and fails the send, if any); a write
		 * that fails fails the send and reports the connection lost.
		 */
		private void write(FrameWrite frame, @Nullable CompletableFuture<Void> result) {
			this.writer.execute(() -> {
				StompSession session = this.session;
				if (session == null || !session.isConnected()) {
					if (result != null) {
						result.completeExceptionally(
								new CometChatException(ErrorCode.NOT_CONNECTED, "The connection is closed"));
					}
					return;
				}
				try {
					frame.write(session);
				}
				catch (RuntimeException ex) {
					writeFailed(ex, result);
				}
			});
		}

		private static CometChatException writeFailure(Throwable failure) {
			return new CometChatException(ErrorCode.NOT_CONNECTED,
					"Could not write to the connection: " + describe(failure), failure);
		}

		private void writeFailed(Throwable failure, @Nullable CompletableFuture<Void> result) {
			CometChatException error = writeFailure(failure);
			if (result != null) {
				result.completeExceptionally(error);
			}
			// A socket the library already closes reports its close (with its status, such as 1009 for a frame too
			// large) itself: a write that lost the race to it must not report a vaguer reason first. Tomcat's session
			// still says it is open while its output closes, and refuses the write with an IllegalStateException;
			// should the close never be reported, the heart-beats find the connection dead
			if (isOpen() && !socketAlreadyClosed() && !(rootCause(failure) instanceof IllegalStateException)) {
				this.listener.onFailure(new CometChatException(ErrorCode.CONNECTION_LOST, error.getMessage(), failure));
			}
		}

		private static Throwable rootCause(Throwable failure) {
			Throwable cause = failure;
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			return cause;
		}

		private boolean socketAlreadyClosed() {
			synchronized (this.lifecycle) {
				WebSocketSession socket = this.socket;
				return socket != null && !socket.isOpen();
			}
		}

		/**
		 * The WebSocket as Spring's STOMP session sees it: a frame written from any thread other than the writer's
		 * (Spring's heart-beats come from the scheduler) is handed to the writer instead, so that two threads never
		 * write at once and the scheduler never blocks on a socket. Unless coalescing is off, the text frames of one
		 * writer turn go out as one WebSocket message at its end (a send without a receipt completes then).
		 */
		WebSocketSession throughWriter(WebSocketSession webSocket) {
			int limit = WebSocketStompTransport.this.settings.frameCoalescingLimit();
			WebSocketSession target = webSocket;
			if (limit > 0) {
				CoalescingWebSocketSession frames = new CoalescingWebSocketSession(webSocket, limit,
						StompConnection::writeFailure);
				this.frames = frames;
				target = frames;
			}
			return new WebSocketSessionDecorator(target) {

				@Override
				public void sendMessage(WebSocketMessage<?> message) throws IOException {
					if (StompConnection.this.writer.inExecutor()) {
						super.sendMessage(message);
						return;
					}
					StompConnection.this.writer.execute(() -> {
						if (!isOpen()) {
							return;
						}
						try {
							getDelegate().sendMessage(message);
						}
						catch (IOException | RuntimeException ex) {
							writeFailed(ex, null);
						}
					});
				}

			};
		}

		/**
		 * Passes the messages of one subscription to the listener.
		 */
		private final class Inbound implements StompFrameHandler {

			private final String subscriptionId;

			Inbound(String subscriptionId) {
				this.subscriptionId = subscriptionId;
			}

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				boolean taken = StompConnection.this.listener.onMessage(this.subscriptionId, new FirstValues(headers),
						(payload instanceof byte[] bytes) ? bytes : new byte[0]);
				String ack = headers.getAck();
				if (taken && ack != null) {
					acknowledge(ack, (payload instanceof byte[] bytes) ? bytes.length : 0);
				}
			}

		}

		private String describeError(StompHeaders headers, @Nullable Object payload) {
			String message = headers.getFirst("message");
			String body = (payload instanceof byte[] bytes && bytes.length > 0)
					? new String(bytes, StandardCharsets.UTF_8).trim() : null;
			if (StringUtils.hasText(message) && StringUtils.hasText(body) && !body.equals(message)) {
				return message + " (" + abbreviate(body) + ")";
			}
			return StringUtils.hasText(message) ? message : (body != null) ? abbreviate(body) : "no message";
		}

	}

	/**
	 * An {@code ACK} held back, and the bytes of its message (see {@link #HELD_ACK_BYTES_LIMIT}).
	 */
	private record HeldAck(String id, int bytes) {

	}

	private enum Phase {

		/** The WebSocket handshake is going on. */
		OPENING,

		/** The socket is open; STOMP goes on. */
		OPEN,

		/** A close or abort was asked for; the socket is going or will be dropped as soon as it opens. */
		CLOSING,

		/** No socket exists and none will. */
		CLOSED

	}

	@FunctionalInterface
	private interface FrameWrite {

		void write(StompSession session);

	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	private static String describe(Throwable exception) {
		Throwable failure = exception;
		while ((failure instanceof CompletionException || failure instanceof ExecutionException)
				&& failure.getCause() != null) {
			failure = failure.getCause();
		}
		String text = oneLine(failure);
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		// The root cause says why, e.g. an SSLHandshakeException behind a DeploymentException
		return (root != failure) ? text + "; caused by " + oneLine(root) : text;
	}

	private static String oneLine(Throwable exception) {
		String message = exception.getMessage();
		return exception.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	/**
	 * Tells each connection when its WebSocket opens and closes, and hands Spring's STOMP session a WebSocket that
	 * writes through the connection's writer.
	 */
	/**
	 * The first value of each header of a frame, as a read-only map that copies nothing unless iterated: a message's
	 * headers are rarely read, so none is copied per message.
	 */
	private static final class FirstValues extends AbstractMap<String, String> {

		private final StompHeaders headers;

		private @Nullable Set<Entry<String, String>> entries;

		FirstValues(StompHeaders headers) {
			this.headers = headers;
		}

		@Override
		public @Nullable String get(Object name) {
			return (name instanceof String header) ? this.headers.getFirst(header) : null;
		}

		@Override
		public boolean containsKey(Object name) {
			return get(name) != null;
		}

		@Override
		public Set<Entry<String, String>> entrySet() {
			Set<Entry<String, String>> entries = this.entries;
			if (entries == null) {
				Map<String, String> copy = new LinkedHashMap<>();
				this.headers.forEach((name, values) -> {
					if (!values.isEmpty()) {
						copy.put(name, values.get(0));
					}
				});
				entries = Collections.unmodifiableMap(copy).entrySet();
				this.entries = entries;
			}
			return entries;
		}

	}

	private static final class LifecycleTrackingClient implements WebSocketClient {

		private final WebSocketClient delegate;

		LifecycleTrackingClient(WebSocketClient delegate) {
			this.delegate = delegate;
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
				@Nullable Object... uriVariables) {
			return track(this.delegate.execute(decorate(handler, OPENING.get()), uriTemplate, uriVariables));
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler,
				@Nullable WebSocketHttpHeaders headers, URI uri) {
			return track(this.delegate.execute(decorate(handler, OPENING.get()), headers, uri));
		}

		private static CompletableFuture<WebSocketSession> track(CompletableFuture<WebSocketSession> handshake) {
			StompConnection connection = OPENING.get();
			if (connection != null) {
				handshake.whenComplete((webSocket, failure) -> {
					if (failure != null) {
						connection.handshakeFailed();
					}
				});
			}
			return handshake;
		}

		private static WebSocketHandler decorate(WebSocketHandler handler, @Nullable StompConnection connection) {
			if (connection == null) {
				return handler;
			}
			return new WebSocketHandlerDecorator(handler) {

				@Override
				public void afterConnectionEstablished(WebSocketSession session) throws Exception {
					if (connection.socketOpened(session)) {
						super.afterConnectionEstablished(connection.throughWriter(session));
					}
				}

				@Override
				public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
					// Known before Spring's session reports the loss, so that the reason can name it
					connection.closeStatus = closeStatus;
					try {
						super.afterConnectionClosed(session, closeStatus);
					}
					finally {
						connection.socketClosed();
					}
				}

			};
		}

	}

	/**
	 * Gives each connection its STOMP session as soon as it is created, before {@code CONNECTED}.
	 */
	private static final class TrackingStompClient extends WebSocketStompClient {

		TrackingStompClient(WebSocketClient webSocketClient) {
			super(webSocketClient);
		}

		@Override
		protected ConnectionHandlingStompSession createSession(@Nullable StompHeaders connectHeaders,
				StompSessionHandler handler) {
			ConnectionHandlingStompSession session = super.createSession(connectHeaders, handler);
			if (handler instanceof StompConnection connection) {
				connection.sessionCreated(session);
			}
			return session;
		}

	}

	/**
	 * STOMP settings of a transport.
	 *
	 * @param url the WebSocket URL
	 * @param virtualHost the STOMP {@code host} header, or {@code null} for none
	 * @param heartbeatOutgoing how often to send heart-beats ({@code 0} for none)
	 * @param heartbeatIncoming how often the broker should send heart-beats ({@code 0} for none)
	 * @param inboundMessageSizeLimit the largest STOMP frame accepted, in bytes
	 * @param receiptTimeout how long to wait for a {@code RECEIPT}
	 * @param connectHeaders extra headers for {@code CONNECT}
	 * @param probeInterval how often a {@link ReachabilityProbe} checks whether the broker is back while connections
	 * wait to reconnect, or {@link Duration#ZERO} for no probe
	 * @param frameCoalescingLimit the largest WebSocket message the writer puts several queued STOMP frames in, in
	 * bytes, or {@code 0} to write each frame in a message of its own
	 * @param acknowledgeDelay how long the {@code ACK} of a received message may be held back to be written with
	 * others, or {@link Duration#ZERO} to write each at once
	 */
	public record Settings(URI url, @Nullable String virtualHost, Duration heartbeatOutgoing,
			Duration heartbeatIncoming, int inboundMessageSizeLimit, Duration receiptTimeout,
			Map<String, String> connectHeaders, Duration probeInterval, int frameCoalescingLimit,
			Duration acknowledgeDelay) {

		/**
		 * The default interval between probes.
		 */
		public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(250);

		/**
		 * The default coalescing limit: 8 KiB, what Tomcat's WebSocket server takes in one text message by default
		 * (Jetty's and ActiveMQ Artemis's take 64 KiB, RabbitMQ's any size).
		 */
		public static final int DEFAULT_FRAME_COALESCING_LIMIT = 8 * 1024;

		/**
		 * The default delay of an {@code ACK}: none, each is written at once. Holding them back pays on a stream
		 * (fewer writes, fewer frames for the broker) but costs a timer and a writer turn per message on a quiet
		 * connection, and did not shorten the round trip (docs/benchmarks.md, sixth session).
		 */
		public static final Duration DEFAULT_ACKNOWLEDGE_DELAY = Duration.ZERO;

		public Settings {
			Assert.isTrue(frameCoalescingLimit >= 0, "'frameCoalescingLimit' must not be negative");
			Assert.notNull(acknowledgeDelay, "'acknowledgeDelay' must not be null");
			Assert.isTrue(!acknowledgeDelay.isNegative(), "'acknowledgeDelay' must not be negative");
		}

		/**
		 * Settings with the default {@code ACK} delay.
		 * @param url the WebSocket URL
		 * @param virtualHost the STOMP {@code host} header, or {@code null} for none
		 * @param heartbeatOutgoing how often to send heart-beats ({@code 0} for none)
		 * @param heartbeatIncoming how often the broker should send heart-beats ({@code 0} for none)
		 * @param inboundMessageSizeLimit the largest STOMP frame accepted, in bytes
		 * @param receiptTimeout how long to wait for a {@code RECEIPT}
		 * @param connectHeaders extra headers for {@code CONNECT}
		 * @param probeInterval how often a {@link ReachabilityProbe} checks whether the broker is back while
		 * connections wait to reconnect, or {@link Duration#ZERO} for no probe
		 * @param frameCoalescingLimit the largest WebSocket message the writer puts several queued STOMP frames in,
		 * in bytes, or {@code 0} to write each frame in a message of its own
		 */
		public Settings(URI url, @Nullable String virtualHost, Duration heartbeatOutgoing, Duration heartbeatIncoming,
				int inboundMessageSizeLimit, Duration receiptTimeout, Map<String, String> connectHeaders,
				Duration probeInterval, int frameCoalescingLimit) {
			this(url, virtualHost, heartbeatOutgoing, heartbeatIncoming, inboundMessageSizeLimit, receiptTimeout,
					connectHeaders, probeInterval, frameCoalescingLimit, DEFAULT_ACKNOWLEDGE_DELAY);
		}

		/**
		 * Settings with the default coalescing limit.
		 * @param url the WebSocket URL
		 * @param virtualHost the STOMP {@code host} header, or {@code null} for none
		 * @param heartbeatOutgoing how often to send heart-beats ({@code 0} for none)
		 * @param heartbeatIncoming how often the broker should send heart-beats ({@code 0} for none)
		 * @param inboundMessageSizeLimit the largest STOMP frame accepted, in bytes
		 * @param receiptTimeout how long to wait for a {@code RECEIPT}
		 * @param connectHeaders extra headers for {@code CONNECT}
		 * @param probeInterval how often a {@link ReachabilityProbe} checks whether the broker is back while
		 * connections wait to reconnect, or {@link Duration#ZERO} for no probe
		 */
		public Settings(URI url, @Nullable String virtualHost, Duration heartbeatOutgoing, Duration heartbeatIncoming,
				int inboundMessageSizeLimit, Duration receiptTimeout, Map<String, String> connectHeaders,
				Duration probeInterval) {
			this(url, virtualHost, heartbeatOutgoing, heartbeatIncoming, inboundMessageSizeLimit, receiptTimeout,
					connectHeaders, probeInterval, DEFAULT_FRAME_COALESCING_LIMIT);
		}

		/**
		 * Settings with the default probe and coalescing limit.
		 * @param url the WebSocket URL
		 * @param virtualHost the STOMP {@code host} header, or {@code null} for none
		 * @param heartbeatOutgoing how often to send heart-beats ({@code 0} for none)
		 * @param heartbeatIncoming how often the broker should send heart-beats ({@code 0} for none)
		 * @param inboundMessageSizeLimit the largest STOMP frame accepted, in bytes
		 * @param receiptTimeout how long to wait for a {@code RECEIPT}
		 * @param connectHeaders extra headers for {@code CONNECT}
		 */
		public Settings(URI url, @Nullable String virtualHost, Duration heartbeatOutgoing, Duration heartbeatIncoming,
				int inboundMessageSizeLimit, Duration receiptTimeout, Map<String, String> connectHeaders) {
			this(url, virtualHost, heartbeatOutgoing, heartbeatIncoming, inboundMessageSizeLimit, receiptTimeout,
					connectHeaders, DEFAULT_PROBE_INTERVAL);
		}

	}

}
