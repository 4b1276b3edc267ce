package com.cometchat.spring.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.client.transport.TransportConnection;
import com.cometchat.spring.client.transport.TransportListener;
import org.jspecify.annotations.Nullable;

/**
 * A session's transport when replicas share the sessions: right before anything leaves for the user (a
 * {@code SUBSCRIBE}, {@code UNSUBSCRIBE}, {@code SEND}, or the acknowledgement of a received message), it asks whether
 * this replica may still act for the session; when it may not, nothing leaves, the socket is dropped without a goodbye
 * and the call fails with {@link ErrorCode#NOT_SESSION_HOLDER}. A received message is then not taken (so not
 * acknowledged): the broker delivers it again to the replica that holds the session next. A socket is not opened
 * without the lease either.
 *
 * @author CometChat
 */
final class FencedTransport implements Transport {

	private final Transport delegate;

	private final BooleanSupplier mayAct;

	FencedTransport(Transport delegate, BooleanSupplier mayAct) {
		this.delegate = delegate;
		this.mayAct = mayAct;
	}

	static CometChatException notHolder() {
		return new CometChatException(ErrorCode.NOT_SESSION_HOLDER,
				"This replica does not hold the session's lease (any more)");
	}

	@Override
	public TransportConnection open(Credentials credentials, TransportListener listener) {
		if (!this.mayAct.getAsBoolean()) {
			return new Refused(listener);
		}
		Fenced fenced = new Fenced(listener);
		fenced.connection = this.delegate.open(credentials, fenced);
		return fenced;
	}

	@Override
	public Runnable watchForBroker(Runnable onBack) {
		return this.delegate.watchForBroker(onBack);
	}

	@Override
	public Runnable watchForBroker(Runnable onBack, boolean openPortIsBack) {
		return this.delegate.watchForBroker(onBack, openPortIsBack);
	}

	/**
	 * A connection that checks the lease before each frame.
	 */
	private final class Fenced implements TransportConnection, TransportListener {

		private final TransportListener listener;

		private volatile @Nullable TransportConnection connection;

		Fenced(TransportListener listener) {
			this.listener = listener;
		}

		/**
		 * Whether this replica may act; when not, the socket is dropped and the session told.
		 */
		private boolean mayAct() {
			if (FencedTransport.this.mayAct.getAsBoolean()) {
				return true;
			}
			TransportConnection connection = this.connection;
			if (connection != null) {
				connection.abort();
			}
			this.listener.onFailure(notHolder());
			return false;
		}

		@Override
		public void subscribe(String subscriptionId, String destination, Map<String, String> headers) {
			TransportConnection connection = this.connection;
			if (connection != null && mayAct()) {
				connection.subscribe(subscriptionId, destination, headers);
			}
		}

		@Override
		public void unsubscribe(String subscriptionId, Map<String, String> headers) {
			TransportConnection connection = this.connection;
			if (connection != null && mayAct()) {
				connection.unsubscribe(subscriptionId, headers);
			}
		}

		@Override
		public CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
				@Nullable String receiptId) {
			TransportConnection connection = this.connection;
			if (connection == null || !mayAct()) {
				return CompletableFuture.failedFuture(notHolder());
			}
			return connection.send(destination, headers, payload, receiptId);
		}

		@Override
		public <T> T writeOnCallingThread(Supplier<T> work) {
			TransportConnection connection = this.connection;
			return (connection != null) ? connection.writeOnCallingThread(work) : work.get();
		}

		@Override
		public CompletableFuture<Void> close() {
			TransportConnection connection = this.connection;
			if (connection == null) {
				return CompletableFuture.completedFuture(null);
			}
			// A holder closes with a goodbye; a replica that lost the session only drops its socket
			return FencedTransport.this.mayAct.getAsBoolean() ? connection.close() : connection.abort();
		}

		@Override
		public CompletableFuture<Void> abort() {
			TransportConnection connection = this.connection;
			return (connection != null) ? connection.abort() : CompletableFuture.completedFuture(null);
		}

		@Override
		public void onConnected() {
			if (mayAct()) {
				this.listener.onConnected();
			}
		}

		@Override
		public void onFailure(CometChatException error) {
			this.listener.onFailure(error);
		}

		@Override
		public boolean onMessage(String subscriptionId, Map<String, String> headers, byte[] payload) {
			// Not taken, so not acknowledged: the next holder gets it
			return mayAct() && this.listener.onMessage(subscriptionId, headers, payload);
		}

	}

	/**
	 * No socket: this replica does not hold the session.
	 */
	private static final class Refused implements TransportConnection {

		private final TransportListener listener;

		private boolean told;

		Refused(TransportListener listener) {
			this.listener = listener;
		}

		private void tell() {
			// Once, and not from open(): the caller is still setting the connection up
			if (!this.told) {
				this.told = true;
				this.listener.onFailure(notHolder());
			}
		}

		@Override
		public void subscribe(String subscriptionId, String destination, Map<String, String> headers) {
			tell();
		}

		@Override
		public void unsubscribe(String subscriptionId, Map<String, String> headers) {
		}

		@Override
		public CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
				@Nullable String receiptId) {
			tell();
			return CompletableFuture.failedFuture(notHolder());
		}

		@Override
		public CompletableFuture<Void> close() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> abort() {
			return CompletableFuture.completedFuture(null);
		}

	}

}
