package com.cometchat.spring.client.connection;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

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
import org.springframework.util.StringUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * {@link Transport} over Spring's {@link WebSocketStompClient}. One instance (and one STOMP client) serves any number
 * of connections.
 *
 * <p>It adds what the raw client lacks: an {@code ERROR} frame before {@code CONNECTED} is a rejection of the
 * credentials, reported at once and the socket closed (brokers such as RabbitMQ keep it open); a connection that is
 * closed while still opening is closed again as soon as it opens; closing never blocks the caller (Spring's
 * {@code DISCONNECT} waits for the send).
 *
 * @author CometChat
 */
public final class WebSocketStompTransport implements Transport {

	private static final Log logger = LogFactory.getLog(WebSocketStompTransport.class);

	private static final ThreadLocal<StompConnection> OPENING = new ThreadLocal<>();

	private final TrackingStompClient stompClient;

	private final URI url;

	private final @Nullable String virtualHost;

	private final StompHeaders extraConnectHeaders;

	private final Executor ioExecutor;

	private final @Nullable ReachabilityProbe probe;

	/**
	 * Create a transport.
	 * @param webSocketClient the WebSocket client
	 * @param scheduler the scheduler for heart-beats
	 * @param settings the STOMP settings
	 * @param ioExecutor runs the writes and the graceful close of connections, which can block
	 */
	public WebSocketStompTransport(WebSocketClient webSocketClient, TaskScheduler scheduler, Settings settings,
			Executor ioExecutor) {
		this.stompClient = new TrackingStompClient(new CloseStatusRecordingClient(webSocketClient));
		this.stompClient.setTaskScheduler(scheduler);
		this.stompClient.setDefaultHeartbeat(
				new long[] { settings.heartbeatOutgoing().toMillis(), settings.heartbeatIncoming().toMillis() });
		this.stompClient.setInboundMessageSizeLimit(settings.inboundMessageSizeLimit());
		this.stompClient.setReceiptTimeLimit(settings.receiptTimeout().toMillis());
		this.stompClient.start();
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
		ReachabilityProbe probe = this.probe;
		return (probe != null) ? probe.watch(onBack) : () -> {
		};
	}

	/**
	 * Return the STOMP client, for customization before the first connection.
	 * @return the STOMP client
	 */
	public WebSocketStompClient getStompClient() {
		return this.stompClient;
	}

	@Override
	public TransportConnection open(Credentials credentials, TransportListener listener) {
		StompHeaders connectHeaders = new StompHeaders();
		connectHeaders.putAll(this.extraConnectHeaders);
		connectHeaders.setLogin(credentials.uid());
		connectHeaders.setPasscode(credentials.authToken());
		if (StringUtils.hasText(this.virtualHost)) {
			connectHeaders.setHost(this.virtualHost);
		}
		StompConnection connection = new StompConnection(listener);
		// connectAsync calls the WebSocket client on this thread: that is how the socket finds its connection
		OPENING.set(connection);
		try {
			this.stompClient.connectAsync(this.url, null, connectHeaders, connection);
		}
		finally {
			OPENING.remove();
		}
		return connection;
	}

	/**
	 * One STOMP connection: its session handler and its close handle.
	 */
	private final class StompConnection extends StompSessionHandlerAdapter implements TransportConnection {

		private final TransportListener listener;

		private final CompletableFuture<Void> closed = new CompletableFuture<>();

		/** Writes frames in call order; Spring's session blocks until a frame is written. */
		private final SerialExecutor writer = new SerialExecutor(WebSocketStompTransport.this.ioExecutor);

		private final Map<String, StompSession.Subscription> subscriptions = new ConcurrentHashMap<>();

		private volatile @Nullable StompSession session;

		private volatile boolean connected;

		private volatile boolean closeRequested;

		/** Whether the WebSocket is open; {@link #closed} completes when it is closed. */
		private volatile boolean socketOpen;

		/** The WebSocket handshake, set before {@link #open} returns. */
		private volatile @Nullable CompletableFuture<WebSocketSession> handshake;

		/** How the peer closed the WebSocket, which Spring's STOMP session does not pass on. */
		private volatile @Nullable CloseStatus closeStatus;

		StompConnection(TransportListener listener) {
			this.listener = listener;
		}

		void sessionCreated(StompSession session) {
			this.session = session;
		}

		@Override
		public void afterConnected(StompSession session, StompHeaders connectedHeaders) {
			this.connected = true;
			if (this.closeRequested) {
				closeSession();
				return;
			}
			this.listener.onConnected();
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
			else {
				this.listener.onFailure(
						new CometChatException(ErrorCode.AUTH_REJECTED, "Broker rejected CONNECT: " + message));
			}
			close();
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

		@Override
		public void subscribe(String subscriptionId, String destination, Map<String, String> headers) {
			StompHeaders stompHeaders = new StompHeaders();
			// Acknowledged one by one once handed to the client: a message the broker wrote to a socket that died
			// is delivered again (and de-duplicated by its id) instead of lost, as it would be with ack:auto
			stompHeaders.setAck("client-individual");
			headers.forEach(stompHeaders::set);
			stompHeaders.setDestination(destination);
			stompHeaders.setId(subscriptionId);
			this.writer.execute(() -> {
				StompSession session = this.session;
				if (session == null || this.closeRequested) {
					return;
				}
				try {
					this.subscriptions.put(subscriptionId, session.subscribe(stompHeaders, new Inbound(subscriptionId)));
				}
				catch (RuntimeException ex) {
					logger.debug("Could not subscribe to " + destination, ex);
				}
			});
		}

		@Override
		public void unsubscribe(String subscriptionId, Map<String, String> headers) {
			this.writer.execute(() -> {
				StompSession.Subscription subscription = this.subscriptions.remove(subscriptionId);
				if (subscription == null || this.closeRequested) {
					return;
				}
				try {
					StompHeaders stompHeaders = new StompHeaders();
					headers.forEach(stompHeaders::set);
					subscription.unsubscribe(stompHeaders);
				}
				catch (RuntimeException ex) {
					logger.debug("Could not unsubscribe " + subscriptionId, ex);
				}
			});
		}

		@Override
		public CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
				@Nullable String receiptId) {
			CompletableFuture<Void> result = new CompletableFuture<>();
			StompHeaders stompHeaders = new StompHeaders();
			headers.forEach(stompHeaders::set);
			stompHeaders.setDestination(destination);
			if (receiptId != null) {
				stompHeaders.setReceipt(receiptId);
			}
			this.writer.execute(() -> {
				StompSession session = this.session;
				if (session == null || this.closeRequested || !session.isConnected()) {
					result.completeExceptionally(
							new CometChatException(ErrorCode.NOT_CONNECTED, "The connection is closed"));
					return;
				}
				try {
					StompSession.Receiptable receiptable = session.send(stompHeaders, payload);
					if (receiptId == null) {
						result.complete(null);
					}
					else {
						receiptable.addReceiptTask(() -> result.complete(null));
						receiptable.addReceiptLostTask(() -> result.completeExceptionally(
								new CometChatException(ErrorCode.RECEIPT_TIMEOUT, "No RECEIPT for message '"
										+ receiptId + "' in time; it may or may not have been delivered")));
					}
				}
				catch (RuntimeException ex) {
					result.completeExceptionally(new CometChatException(ErrorCode.NOT_CONNECTED,
							"Could not write to the connection: " + describe(ex), ex));
				}
			});
			return result;
		}

		@Override
		public CompletableFuture<Void> close() {
			if (!this.closeRequested) {
				this.closeRequested = true;
				// After the frames already handed to the writer
				this.writer.execute(this::closeSession);
			}
			return this.closed;
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
				Map<String, String> flat = new LinkedHashMap<>();
				headers.forEach((name, values) -> {
					if (!values.isEmpty()) {
						flat.put(name, values.get(0));
					}
				});
				StompConnection.this.listener.onMessage(this.subscriptionId, flat,
						(payload instanceof byte[] bytes) ? bytes : new byte[0]);
				String ack = headers.getAck();
				if (ack != null) {
					acknowledge(ack);
				}
			}

		}

		private void acknowledge(String ack) {
			this.writer.execute(() -> {
				StompSession session = this.session;
				if (session == null || this.closeRequested || !session.isConnected()) {
					// The broker delivers it again on the next connection
					return;
				}
				try {
					session.acknowledge(ack, true);
				}
				catch (RuntimeException ex) {
					logger.debug("Could not acknowledge a message", ex);
				}
			});
		}

		private void closeSession() {
			StompSession session = this.session;
			try {
				if (session != null) {
					// Sends DISCONNECT when possible and always drops the socket; a late CONNECTED closes it again
					session.disconnect();
				}
			}
			catch (RuntimeException ex) {
				logger.trace("STOMP session closed without DISCONNECT", ex);
			}
			finally {
				if (!this.socketOpen) {
					closeWhenOpened();
				}
			}
		}

		/**
		 * No socket yet: if the WebSocket handshake is still going on, the socket is closed as soon as it opens, and
		 * only then is this connection closed; never two sockets at once, also when a close overtakes an open.
		 */
		private void closeWhenOpened() {
			CompletableFuture<WebSocketSession> handshake = this.handshake;
			if (handshake == null) {
				this.closed.complete(null);
				return;
			}
			handshake.whenComplete((webSocket, failure) -> {
				if (webSocket == null || !webSocket.isOpen()) {
					this.closed.complete(null);
					return;
				}
				try {
					// afterConnectionClosed completes it
					webSocket.close();
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Could not close a WebSocket that opened after its close", ex);
					this.closed.complete(null);
				}
			});
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

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	private static String describe(Throwable exception) {
		Throwable failure = Failures.unwrap(exception);
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
	 * Records on each connection how the WebSocket was closed.
	 */
	private static final class CloseStatusRecordingClient implements WebSocketClient {

		private final WebSocketClient delegate;

		CloseStatusRecordingClient(WebSocketClient delegate) {
			this.delegate = delegate;
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
				@Nullable Object... uriVariables) {
			return this.delegate.execute(decorate(handler, OPENING.get()), uriTemplate, uriVariables);
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler,
				@Nullable WebSocketHttpHeaders headers, URI uri) {
			StompConnection connection = OPENING.get();
			CompletableFuture<WebSocketSession> handshake = this.delegate.execute(decorate(handler, connection), headers,
					uri);
			if (connection != null) {
				connection.handshake = handshake;
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
					connection.socketOpen = true;
					super.afterConnectionEstablished(session);
				}

				@Override
				public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
					connection.closeStatus = closeStatus;
					connection.socketOpen = false;
					try {
						super.afterConnectionClosed(session, closeStatus);
					}
					finally {
						connection.closed.complete(null);
					}
				}

			};
		}

	}

	/**
	 * Gives each connection its STOMP session as soon as it is created, before {@code CONNECTED}, so that a
	 * connection can be closed while it is still opening.
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
	 */
	public record Settings(URI url, @Nullable String virtualHost, Duration heartbeatOutgoing,
			Duration heartbeatIncoming, int inboundMessageSizeLimit, Duration receiptTimeout,
			Map<String, String> connectHeaders, Duration probeInterval) {

		/**
		 * The default interval between probes.
		 */
		public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(250);

		/**
		 * Settings with the default probe.
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
