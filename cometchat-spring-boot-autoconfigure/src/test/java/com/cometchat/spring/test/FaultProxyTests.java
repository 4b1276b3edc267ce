package com.cometchat.spring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link FaultProxy}, against an in-test echo server.
 *
 * @author CometChat
 */
class FaultProxyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int READ_TIMEOUT_MILLIS = 5000;

	private static final int SILENCE_TIMEOUT_MILLIS = 300;

	private static final String STOMP_ERROR = "ERROR\nmessage:injected\n\n\0";

	private static final byte[] STOMP_ERROR_FRAME = frame(0x81, STOMP_ERROR);

	private final List<Socket> clients = new ArrayList<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private EchoServer echo;

	private FaultProxy proxy;

	@BeforeEach
	void setUp() {
		this.echo = new EchoServer();
		this.proxy = new FaultProxy("127.0.0.1", this.echo.port());
	}

	@AfterEach
	void tearDown() {
		this.clients.forEach(FaultProxyTests::closeQuietly);
		this.closeables.forEach(FaultProxyTests::closeQuietly);
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void normalForwardsBothWays() throws IOException {
		Socket client = connect();
		assertThat(roundTrip(client, "hello")).isEqualTo("hello");
		assertThat(roundTrip(client, "world")).isEqualTo("world");
		assertThat(this.proxy.acceptedCount()).isOne();
		assertThat(this.echo.acceptedCount()).isOne();
		assertThat(proxyThreads()).isNotEmpty().allMatch(Thread::isDaemon);
	}

	@Test
	void urlPointsAtTheProxy() {
		assertThat(this.proxy.url("/ws")).isEqualTo("ws://127.0.0.1:" + this.proxy.port() + "/ws");
		assertThat(this.proxy.url("ws")).isEqualTo("ws://127.0.0.1:" + this.proxy.port() + "/ws");
	}

	@Test
	void cutClosesExistingConnectionsAndAReconnectSucceeds() throws IOException {
		Socket first = connect();
		Socket second = connect();
		assertThat(roundTrip(first, "one")).isEqualTo("one");
		assertThat(roundTrip(second, "two")).isEqualTo("two");
		this.proxy.cut();
		assertBroken(first);
		assertBroken(second);
		await().atMost(TIMEOUT).until(this.proxy::connectionCount, (count) -> count == 0);
		await().atMost(TIMEOUT).until(this.echo::connectionCount, (count) -> count == 0);
		Socket reconnected = connect();
		assertThat(roundTrip(reconnected, "again")).isEqualTo("again");
		assertThat(this.proxy.acceptedCount()).isEqualTo(3);
	}

	@Test
	void cutAndRefuseRefusesNewConnectionsUntilNormal() throws IOException {
		Socket existing = connect();
		assertThat(roundTrip(existing, "hello")).isEqualTo("hello");
		this.proxy.cutAndRefuse();
		assertBroken(existing);
		assertRefused();
		assertThat(this.proxy.acceptedCount()).isEqualTo(2);
		assertThat(this.proxy.connectionCount()).isZero();
		assertThat(this.echo.acceptedCount()).isOne();
		this.proxy.normal();
		Socket accepted = connect();
		assertThat(roundTrip(accepted, "back")).isEqualTo("back");
		assertThat(this.echo.acceptedCount()).isEqualTo(2);
	}

	@Test
	void refuseLeavesExistingConnectionsOpen() throws IOException {
		Socket existing = connect();
		assertThat(roundTrip(existing, "hello")).isEqualTo("hello");
		this.proxy.refuse(true);
		assertRefused();
		assertThat(roundTrip(existing, "still")).isEqualTo("still");
		this.proxy.refuse(false);
		assertThat(roundTrip(connect(), "new")).isEqualTo("new");
	}

	@Test
	void blackholeSilencesExistingConnectionsAndNormalResumesThem() throws IOException {
		Socket existing = connect();
		assertThat(roundTrip(existing, "hello")).isEqualTo("hello");
		this.proxy.blackhole();
		write(existing, "ping");
		assertSilent(existing);
		assertThat(this.proxy.connectionCount()).isOne();
		this.proxy.normal();
		// Held bytes are delivered in order once forwarding resumes
		assertThat(read(existing, 4)).isEqualTo("ping");
		assertThat(roundTrip(existing, "pong")).isEqualTo("pong");
		assertThat(roundTrip(connect(), "new")).isEqualTo("new");
	}

	@Test
	void blackholeAcceptsNewConnectionsWithoutConnectingUpstream() throws IOException {
		this.proxy.blackhole();
		Socket client = connect();
		await().atMost(TIMEOUT).until(this.proxy::connectionCount, (count) -> count == 1);
		write(client, "hello");
		assertSilent(client);
		assertThat(this.proxy.acceptedCount()).isOne();
		assertThat(this.echo.acceptedCount()).isZero();
		this.proxy.normal();
		assertThat(read(client, 5)).isEqualTo("hello");
		assertThat(this.echo.acceptedCount()).isOne();
		assertThat(roundTrip(connect(), "new")).isEqualTo("new");
	}

	@Test
	void strandKeepsCurrentConnectionsSilentWhileNewOnesAreForwarded() throws IOException {
		Socket stranded = connect();
		assertThat(roundTrip(stranded, "hello")).isEqualTo("hello");
		this.proxy.blackhole();
		write(stranded, "held");
		this.proxy.strand();
		this.proxy.normal();
		assertSilent(stranded);
		assertThat(roundTrip(connect(), "new")).isEqualTo("new");
		write(stranded, "more");
		assertSilent(stranded);
		// Closing the stranded client is not passed on either
		stranded.close();
		await().during(Duration.ofMillis(SILENCE_TIMEOUT_MILLIS))
			.atMost(TIMEOUT)
			.until(this.echo::connectionCount, (count) -> count == 2);
		assertThat(this.echo.acceptedCount()).isEqualTo(2);
	}

	@Test
	void slowDelaysEveryChunkInBothDirections() throws IOException {
		Duration delay = Duration.ofMillis(200);
		Socket client = connect();
		assertThat(roundTrip(client, "warm-up")).isEqualTo("warm-up");
		this.proxy.slow(delay);
		long start = System.nanoTime();
		assertThat(roundTrip(client, "hello")).isEqualTo("hello");
		long elapsed = System.nanoTime() - start;
		// One delay on the way to the echo server and one on the way back
		assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(delay.multipliedBy(2));
		this.proxy.normal();
		assertThat(roundTrip(client, "fast")).isEqualTo("fast");
	}

	@Test
	void slowPreservesByteOrder() throws Exception {
		this.proxy.slow(Duration.ofMillis(1));
		Socket client = connect();
		byte[] data = new byte[256 * 1024];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 31 + i / 251);
		}
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
			try {
				OutputStream output = client.getOutputStream();
				for (int offset = 0; offset < data.length; offset += 1000) {
					output.write(data, offset, Math.min(1000, data.length - offset));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		client.setSoTimeout((int) TIMEOUT.toMillis());
		byte[] received = client.getInputStream().readNBytes(data.length);
		writing.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(received).isEqualTo(data);
	}

	@Test
	void connectionCountFollowsOpenConnections() throws IOException {
		assertThat(this.proxy.connectionCount()).isZero();
		Socket first = connect();
		Socket second = connect();
		await().atMost(TIMEOUT).until(this.proxy::connectionCount, (count) -> count == 2);
		assertThat(roundTrip(first, "one")).isEqualTo("one");
		first.close();
		await().atMost(TIMEOUT).until(this.proxy::connectionCount, (count) -> count == 1);
		assertThat(roundTrip(second, "two")).isEqualTo("two");
		second.close();
		await().atMost(TIMEOUT).until(this.proxy::connectionCount, (count) -> count == 0);
		assertThat(this.proxy.acceptedCount()).isEqualTo(2);
	}

	@Test
	void closeClosesConnectionsFreesThePortAndStopsThreads() throws IOException {
		Socket client = connect();
		assertThat(roundTrip(client, "hello")).isEqualTo("hello");
		this.proxy.blackhole();
		Socket held = connect();
		await().atMost(TIMEOUT).until(this.proxy::connectionCount, (count) -> count == 2);
		int port = this.proxy.port();
		this.proxy.close();
		assertBroken(client);
		assertBroken(held);
		assertThat(this.proxy.connectionCount()).isZero();
		assertThat(proxyThreads()).isEmpty();
		try (ServerSocket serverSocket = new ServerSocket()) {
			serverSocket.setReuseAddress(true);
			serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
			assertThat(serverSocket.getLocalPort()).isEqualTo(port);
		}
		this.proxy.close();
	}

	@Test
	void injectServerMessageWritesAtOnceWhenTheServerIsBetweenMessages() throws Exception {
		WebSocketLink link = webSocketLink();
		byte[] connected = ServerMessageBoundaries.textFrame("CONNECTED\nversion:1.2\n\n\0");
		link.serverSends(connected, 0, connected.length);
		CompletableFuture<Integer> injected = link.proxy().injectServerMessage(STOMP_ERROR);
		assertThat(link.client().getInputStream().readNBytes(STOMP_ERROR_FRAME.length)).isEqualTo(STOMP_ERROR_FRAME);
		assertThat(injected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isOne();
		// The server's stream goes on as before
		link.serverSends(connected, 0, connected.length);
	}

	@Test
	void injectServerMessageWaitsForTheServersFirstStompFrame() throws Exception {
		WebSocketLink link = webSocketLink();
		CompletableFuture<Integer> injected = link.proxy().injectServerMessage(STOMP_ERROR);
		assertSilent(link.client());
		assertThat(injected).isNotDone();
		byte[] connected = ServerMessageBoundaries.textFrame("CONNECTED\nversion:1.2\n\n\0");
		link.serverSends(connected, 0, connected.length);
		assertThat(link.client().getInputStream().readNBytes(STOMP_ERROR_FRAME.length)).isEqualTo(STOMP_ERROR_FRAME);
		assertThat(injected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isOne();
	}

	@Test
	void injectServerMessageWaitsForTheEndOfAFrameThatIsHalfForwarded() throws Exception {
		WebSocketLink link = webSocketLink();
		// 300 bytes of payload: a 16-bit length
		byte[] message = ServerMessageBoundaries.textFrame("MESSAGE\n\n" + "x".repeat(289) + "\0");
		link.serverSends(message, 0, 10);
		CompletableFuture<Integer> injected = link.proxy().injectServerMessage(STOMP_ERROR);
		assertSilent(link.client());
		assertThat(injected).isNotDone();
		link.serverSends(message, 10, message.length - 10);
		assertThat(link.client().getInputStream().readNBytes(STOMP_ERROR_FRAME.length)).isEqualTo(STOMP_ERROR_FRAME);
		assertThat(injected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isOne();
	}

	@Test
	void injectServerMessageWaitsForTheEndOfAFragmentedMessageAndOfTheStompFrame() throws Exception {
		WebSocketLink link = webSocketLink();
		CompletableFuture<Integer> injected = null;
		// A text message in two frames with a ping between them, then a STOMP frame split over two messages
		byte[][] frames = { frame(0x01, "MESSAGE\n\nhel"), frame(0x89, ""), frame(0x80, "lo"), frame(0x81, "\0\n") };
		for (byte[] frame : frames) {
			link.serverSends(frame, 0, frame.length);
			if (injected == null) {
				injected = link.proxy().injectServerMessage(STOMP_ERROR);
			}
			if (frame != frames[frames.length - 1]) {
				assertSilent(link.client());
				assertThat(injected).isNotDone();
			}
		}
		assertThat(link.client().getInputStream().readNBytes(STOMP_ERROR_FRAME.length)).isEqualTo(STOMP_ERROR_FRAME);
		assertThat(injected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isOne();
	}

	@Test
	void injectServerMessageLeavesConnectionsThatAreNotWebSocketAlone() throws Exception {
		Socket client = connect();
		assertThat(roundTrip(client, "hello")).isEqualTo("hello");
		assertThat(this.proxy.injectServerMessage(STOMP_ERROR).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
			.isZero();
		assertThat(roundTrip(client, "still")).isEqualTo("still");
		assertSilent(client);
	}

	private Socket connect() throws IOException {
		return connect(this.proxy);
	}

	private Socket connect(FaultProxy proxy) throws IOException {
		Socket socket = new Socket();
		this.clients.add(socket);
		socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), READ_TIMEOUT_MILLIS);
		return socket;
	}

	/**
	 * A proxy of its own in front of a server socket that the test answers for, with one client connected through
	 * it and the WebSocket upgrade done: the client's request and the server's {@code 101} answer.
	 */
	private WebSocketLink webSocketLink() throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		this.closeables.add(server);
		FaultProxy proxy = new FaultProxy("127.0.0.1", server.getLocalPort());
		this.closeables.add(proxy);
		Socket client = connect(proxy);
		server.setSoTimeout(READ_TIMEOUT_MILLIS);
		Socket upstream = server.accept();
		this.clients.add(upstream);
		upstream.setSoTimeout(READ_TIMEOUT_MILLIS);
		String request = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n";
		write(client, request);
		assertThat(read(upstream, request.length())).isEqualTo(request);
		String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
		write(upstream, answer);
		assertThat(read(client, answer.length())).isEqualTo(answer);
		return new WebSocketLink(proxy, client, upstream);
	}

	/**
	 * An unmasked frame from the server.
	 * @param finAndOpcode the first byte: FIN bit and opcode
	 * @param payload its payload, shorter than 126 bytes
	 */
	private static byte[] frame(int finAndOpcode, String payload) {
		byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
		byte[] frame = new byte[2 + bytes.length];
		frame[0] = (byte) finAndOpcode;
		frame[1] = (byte) bytes.length;
		System.arraycopy(bytes, 0, frame, 2, bytes.length);
		return frame;
	}

	private List<Thread> proxyThreads() {
		String prefix = "fault-proxy-" + this.proxy.port() + "-";
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(prefix) && thread.isAlive())
			.toList();
	}

	private static String roundTrip(Socket socket, String message) throws IOException {
		write(socket, message);
		return read(socket, message.length());
	}

	private static void write(Socket socket, String message) throws IOException {
		socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
	}

	private static String read(Socket socket, int length) throws IOException {
		byte[] bytes = socket.getInputStream().readNBytes(length);
		return new String(bytes, StandardCharsets.US_ASCII);
	}

	private static void assertSilent(Socket socket) throws IOException {
		int timeout = socket.getSoTimeout();
		socket.setSoTimeout(SILENCE_TIMEOUT_MILLIS);
		// A timed-out read leaves the socket valid, so it can be read again afterwards
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
		socket.setSoTimeout(timeout);
	}

	private void assertRefused() throws IOException {
		Socket socket;
		try {
			socket = connect();
		}
		catch (SocketException ex) {
			// The reset can arrive before the connect call returns
			return;
		}
		assertBroken(socket);
	}

	private static void assertBroken(Socket socket) throws IOException {
		socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		int read;
		try {
			read = socket.getInputStream().read();
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("Connection is still open", ex);
		}
		catch (IOException ex) {
			return;
		}
		assertThat(read).as("end of stream").isEqualTo(-1);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Ignore
		}
	}

	/**
	 * A client and a server socket connected through a proxy.
	 */
	private record WebSocketLink(FaultProxy proxy, Socket client, Socket server) {

		/**
		 * The server writes bytes, and the client reads them unchanged.
		 */
		void serverSends(byte[] bytes, int offset, int length) throws IOException {
			this.server.getOutputStream().write(bytes, offset, length);
			assertThat(this.client.getInputStream().readNBytes(length))
				.isEqualTo(Arrays.copyOfRange(bytes, offset, offset + length));
		}

	}

	/**
	 * Server that echoes every byte back on every connection, until the client closes
	 * its output.
	 */
	private static final class EchoServer implements AutoCloseable {

		private final ServerSocket serverSocket;

		private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

		private final AtomicInteger accepted = new AtomicInteger();

		EchoServer() {
			try {
				this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			start("echo-acceptor", this::accept);
		}

		int port() {
			return this.serverSocket.getLocalPort();
		}

		int acceptedCount() {
			return this.accepted.get();
		}

		int connectionCount() {
			return this.sockets.size();
		}

		private void accept() {
			while (!this.serverSocket.isClosed()) {
				try {
					Socket socket = this.serverSocket.accept();
					this.accepted.incrementAndGet();
					this.sockets.add(socket);
					start("echo-" + this.accepted.get(), () -> echo(socket));
				}
				catch (IOException ex) {
					// Closed
				}
			}
		}

		private void echo(Socket socket) {
			try (socket) {
				InputStream input = socket.getInputStream();
				OutputStream output = socket.getOutputStream();
				byte[] buffer = new byte[4096];
				int read;
				while ((read = input.read(buffer)) != -1) {
					output.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// Connection reset or server closed
			}
			finally {
				this.sockets.remove(socket);
			}
		}

		private static void start(String name, Runnable task) {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			thread.start();
		}

		@Override
		public void close() {
			closeQuietly(this.serverSocket);
			this.sockets.forEach(FaultProxyTests::closeQuietly);
		}

	}

}
