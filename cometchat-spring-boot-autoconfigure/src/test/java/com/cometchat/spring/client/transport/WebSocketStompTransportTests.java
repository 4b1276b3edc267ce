package com.cometchat.spring.client.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.test.VirtualScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the lifecycle and the writer of {@link WebSocketStompTransport}'s connections, on a WebSocket client whose
 * handshake and socket the test plays by hand.
 */
class WebSocketStompTransportTests {

	private static final URI URL = URI.create("ws://broker.test/ws");

	private final HandPlayedClient webSocketClient = new HandPlayedClient();

	private final RecordingListener listener = new RecordingListener();

	private final List<Runnable> cleanUp = new ArrayList<>();

	@AfterEach
	void cleanUp() {
		this.cleanUp.forEach(Runnable::run);
	}

	private WebSocketStompTransport transport(TaskScheduler scheduler, Duration outgoingHeartbeat,
			java.util.concurrent.Executor io) {
		return new WebSocketStompTransport(this.webSocketClient, scheduler, new WebSocketStompTransport.Settings(URL,
				"/", outgoingHeartbeat, Duration.ZERO, 64 * 1024, Duration.ofSeconds(15), Map.of(), Duration.ZERO), io);
	}

	@Test
	void aCloseThatOvertakesTheHandshakeDropsTheSocketBeforeConnectGoesOut() throws Exception {
		TransportConnection connection = transport(new VirtualScheduler(), Duration.ZERO, Runnable::run)
			.open(new Credentials("alice", "alice-token"), this.listener);
		CompletableFuture<Void> closed = connection.close();
		FakeSocket socket = new FakeSocket();
		this.webSocketClient.handler.afterConnectionEstablished(socket);
		this.webSocketClient.handshake.complete(socket);
		assertThat(socket.sent).as("no CONNECT on a socket closed before it opened").isEmpty();
		assertThat(socket.closedWith).as("dropped as soon as it opened").isNotNull();
		assertThat(closed).as("closed once the socket is gone, not before").isNotDone();
		this.webSocketClient.handler.afterConnectionClosed(socket, CloseStatus.GOING_AWAY);
		assertThat(closed).isCompleted();
		assertThat(this.listener.connected).isZero();
	}

	@Test
	void anAbortWhileOpeningDropsTheSocketAsSoonAsItOpens() throws Exception {
		TransportConnection connection = transport(new VirtualScheduler(), Duration.ZERO, Runnable::run)
			.open(new Credentials("alice", "alice-token"), this.listener);
		CompletableFuture<Void> aborted = connection.abort();
		FakeSocket socket = new FakeSocket();
		this.webSocketClient.handler.afterConnectionEstablished(socket);
		assertThat(socket.sent).isEmpty();
		assertThat(socket.closedWith).isNotNull();
		this.webSocketClient.handler.afterConnectionClosed(socket, CloseStatus.GOING_AWAY);
		assertThat(aborted).isCompleted();
	}

	@Test
	void aConnectionWhoseHandshakeFailedIsClosed() {
		TransportConnection connection = transport(new VirtualScheduler(), Duration.ZERO, Runnable::run)
			.open(new Credentials("alice", "alice-token"), this.listener);
		this.webSocketClient.handshake.completeExceptionally(new IllegalStateException("refused"));
		assertThat(connection.close()).isCompleted();
	}

	@Test
	void everyFrameHeartBeatsIncludedIsWrittenByTheConnectionsWriterNeverByTheSchedulerOrTheCaller()
			throws Exception {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("test-scheduler-");
		scheduler.initialize();
		ExecutorService io = Executors.newSingleThreadExecutor((task) -> new Thread(task, "test-io"));
		this.cleanUp.add(scheduler::shutdown);
		this.cleanUp.add(io::shutdownNow);
		WebSocketStompTransport transport = transport(scheduler, Duration.ofMillis(50), io);
		this.cleanUp.add(transport.getStompClient()::stop);
		transport.open(new Credentials("alice", "alice-token"), this.listener);
		FakeSocket socket = new FakeSocket();
		this.webSocketClient.handler.afterConnectionEstablished(socket);
		this.webSocketClient.handshake.complete(socket);
		await().until(() -> !socket.sent.isEmpty());
		// The broker answers, and asks for heart-beats every 50 ms
		this.webSocketClient.handler.handleMessage(socket, new TextMessage("CONNECTED\nversion:1.2\nheart-beat:0,50\n\n\0"));
		await().until(() -> this.listener.connected == 1);
		await().until(() -> socket.sent.size() >= 4);
		// A copy: heart-beats go on being written while the test reads
		List<Written> sent = List.copyOf(socket.sent);
		assertThat(sent.get(0).text()).startsWith("CONNECT");
		assertThat(sent.subList(1, sent.size())).extracting(Written::text).contains("\n");
		assertThat(sent).extracting(Written::thread).containsOnly("test-io");
	}

	@Test
	void connectCarriesTheClientIdOfTheCredentials() throws Exception {
		transport(new VirtualScheduler(), Duration.ZERO, Runnable::run)
			.open(new Credentials("alice", "alice-token", "cometchat-app-alice"), this.listener);
		FakeSocket socket = open();
		assertThat(socket.sent.get(0).text()).startsWith("CONNECT\n").contains("\nclient-id:cometchat-app-alice\n");
	}

	@Test
	void connectWithoutAClientIdSendsNone() throws Exception {
		transport(new VirtualScheduler(), Duration.ZERO, Runnable::run).open(new Credentials("alice", "alice-token"),
				this.listener);
		FakeSocket socket = open();
		assertThat(socket.sent.get(0).text()).startsWith("CONNECT\n").doesNotContain("client-id");
	}

	@Test
	void anErrorBeforeConnectedIsARejectionOfTheCredentials() throws Exception {
		transport(new VirtualScheduler(), Duration.ZERO, Runnable::run).open(new Credentials("alice", "alice-token"),
				this.listener);
		FakeSocket socket = open();
		this.webSocketClient.handler.handleMessage(socket, new TextMessage(
				"ERROR\nmessage:Security Error occurred: User name [alice] or password is invalid\n\n\0"));
		await().until(() -> !this.listener.failures.isEmpty());
		assertThat(this.listener.failures.get(0).getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
	}

	@Test
	void aRefusalOfAClientIdStillInUseIsAFailureToConnectNotARejection() throws Exception {
		transport(new VirtualScheduler(), Duration.ZERO, Runnable::run)
			.open(new Credentials("alice", "alice-token", "cometchat-app-alice"), this.listener);
		FakeSocket socket = open();
		// As ActiveMQ Classic words it while the broker still holds a connection of the same client-id
		this.webSocketClient.handler.handleMessage(socket, new TextMessage("ERROR\nmessage:javax.jms."
				+ "InvalidClientIDException: Broker: localhost - Client: cometchat-app-alice already connected from "
				+ "tcp://127.0.0.1:50312\n\n\0"));
		await().until(() -> !this.listener.failures.isEmpty());
		CometChatException failure = this.listener.failures.get(0);
		assertThat(failure.getCode()).isEqualTo(ErrorCode.CONNECT_FAILED);
		assertThat(failure.getMessage()).contains("client-id is still in use").contains("already connected from");
	}

	@Test
	void framesQueuedWhileTheWriterWasBusyGoOutInOneWebSocketMessageAndTheirSendsCompleteOnceItIsWritten()
			throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), Duration.ZERO, io), io);
		FakeSocket socket = this.socket;
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sends.add(connection.send("/queue/bob", Map.of("cometchat-message-id", "m" + i),
					("body " + i).getBytes(StandardCharsets.UTF_8), null));
		}
		assertThat(socket.sent).as("only CONNECT so far").hasSize(1);
		assertThat(sends).as("not written yet").noneMatch(CompletableFuture::isDone);
		io.runAll();
		assertThat(socket.sent).hasSize(2);
		String written = socket.sent.get(1).text();
		assertThat(written.split("\0")).hasSize(3)
			.allSatisfy((frame) -> assertThat(frame).startsWith("SEND\n").contains("destination:/queue/bob"));
		assertThat(written).containsSubsequence("body 0\0", "body 1\0", "body 2\0");
		assertThat(sends).allMatch((send) -> send.isDone() && !send.isCompletedExceptionally());
	}

	@Test
	void aWriteOfSeveralFramesThatFailsFailsEachOfTheirSendsAndReportsTheConnectionLost() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), Duration.ZERO, io), io);
		CompletableFuture<Void> first = connection.send("/queue/bob", Map.of(), new byte[] { 'a' }, null);
		CompletableFuture<Void> second = connection.send("/queue/bob", Map.of(), new byte[] { 'b' }, null);
		this.socket.failWith = new IOException("Broken pipe");
		io.runAll();
		for (CompletableFuture<Void> send : List.of(first, second)) {
			assertThatThrownBy(send::join).cause()
				.isInstanceOfSatisfying(CometChatException.class,
						(failure) -> assertThat(failure.getCode()).isEqualTo(ErrorCode.NOT_CONNECTED))
				.hasMessageContaining("Broken pipe");
		}
		assertThat(this.listener.failures).extracting(CometChatException::getCode)
			.containsExactly(ErrorCode.CONNECTION_LOST);
	}

	@Test
	void withCoalescingOffEachFrameIsAMessageOfItsOwn() throws Exception {
		HeldExecutor io = new HeldExecutor();
		WebSocketStompTransport transport = new WebSocketStompTransport(this.webSocketClient, new VirtualScheduler(),
				new WebSocketStompTransport.Settings(URL, "/", Duration.ZERO, Duration.ZERO, 64 * 1024,
						Duration.ofSeconds(15), Map.of(), Duration.ZERO, 0),
				io);
		TransportConnection connection = connected(transport, io);
		for (int i = 0; i < 3; i++) {
			connection.send("/queue/bob", Map.of(), new byte[] { 'x' }, null);
		}
		io.runAll();
		assertThat(this.socket.sent).hasSize(4)
			.extracting(Written::text)
			.filteredOn((text) -> text.startsWith("SEND"))
			.hasSize(3);
	}

	@Test
	void aGracefulCloseWritesTheFramesOfItsTurnBeforeDisconnect() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), Duration.ZERO, io), io);
		connection.send("/queue/bob", Map.of(), new byte[] { 'x' }, null);
		connection.close();
		io.runAll();
		String written = this.socket.sent.stream().map(Written::text).reduce("", String::concat);
		assertThat(written).containsSubsequence("CONNECT\n", "SEND\n", "DISCONNECT\n");
		assertThat(this.socket.closedWith).isEqualTo(CloseStatus.NORMAL);
	}

	private @Nullable FakeSocket socket;

	/**
	 * Open a connection on a fresh socket, answer its {@code CONNECT} and run the writer until it is connected.
	 */
	private TransportConnection connected(WebSocketStompTransport transport, HeldExecutor io) throws Exception {
		TransportConnection connection = transport.open(new Credentials("alice", "alice-token"), this.listener);
		FakeSocket socket = new FakeSocket();
		this.socket = socket;
		this.webSocketClient.handler.afterConnectionEstablished(socket);
		this.webSocketClient.handshake.complete(socket);
		io.runAll();
		assertThat(socket.sent).extracting(Written::text).singleElement().asString().startsWith("CONNECT");
		this.webSocketClient.handler.handleMessage(socket, new TextMessage("CONNECTED\nversion:1.2\n\n\0"));
		assertThat(this.listener.connected).isOne();
		return connection;
	}

	private FakeSocket open() throws Exception {
		FakeSocket socket = new FakeSocket();
		this.webSocketClient.handler.afterConnectionEstablished(socket);
		this.webSocketClient.handshake.complete(socket);
		await().until(() -> !socket.sent.isEmpty());
		return socket;
	}

	/**
	 * A WebSocket client whose handshake the test completes, and whose handler it drives.
	 */
	static final class HandPlayedClient implements WebSocketClient {

		volatile WebSocketHandler handler;

		final CompletableFuture<WebSocketSession> handshake = new CompletableFuture<>();

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
				@Nullable Object... uriVariables) {
			return execute(handler, null, URI.create(uriTemplate));
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler,
				@Nullable WebSocketHttpHeaders headers, URI uri) {
			this.handler = handler;
			return this.handshake;
		}

	}

	record Written(String text, String thread) {
	}

	/**
	 * A socket that records what is written to it, and by which thread.
	 */
	static final class FakeSocket implements WebSocketSession {

		final List<Written> sent = new CopyOnWriteArrayList<>();

		volatile @Nullable CloseStatus closedWith;

		/** Thrown by the next writes, when set. */
		volatile @Nullable IOException failWith;

		private final Map<String, Object> attributes = new ConcurrentHashMap<>();

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			IOException failure = this.failWith;
			if (failure != null) {
				throw failure;
			}
			String text = (message instanceof TextMessage textMessage) ? textMessage.getPayload()
					: new String(((java.nio.ByteBuffer) message.getPayload()).array(), StandardCharsets.UTF_8);
			this.sent.add(new Written(text, Thread.currentThread().getName()));
		}

		@Override
		public void close() {
			close(CloseStatus.NORMAL);
		}

		@Override
		public void close(CloseStatus status) {
			this.closedWith = status;
		}

		@Override
		public boolean isOpen() {
			return this.closedWith == null;
		}

		@Override
		public String getId() {
			return "fake";
		}

		@Override
		public URI getUri() {
			return URL;
		}

		@Override
		public HttpHeaders getHandshakeHeaders() {
			return new HttpHeaders();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public @Nullable Principal getPrincipal() {
			return null;
		}

		@Override
		public @Nullable InetSocketAddress getLocalAddress() {
			return null;
		}

		@Override
		public @Nullable InetSocketAddress getRemoteAddress() {
			return null;
		}

		@Override
		public @Nullable String getAcceptedProtocol() {
			return null;
		}

		@Override
		public void setTextMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getTextMessageSizeLimit() {
			return 64 * 1024;
		}

		@Override
		public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getBinaryMessageSizeLimit() {
			return 64 * 1024;
		}

		@Override
		public List<WebSocketExtension> getExtensions() {
			return List.of();
		}

	}

	/**
	 * Runs what it was given only when the test says so, on the test's thread.
	 */
	static final class HeldExecutor implements java.util.concurrent.Executor {

		private final java.util.Queue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
		}

	}

	static final class RecordingListener implements TransportListener {

		volatile int connected;

		final List<CometChatException> failures = new CopyOnWriteArrayList<>();

		@Override
		public void onConnected() {
			this.connected++;
		}

		@Override
		public void onFailure(CometChatException error) {
			this.failures.add(error);
		}

		@Override
		public boolean onMessage(String subscriptionId, Map<String, String> headers, byte[] payload) {
			return true;
		}

	}

}
