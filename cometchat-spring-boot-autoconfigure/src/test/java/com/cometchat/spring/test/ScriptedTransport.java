package com.cometchat.spring.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.client.transport.TransportConnection;
import com.cometchat.spring.client.transport.TransportListener;
import org.jspecify.annotations.Nullable;

/**
 * {@link Transport} driven by the test: every {@link #open} is recorded as a {@link Connection} that the test then
 * connects, fails or drops, as often as it likes (also twice, also late).
 */
public final class ScriptedTransport implements Transport {

	private final Executor writer;

	private volatile boolean closesHang;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private final List<Runnable> brokerWatchers = new CopyOnWriteArrayList<>();

	private final List<Runnable> everyBrokerWatcher = new CopyOnWriteArrayList<>();

	private final List<Runnable> openPortWatchers = new CopyOnWriteArrayList<>();

	/**
	 * A transport whose writes complete on the caller's thread.
	 */
	public ScriptedTransport() {
		this(Runnable::run);
	}

	/**
	 * A transport whose writes (sends without a receipt) complete on the given executor, as on a writer thread.
	 * @param writer the executor
	 */
	public ScriptedTransport(Executor writer) {
		this.writer = writer;
	}

	@Override
	public Runnable watchForBroker(Runnable onBack) {
		return watchForBroker(onBack, false);
	}

	@Override
	public Runnable watchForBroker(Runnable onBack, boolean openPortIsBack) {
		this.brokerWatchers.add(onBack);
		this.everyBrokerWatcher.add(onBack);
		if (openPortIsBack) {
			this.openPortWatchers.add(onBack);
		}
		return () -> {
			this.brokerWatchers.remove(onBack);
			this.openPortWatchers.remove(onBack);
		};
	}

	/**
	 * Tell the watchers that take an open port for the broker back that the port is open, as the reachability
	 * probe's first look would when the broker's port opened just after an attempt failed; the others go on
	 * watching.
	 */
	public void portOpen() {
		List<Runnable> watchers = List.copyOf(this.openPortWatchers);
		this.openPortWatchers.clear();
		this.brokerWatchers.removeAll(watchers);
		watchers.forEach(Runnable::run);
	}

	/**
	 * Return how many connections watch for the broker to come back.
	 * @return the number of watchers
	 */
	public int brokerWatchers() {
		return this.brokerWatchers.size();
	}

	/**
	 * Tell every watcher that the broker is back, as the reachability probe would.
	 */
	public void brokerBack() {
		List<Runnable> watchers = List.copyOf(this.brokerWatchers);
		this.brokerWatchers.clear();
		this.openPortWatchers.clear();
		watchers.forEach(Runnable::run);
	}

	/**
	 * Call every watcher there ever was, also those that stopped watching, as a probe whose result races with the
	 * stop would.
	 */
	public void brokerBackLate() {
		this.everyBrokerWatcher.forEach(Runnable::run);
	}

	/**
	 * From now on, a graceful close of a new connection never completes (its peer does not answer); an abort does.
	 */
	public void closesHang() {
		this.closesHang = true;
	}

	@Override
	public TransportConnection open(Credentials credentials, TransportListener listener) {
		Connection connection = new Connection(credentials, listener, this.writer, this.closesHang);
		this.connections.add(connection);
		return connection;
	}

	public List<Connection> connections() {
		return this.connections;
	}

	public int opened() {
		return this.connections.size();
	}

	public Connection last() {
		return this.connections.get(this.connections.size() - 1);
	}

	/**
	 * Return the number of connections opened and not closed.
	 * @return the open count
	 */
	public long openCount() {
		return this.connections.stream().filter((connection) -> !connection.isClosed()).count();
	}

	/**
	 * A frame written by the client.
	 *
	 * @param command SEND, SUBSCRIBE or UNSUBSCRIBE
	 * @param destination the destination
	 * @param headers the extra headers
	 * @param payload the body
	 * @param id the receipt id of a SEND, the subscription id otherwise
	 * @param result the outcome of a SEND, completed by {@link #receipt()} or failed by {@link #receiptLost()}
	 */
	public record Frame(String command, String destination, Map<String, String> headers, byte[] payload,
			@Nullable String id, @Nullable CompletableFuture<Void> result) {

		public String body() {
			return new String(this.payload, java.nio.charset.StandardCharsets.UTF_8);
		}

		public void receipt() {
			this.result.complete(null);
		}

		public void receiptLost() {
			this.result.completeExceptionally(new CometChatException(ErrorCode.RECEIPT_TIMEOUT, "scripted"));
		}

		/**
		 * Fail the write of this frame while the connection stays up, as Spring's session can when a write throws.
		 */
		public void writeFailed() {
			this.result.completeExceptionally(new CometChatException(ErrorCode.NOT_CONNECTED, "scripted write failure"));
		}

	}

	/**
	 * One scripted connection.
	 */
	public static final class Connection implements TransportConnection {

		private final Credentials credentials;

		private final TransportListener listener;

		private volatile boolean closed;

		private volatile boolean answered;

		private volatile int closes;

		private volatile int aborts;

		private final List<Frame> frames = new CopyOnWriteArrayList<>();

		private final Map<String, String> subscriptions = new ConcurrentHashMap<>();

		private final Executor writer;

		private final boolean closeHangs;

		private final CompletableFuture<Void> gone = new CompletableFuture<>();

		Connection(Credentials credentials, TransportListener listener, Executor writer, boolean closeHangs) {
			this.credentials = credentials;
			this.listener = listener;
			this.writer = writer;
			this.closeHangs = closeHangs;
		}

		public Credentials credentials() {
			return this.credentials;
		}

		public void connected() {
			this.answered = true;
			this.listener.onConnected();
		}

		/**
		 * Return whether the test answered {@code CONNECTED} on it.
		 * @return whether it was answered
		 */
		public boolean isConnected() {
			return this.answered;
		}

		public void fail(ErrorCode code) {
			this.listener.onFailure(new CometChatException(code, "scripted " + code));
		}

		/**
		 * Fail the attempt as a broker whose port is closed does: the TCP connection refused.
		 */
		public void refused() {
			this.listener.onFailure(new CometChatException(ErrorCode.CONNECT_FAILED,
					"Could not connect: ConnectException: Connection refused",
					new java.net.ConnectException("Connection refused")));
		}

		public void rejected() {
			fail(ErrorCode.AUTH_REJECTED);
		}

		public void dropped() {
			fail(ErrorCode.CONNECTION_LOST);
		}

		/**
		 * Return whether the socket is gone (closed or aborted).
		 * @return whether it is closed
		 */
		public boolean isClosed() {
			return this.closed;
		}

		/**
		 * Deliver a message on a subscription, as the broker would.
		 * @param subscriptionId the subscription
		 * @param payload the body
		 * @return whether the client took it (the transport would then acknowledge it)
		 */
		public boolean deliver(String subscriptionId, byte[] payload) {
			return deliver(subscriptionId, Map.of(), payload);
		}

		public boolean deliver(String subscriptionId, Map<String, String> headers, byte[] payload) {
			return this.listener.onMessage(subscriptionId, headers, payload);
		}

		/**
		 * Return the frames written on this connection, in order.
		 * @return the frames
		 */
		public List<Frame> frames() {
			return this.frames;
		}

		/**
		 * Return the sends written on this connection, in order.
		 * @return the sends
		 */
		public List<Frame> sends() {
			return this.frames.stream().filter((frame) -> frame.command().equals("SEND")).toList();
		}

		/**
		 * Return the subscriptions active on this connection, id to destination.
		 * @return the subscriptions
		 */
		public Map<String, String> subscriptions() {
			return this.subscriptions;
		}

		@Override
		public void subscribe(String subscriptionId, String destination, Map<String, String> headers) {
			if (this.subscriptions.put(subscriptionId, destination) != null) {
				throw new IllegalStateException("Subscription " + subscriptionId + " doubled");
			}
			this.frames.add(new Frame("SUBSCRIBE", destination, headers, new byte[0], subscriptionId, null));
		}

		@Override
		public void unsubscribe(String subscriptionId, Map<String, String> headers) {
			String destination = this.subscriptions.remove(subscriptionId);
			this.frames.add(new Frame("UNSUBSCRIBE", destination, headers, new byte[0], subscriptionId, null));
		}

		@Override
		public CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
				@Nullable String receiptId) {
			CompletableFuture<Void> result = new CompletableFuture<>();
			this.frames.add(new Frame("SEND", destination, headers, payload, receiptId, result));
			if (receiptId == null) {
				this.writer.execute(() -> result.complete(null));
			}
			return result;
		}

		@Override
		public CompletableFuture<Void> close() {
			this.closes++;
			if (!this.closeHangs) {
				this.closed = true;
				this.gone.complete(null);
			}
			return this.gone;
		}

		@Override
		public CompletableFuture<Void> abort() {
			this.closed = true;
			this.aborts++;
			this.gone.complete(null);
			return this.gone;
		}

		/**
		 * Return how often the client closed this connection gracefully.
		 * @return the count
		 */
		public int closes() {
			return this.closes;
		}

		/**
		 * Return how often the client aborted this connection.
		 * @return the count
		 */
		public int aborts() {
			return this.aborts;
		}

	}

}
