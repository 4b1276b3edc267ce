package com.cometchat.spring.test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.connection.Credentials;
import com.cometchat.spring.client.connection.Transport;
import com.cometchat.spring.client.connection.TransportConnection;
import com.cometchat.spring.client.connection.TransportListener;

/**
 * {@link Transport} driven by the test: every {@link #open} is recorded as a {@link Connection} that the test then
 * connects, fails or drops, as often as it likes (also twice, also late).
 */
public final class ScriptedTransport implements Transport {

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	@Override
	public TransportConnection open(Credentials credentials, TransportListener listener) {
		Connection connection = new Connection(credentials, listener);
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
	 * One scripted connection.
	 */
	public static final class Connection implements TransportConnection {

		private final Credentials credentials;

		private final TransportListener listener;

		private volatile boolean closed;

		Connection(Credentials credentials, TransportListener listener) {
			this.credentials = credentials;
			this.listener = listener;
		}

		public Credentials credentials() {
			return this.credentials;
		}

		public void connected() {
			this.listener.onConnected();
		}

		public void fail(ErrorCode code) {
			this.listener.onFailure(new CometChatException(code, "scripted " + code));
		}

		public void rejected() {
			fail(ErrorCode.AUTH_REJECTED);
		}

		public void dropped() {
			fail(ErrorCode.CONNECTION_LOST);
		}

		public boolean isClosed() {
			return this.closed;
		}

		@Override
		public CompletableFuture<Void> close() {
			this.closed = true;
			return CompletableFuture.completedFuture(null);
		}

	}

}
