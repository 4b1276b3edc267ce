package com.cometchat.spring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Protocol-agnostic TCP proxy that injects network faults between a client under test
 * and a server, for example a STOMP-over-WebSocket broker.
 * <p>
 * The proxy listens on a free port of {@code 127.0.0.1} (see {@link #port()} and
 * {@link #url(String)}) and forwards the bytes of every accepted connection to and from
 * its own connection to the target. Its behaviour can be switched at any time, also
 * while connections are open:
 * <ul>
 * <li>{@link #normal()} forwards both ways without delay and accepts new connections.
 * <li>{@link #blackhole()} keeps every socket open but forwards nothing in either
 * direction, for existing and new connections: a new connection is accepted but the
 * proxy does not connect to the target until forwarding resumes. This simulates a
 * frozen link: the client sees no error, only silence. Bytes are held, not discarded:
 * each direction of a connection holds at most one read chunk and the rest stays in
 * the kernel's socket buffers, so a client that keeps writing eventually blocks, as it
 * would on a real frozen link. When forwarding resumes ({@link #normal()} or
 * {@link #slow(Duration)}) existing connections carry on where they stopped: held
 * bytes are delivered in order and nothing is lost, as after a network partition that
 * heals before TCP gives up. Whether the client still uses such a connection (or has
 * given up on it, for example after missing heartbeats) is up to the client.
 * <li>{@link #slow(Duration)} forwards both ways but delivers each chunk read from
 * either side no earlier than the given delay after it was read. Each direction is
 * handled by a single thread that holds one chunk at a time, so byte order is
 * preserved and memory use is bounded, at the cost of throughput: a request and its
 * response through the proxy take at least twice the delay.
 * <li>{@link #refuse(boolean) refuse(true)} accepts new connections and closes them
 * immediately (with a reset), until {@code refuse(false)} or {@link #normal()};
 * existing connections are not affected.
 * </ul>
 * {@link #normal()}, {@link #blackhole()} and {@link #slow(Duration)} each replace the
 * whole behaviour (and stop refusing); {@link #refuse(boolean)} only changes whether new
 * connections are accepted. {@link #cut()} is an action rather than a mode: it closes
 * all current connections abruptly (with a TCP reset on both sides) and leaves the mode
 * unchanged, so in normal mode a reconnect succeeds. {@link #cutAndRefuse()} closes all
 * current connections and refuses new ones until {@link #normal()}. {@link #strand()} is an
 * action too: the current connections forward nothing from then on, whatever the mode, while
 * their sockets stay open, as when the path they took is gone for good (a lost NAT entry, a new
 * address) but a new connection gets through. Mode changes apply
 * to chunks that are read after the change; a chunk that is already being written when
 * the mode changes may still be delivered.
 * <p>
 * {@link #injectServerMessage(String)} is the one thing that knows a protocol: it writes
 * a WebSocket text message to the client of every open connection as if the server had
 * sent it (say a STOMP {@code ERROR} frame), at a point where that cannot break the
 * stream: between two whole WebSocket messages of the server and between two STOMP frames,
 * once the server's first STOMP frame (its {@code CONNECTED}) has passed (see
 * {@link ServerMessageBoundaries}). Bytes
 * are not changed, only added there; connections that are not WebSocket get nothing.
 * <p>
 * When one side closes its output the proxy half-closes the other side (once
 * forwarding is allowed) and closes the connection when both directions are done; when
 * either side fails the connection is closed abruptly on both sides.
 * <p>
 * Every connection is served by two daemon threads named
 * {@code fault-proxy-<port>-<id>-client} and {@code fault-proxy-<port>-<id>-upstream}
 * (one per direction), plus one {@code fault-proxy-<port>-acceptor} thread per proxy.
 * {@link #close()} closes every socket and waits for these threads to end.
 *
 * @author CometChat
 */
public final class FaultProxy implements AutoCloseable {

	private static final int BUFFER_SIZE = 8192;

	private static final int CONNECT_TIMEOUT_MILLIS = 5000;

	private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final InetSocketAddress target;

	private final ServerSocket serverSocket;

	private final int port;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger connectionIds = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private boolean blackhole;

	private boolean refusing;

	private long delayNanos;

	private boolean closed;

	/**
	 * Create a proxy to the given target and start accepting connections in
	 * {@link #normal() normal} mode.
	 * @param targetHost the host to forward to
	 * @param targetPort the port to forward to
	 * @throws UncheckedIOException if the proxy cannot listen on a free loopback port
	 */
	public FaultProxy(String targetHost, int targetPort) {
		Objects.requireNonNull(targetHost, "'targetHost' must not be null");
		this.target = new InetSocketAddress(targetHost, targetPort);
		this.serverSocket = listen();
		this.port = this.serverSocket.getLocalPort();
		startThread("acceptor", this::acceptConnections);
	}

	private static ServerSocket listen() {
		ServerSocket serverSocket = null;
		try {
			serverSocket = new ServerSocket();
			serverSocket.setReuseAddress(true);
			serverSocket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 0));
			return serverSocket;
		}
		catch (IOException ex) {
			closeSocket(serverSocket);
			throw new UncheckedIOException("Failed to listen on a free loopback port", ex);
		}
	}

	/**
	 * Return the local port that the proxy listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return a WebSocket URL that connects through the proxy.
	 * @param path the request path, for example {@code /ws}
	 * @return {@code ws://127.0.0.1:<port><path>}
	 */
	public String url(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		String separator = (path.isEmpty() || path.startsWith("/")) ? "" : "/";
		return "ws://127.0.0.1:" + this.port + separator + path;
	}

	/**
	 * Return the number of client connections that are currently open, including
	 * connections held by {@link #blackhole()}.
	 * @return the number of open client connections
	 */
	public int connectionCount() {
		return this.connections.size();
	}

	/**
	 * Return the total number of connections accepted since the proxy was created,
	 * including connections that were closed immediately because of
	 * {@link #refuse(boolean)}.
	 * @return the number of accepted connections
	 */
	public int acceptedCount() {
		return this.accepted.get();
	}

	/**
	 * Forward both ways without delay and accept new connections. Connections held by
	 * {@link #blackhole()} resume and their held bytes are delivered.
	 */
	public void normal() {
		update(false, false, 0);
	}

	/**
	 * Keep all sockets open but forward nothing in either direction, for existing and
	 * new connections, until the mode is changed. New connections are accepted, but the
	 * proxy does not connect them to the target until forwarding resumes.
	 */
	public void blackhole() {
		update(true, false, 0);
	}

	/**
	 * Forward both ways, delivering every chunk read from either side no earlier than
	 * the given delay after it was read, and accept new connections.
	 * @param delayPerChunk the delay added to every chunk; {@link Duration#ZERO} is the
	 * same as {@link #normal()}
	 */
	public void slow(Duration delayPerChunk) {
		Objects.requireNonNull(delayPerChunk, "'delayPerChunk' must not be null");
		if (delayPerChunk.isNegative()) {
			throw new IllegalArgumentException("'delayPerChunk' must not be negative");
		}
		update(false, false, delayPerChunk.toNanos());
	}

	/**
	 * Set whether new connections are refused, that is accepted and closed immediately
	 * with a reset. Existing connections and the forwarding mode are not affected.
	 * @param refuse whether to refuse new connections
	 */
	public void refuse(boolean refuse) {
		this.lock.lock();
		try {
			this.refusing = refuse;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close all current client and upstream sockets abruptly, with a TCP reset. The mode
	 * is not changed: unless new connections are {@link #refuse(boolean) refused}, they
	 * are accepted and handled as before, so in normal mode a reconnect succeeds.
	 */
	public void cut() {
		this.lock.lock();
		try {
			List.copyOf(this.connections).forEach((connection) -> connection.close(true));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close all current connections abruptly and refuse new ones until
	 * {@link #normal()} (or {@code refuse(false)}). No connection accepted concurrently
	 * survives.
	 */
	public void cutAndRefuse() {
		this.lock.lock();
		try {
			this.refusing = true;
			cut();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Keep every current connection silent for good: it forwards nothing in either
	 * direction whatever the mode becomes, and its sockets stay open (a failure on either
	 * side is not passed on) until {@link #cut()} or {@link #close()}. The mode is not
	 * changed, so {@code strand()} then {@link #normal()} lets new connections through
	 * while the old ones stay dead, as after a silent drop whose path never comes back.
	 */
	public void strand() {
		this.lock.lock();
		try {
			this.connections.forEach((connection) -> connection.stranded = true);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Write a WebSocket text message to the client of every open connection, as if the
	 * server had sent it: at once if the server's stream is at a boundary (between two
	 * whole WebSocket messages, between two STOMP frames, after the server's first one),
	 * otherwise right after the server's bytes that bring it to the next one. It is
	 * written whatever the mode, so it is meant for connections in normal mode.
	 * @param text the text of the message, for example
	 * {@code "ERROR\nmessage:injected\n\n\0"}
	 * @return a future that completes once every connection open at the call has been
	 * dealt with, with the number of connections the message was written to (a connection
	 * that is not WebSocket, closes first or fails the write does not count)
	 */
	public CompletableFuture<Integer> injectServerMessage(String text) {
		Objects.requireNonNull(text, "'text' must not be null");
		byte[] frame = ServerMessageBoundaries.textFrame(text);
		List<CompletableFuture<Boolean>> written = List.copyOf(this.connections)
			.stream()
			.map((connection) -> connection.inject(frame))
			.toList();
		return CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
			.thenApply((done) -> (int) written.stream().filter(CompletableFuture::join).count());
	}

	/**
	 * Stop listening, close every connection abruptly and wait (up to five seconds) for
	 * the proxy's threads to end. Calling this method more than once has no effect.
	 */
	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		closeSocket(this.serverSocket);
		List.copyOf(this.connections).forEach((connection) -> connection.close(true));
		awaitThreads();
	}

	private void update(boolean blackhole, boolean refusing, long delayNanos) {
		this.lock.lock();
		try {
			this.blackhole = blackhole;
			this.refusing = refusing;
			this.delayNanos = delayNanos;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void acceptConnections() {
		while (!this.serverSocket.isClosed()) {
			Socket client;
			try {
				client = this.serverSocket.accept();
			}
			catch (IOException ex) {
				continue;
			}
			this.accepted.incrementAndGet();
			Connection connection = register(client);
			if (connection != null) {
				connection.start();
			}
			else {
				abort(client);
			}
		}
	}

	private Connection register(Socket client) {
		this.lock.lock();
		try {
			if (this.closed || this.refusing) {
				return null;
			}
			Connection connection = new Connection(this.connectionIds.incrementAndGet(), client);
			this.connections.add(connection);
			return connection;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until the given connection may forward a chunk (or connect to the target).
	 * @param connection the connection
	 * @param readNanos when the chunk was read, as returned by {@link System#nanoTime()}
	 * @param delay whether the per-chunk delay applies
	 * @return {@code true} to forward, {@code false} if the connection or the proxy has
	 * been closed in the meantime
	 */
	private boolean awaitForwarding(Connection connection, long readNanos, boolean delay) {
		this.lock.lock();
		try {
			while (!this.closed && !connection.closed) {
				if (this.blackhole || connection.stranded) {
					this.changed.await();
					continue;
				}
				long remaining = (delay) ? readNanos + this.delayNanos - System.nanoTime() : 0;
				if (remaining <= 0) {
					return true;
				}
				this.changed.awaitNanos(remaining);
			}
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void signalChange() {
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void startThread(String name, Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			}
			finally {
				this.threads.remove(Thread.currentThread());
			}
		}, "fault-proxy-" + this.port + "-" + name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private void awaitThreads() {
		long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
		try {
			while (true) {
				// A thread adds any thread it starts before it ends, so an empty set is final
				List<Thread> remaining = this.threads.stream()
					.filter((thread) -> thread != Thread.currentThread())
					.toList();
				if (remaining.isEmpty()) {
					return;
				}
				for (Thread thread : remaining) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						return;
					}
					TimeUnit.NANOSECONDS.timedJoin(thread, left);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void abort(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// Not connected or already closed: a plain close is all we can do
		}
		closeSocket(socket);
	}

	private static void closeSocket(AutoCloseable socket) {
		if (socket != null) {
			try {
				socket.close();
			}
			catch (Exception ex) {
				// Ignore
			}
		}
	}

	/**
	 * A client connection and its upstream connection to the target.
	 */
	private final class Connection {

		private final int id;

		private final Socket client;

		private final AtomicInteger finishedDirections = new AtomicInteger();

		/** Guards the writes to the client and {@link #boundaries}. */
		private final ReentrantLock clientWrites = new ReentrantLock();

		private final ServerMessageBoundaries boundaries = new ServerMessageBoundaries();

		private final Queue<Injection> injections = new ConcurrentLinkedQueue<>();

		private Socket upstream;

		private volatile boolean closed;

		/** Guarded by the proxy's lock. */
		private boolean stranded;

		Connection(int id, Socket client) {
			this.id = id;
			this.client = client;
		}

		void start() {
			startThread(this.id + "-client", () -> run(this::connectAndForwardFromClient));
		}

		private boolean connectAndForwardFromClient() throws IOException {
			if (!awaitForwarding(this, 0, false)) {
				return false;
			}
			Socket upstream = new Socket();
			synchronized (this) {
				if (this.closed) {
					closeSocket(upstream);
					return false;
				}
				this.upstream = upstream;
			}
			this.client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
			upstream.connect(FaultProxy.this.target, CONNECT_TIMEOUT_MILLIS);
			startThread(this.id + "-upstream", () -> run(() -> forward(upstream, this.client)));
			return forward(this.client, upstream);
		}

		/**
		 * Write the server's bytes to the client, and the injected messages at the first
		 * boundary.
		 */
		private void writeToClient(OutputStream output, byte[] buffer, int length) throws IOException {
			this.clientWrites.lock();
			try {
				int offset = 0;
				while (offset < length) {
					int followed = this.boundaries.follow(buffer, offset, length - offset, !this.injections.isEmpty());
					output.write(buffer, offset, followed);
					offset += followed;
					writeInjectionsAtBoundary(output);
				}
			}
			finally {
				this.clientWrites.unlock();
			}
		}

		CompletableFuture<Boolean> inject(byte[] frame) {
			Injection injection = new Injection(frame, new CompletableFuture<>());
			this.clientWrites.lock();
			try {
				this.injections.add(injection);
				if (this.closed || this.boundaries.isNotWebSocket()) {
					failInjections();
				}
				else {
					writeInjectionsAtBoundary(this.client.getOutputStream());
				}
			}
			catch (IOException ex) {
				failInjections();
			}
			finally {
				this.clientWrites.unlock();
			}
			return injection.written();
		}

		/**
		 * Write the waiting injections if the server's stream is at a boundary (the caller
		 * holds {@link #clientWrites}).
		 */
		private void writeInjectionsAtBoundary(OutputStream output) throws IOException {
			if (!this.boundaries.atBoundary()) {
				return;
			}
			Injection injection;
			while ((injection = this.injections.poll()) != null) {
				try {
					output.write(injection.frame());
				}
				catch (IOException ex) {
					injection.written().complete(false);
					throw ex;
				}
				injection.written().complete(true);
			}
		}

		private void failInjections() {
			Injection injection;
			while ((injection = this.injections.poll()) != null) {
				injection.written().complete(false);
			}
		}

		/**
		 * Forward bytes until the end of the input stream.
		 * @param from the socket to read from
		 * @param to the socket to write to
		 * @return {@code true} if the end of the stream has been forwarded, {@code false}
		 * if the connection or the proxy has been closed
		 * @throws IOException on I/O errors
		 */
		private boolean forward(Socket from, Socket to) throws IOException {
			InputStream input = from.getInputStream();
			OutputStream output = to.getOutputStream();
			byte[] buffer = new byte[BUFFER_SIZE];
			while (true) {
				int read = input.read(buffer);
				if (!awaitForwarding(this, System.nanoTime(), true)) {
					return false;
				}
				if (read == -1) {
					if (to == this.client) {
						failInjections();
					}
					to.shutdownOutput();
					return true;
				}
				if (to == this.client) {
					writeToClient(output, buffer, read);
				}
				else {
					output.write(buffer, 0, read);
				}
			}
		}

		private void run(Direction direction) {
			boolean finished = false;
			try {
				finished = direction.forward();
			}
			catch (IOException | RuntimeException ex) {
				// The connection is closed abruptly below, which propagates the failure
			}
			if (!finished) {
				// While blackholed, a failure on one side (say the broker giving up on the silent client) must not
				// reach the other side, as it would not through a real partition
				awaitForwarding(this, System.nanoTime(), false);
				close(true);
			}
			else if (this.finishedDirections.incrementAndGet() == 2) {
				close(false);
			}
		}

		void close(boolean abort) {
			Socket upstream;
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
				upstream = this.upstream;
			}
			FaultProxy.this.connections.remove(this);
			if (abort) {
				abort(this.client);
				if (upstream != null) {
					abort(upstream);
				}
			}
			else {
				closeSocket(this.client);
				closeSocket(upstream);
			}
			failInjections();
			signalChange();
		}

	}

	/**
	 * A message waiting for a boundary of the server's stream, and whether it was written.
	 */
	private record Injection(byte[] frame, CompletableFuture<Boolean> written) {
	}

	/**
	 * One direction of a connection.
	 */
	@FunctionalInterface
	private interface Direction {

		boolean forward() throws IOException;

	}

}
