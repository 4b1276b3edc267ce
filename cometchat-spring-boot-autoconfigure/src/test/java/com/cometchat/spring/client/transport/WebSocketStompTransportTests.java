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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

	/** The writers' time: it moves only when a test moves it. */
	private final java.util.concurrent.atomic.AtomicLong nanoTime = new java.util.concurrent.atomic.AtomicLong();

	private WebSocketStompTransport transport(TaskScheduler scheduler, Duration outgoingHeartbeat,
			java.util.concurrent.Executor io) {
		return transport(scheduler, outgoingHeartbeat, io, this.nanoTime::get);
	}

	private WebSocketStompTransport transport(TaskScheduler scheduler, Duration outgoingHeartbeat,
			java.util.concurrent.Executor io, java.util.function.LongSupplier nanoTime) {
		return new WebSocketStompTransport(() -> this.webSocketClient, scheduler,
				new WebSocketStompTransport.Settings(URL, "/", outgoingHeartbeat, Duration.ZERO, 64 * 1024,
						Duration.ofSeconds(15), Map.of(), Duration.ZERO),
				io, nanoTime);
	}

	private WebSocketStompTransport transport(TaskScheduler scheduler, java.util.concurrent.Executor io,
			Duration acknowledgeDelay) {
		return new WebSocketStompTransport(() -> this.webSocketClient, scheduler,
				new WebSocketStompTransport.Settings(URL, "/", Duration.ZERO, Duration.ZERO, 64 * 1024,
						Duration.ofSeconds(15), Map.of(), Duration.ZERO,
						WebSocketStompTransport.Settings.DEFAULT_FRAME_COALESCING_LIMIT, acknowledgeDelay),
				io, this.nanoTime::get);
	}

	private void idleFor(long nanos) {
		this.nanoTime.addAndGet(nanos);
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
	void aSendHandedOverInsideWriteOnCallingThreadIsWrittenByTheCallerWhenNoOtherThreadIsWriting() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), Duration.ZERO, io), io);
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS);
		CompletableFuture<Void> send = connection.writeOnCallingThread(
				() -> connection.send("/queue/bob", Map.of(), "hi".getBytes(StandardCharsets.UTF_8), null));
		assertThat(this.socket.sent).hasSize(2);
		assertThat(this.socket.sent.get(1).text()).startsWith("SEND\n").endsWith("hi\0");
		assertThat(this.socket.sent.get(1).thread()).isEqualTo(Thread.currentThread().getName());
		assertThat(send).isCompleted();
		assertThat(io.tasks).as("nothing handed to the I/O pool").isEmpty();
	}

	@Test
	void aCallerThatComesSoonerAfterTheLastWriteThanTheIdleTimeLeavesItsFrameToTheWriterAsInABurst()
			throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), Duration.ZERO, io), io);
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS);
		connection.writeOnCallingThread(() -> connection.send("/queue/bob", Map.of(), new byte[] { 'a' }, null));
		assertThat(this.socket.sent).as("written by the caller").hasSize(2);
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS - 1);
		CompletableFuture<Void> second = connection
			.writeOnCallingThread(() -> connection.send("/queue/bob", Map.of(), new byte[] { 'b' }, null));
		CompletableFuture<Void> third = connection
			.writeOnCallingThread(() -> connection.send("/queue/bob", Map.of(), new byte[] { 'c' }, null));
		assertThat(this.socket.sent).as("handed to the writer").hasSize(2);
		assertThat(List.of(second, third)).noneMatch(CompletableFuture::isDone);
		io.runAll();
		assertThat(this.socket.sent).as("in one message").hasSize(3);
		assertThat(this.socket.sent.get(2).text()).containsSubsequence("\n\nb\0", "\n\nc\0");
		assertThat(List.of(second, third)).allMatch(CompletableFuture::isDone);
	}

	@Test
	void whileAnotherThreadIsWritingTheFrameOfWriteOnCallingThreadGoesOutAfterTheFramesBeforeIt() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), Duration.ZERO, io), io);
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS);
		CompletableFuture<Void> first = connection.send("/queue/bob", Map.of(), new byte[] { 'a' }, null);
		CompletableFuture<Void> second = connection.writeOnCallingThread(
				() -> connection.send("/queue/bob", Map.of(), new byte[] { 'b' }, null));
		assertThat(this.socket.sent).as("the writer's turn is handed over: it writes both").hasSize(1);
		assertThat(second).isNotDone();
		io.runAll();
		assertThat(this.socket.sent).hasSize(2);
		assertThat(this.socket.sent.get(1).text()).containsSubsequence("\n\na\0", "\n\nb\0");
		assertThat(List.of(first, second)).allMatch(CompletableFuture::isDone);
	}

	@Test
	void withNoDelayAnAckIsWrittenByTheThreadThatReadTheMessageWhenNoOtherThreadIsWriting() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = connected(transport(new VirtualScheduler(), io, Duration.ZERO), io);
		connection.subscribe("inbox", "/queue/alice", Map.of());
		io.runAll();
		assertThat(this.socket.sent).hasSize(2);
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS);
		this.webSocketClient.handler.handleMessage(this.socket, new TextMessage(
				"MESSAGE\nsubscription:inbox\nmessage-id:m1\nack:a1\ndestination:/queue/alice\n\nhi\0"));
		assertThat(this.socket.sent).hasSize(3);
		assertThat(this.socket.sent.get(2).text()).startsWith("ACK\n").contains("id:a1\n");
		assertThat(this.socket.sent.get(2).thread()).isEqualTo(Thread.currentThread().getName());
		assertThat(io.tasks).isEmpty();
	}

	@Test
	void heldAcksAreWrittenTogetherByTheWriterOnceTheDelayIsOver() throws Exception {
		VirtualScheduler scheduler = new VirtualScheduler();
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = subscribedConnection(scheduler, io, Duration.ofMillis(1));
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS);
		for (int i = 1; i <= 3; i++) {
			receive("m" + i, "a" + i, "hi");
		}
		assertThat(this.socket.sent).as("held: nothing written yet").hasSize(2);
		assertThat(io.tasks).as("nor handed to the writer").isEmpty();
		scheduler.advance(Duration.ofNanos(999_999));
		assertThat(io.tasks).isEmpty();
		scheduler.advance(Duration.ofNanos(1));
		assertThat(this.socket.sent).as("the timer only wakes the writer").hasSize(2);
		io.runAll();
		assertThat(this.socket.sent).hasSize(3);
		assertThat(ackIds(this.socket.sent.get(2).text())).containsExactly("a1", "a2", "a3");
		assertThat(scheduler.pendingTasks()).isZero();
	}

	@Test
	void heldAcksGoOutInTheSameWebSocketMessageAsTheNextFramesAndTheTimerThenWritesNothing() throws Exception {
		VirtualScheduler scheduler = new VirtualScheduler();
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = subscribedConnection(scheduler, io, Duration.ofMillis(1));
		receive("m1", "a1", "hi");
		receive("m2", "a2", "hi");
		connection.send("/queue/bob", Map.of(), "reply".getBytes(StandardCharsets.UTF_8), null);
		io.runAll();
		assertThat(this.socket.sent).hasSize(3);
		String written = this.socket.sent.get(2).text();
		assertThat(written).startsWith("SEND\n").containsSubsequence("reply\0", "ACK\n");
		assertThat(ackIds(written)).containsExactly("a1", "a2");
		scheduler.advance(Duration.ofMillis(1));
		assertThat(io.tasks).as("nothing left for the timer's turn").isEmpty();
		assertThat(this.socket.sent).hasSize(3);
	}

	@Test
	void theReadingThreadWritesTheHeldAcksAtOnceWhenTheyStandForTheByteLimit() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = subscribedConnection(new VirtualScheduler(), io, Duration.ofSeconds(10));
		idleFor(WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS);
		String body = "x".repeat(1000);
		int read = 0;
		while (this.socket.sent.size() == 2) {
			read++;
			receive("m" + read, "a" + read, body);
			assertThat(read).as("written before the held ACKs stand for the limit").isLessThanOrEqualTo(
					WebSocketStompTransport.HELD_ACK_BYTES_LIMIT / body.length());
		}
		assertThat(read).as("held until then").isGreaterThan(1);
		assertThat(this.socket.sent.get(2).thread()).isEqualTo(Thread.currentThread().getName());
		assertThat(ackIds(this.socket.sent.get(2).text()))
			.containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, read).mapToObj((i) -> "a" + i).toList());
		assertThat(io.tasks).isEmpty();
	}

	@Test
	void aGracefulCloseWritesTheHeldAcksBeforeDisconnect() throws Exception {
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = subscribedConnection(new VirtualScheduler(), io, Duration.ofSeconds(10));
		receive("m1", "a1", "hi");
		connection.close();
		io.runAll();
		String written = this.socket.sent.stream().map(Written::text).reduce("", String::concat);
		assertThat(written).containsSubsequence("SUBSCRIBE\n", "ACK\n", "DISCONNECT\n");
		assertThat(ackIds(written)).containsExactly("a1");
	}

	@Test
	void theHeldAcksOfAConnectionThatWasAbortedAreNeverWrittenSoTheBrokerDeliversThoseMessagesAgain()
			throws Exception {
		VirtualScheduler scheduler = new VirtualScheduler();
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = subscribedConnection(scheduler, io, Duration.ofMillis(1));
		receive("m1", "a1", "hi");
		connection.abort();
		scheduler.advance(Duration.ofMillis(1));
		io.runAll();
		assertThat(this.socket.sent).extracting(Written::text).noneMatch((text) -> text.contains("ACK\n"));
	}

	@Test
	void aMessageTheListenerDidNotTakeIsNeverAcknowledgedHeldOrNot() throws Exception {
		VirtualScheduler scheduler = new VirtualScheduler();
		HeldExecutor io = new HeldExecutor();
		TransportConnection connection = subscribedConnection(scheduler, io, Duration.ofMillis(1));
		receive("m1", "a1", "hi");
		this.listener.take = false;
		receive("m2", "a2", "hi");
		this.listener.take = true;
		receive("m3", "a3", "hi");
		scheduler.advance(Duration.ofMillis(1));
		io.runAll();
		assertThat(ackIds(this.socket.sent.get(2).text())).containsExactly("a1", "a3");
	}

	/**
	 * A connection with the given {@code ACK} delay, subscribed to alice's inbox as {@code inbox}.
	 */
	private TransportConnection subscribedConnection(VirtualScheduler scheduler, HeldExecutor io,
			Duration acknowledgeDelay) throws Exception {
		TransportConnection connection = connected(transport(scheduler, io, acknowledgeDelay), io);
		connection.subscribe("inbox", "/queue/alice", Map.of());
		io.runAll();
		assertThat(this.socket.sent).hasSize(2);
		return connection;
	}

	private void receive(String messageId, String ack, String body) throws Exception {
		this.webSocketClient.handler.handleMessage(this.socket, new TextMessage("MESSAGE\nsubscription:inbox\nmessage-id:"
				+ messageId + "\nack:" + ack + "\ndestination:/queue/alice\n\n" + body + "\0"));
	}

	/** The ids of the ACK frames in what was written, in order. */
	private static List<String> ackIds(String written) {
		return java.util.Arrays.stream(written.split("\0"))
			.map(String::stripLeading)
			.filter((frame) -> frame.startsWith("ACK\n"))
			.map((frame) -> frame.lines().filter((line) -> line.startsWith("id:")).findFirst().orElseThrow().substring(3))
			.toList();
	}

	@ParameterizedTest(name = "ACK delay {0} ms")
	@ValueSource(longs = { 0, 1 })
	void framesFromManyThreadsThatMayWriteThemselvesArriveOnceEachInEachThreadsOrderOneWriteAtATime(
			long acknowledgeDelayMillis) throws Exception {
		ExecutorService io = Executors.newFixedThreadPool(2, (task) -> new Thread(task, "test-io"));
		ExecutorService callers = Executors.newFixedThreadPool(5);
		this.cleanUp.add(io::shutdownNow);
		this.cleanUp.add(callers::shutdownNow);
		// Each look at the time finds the writer idle long enough about half the time; which thread writes what is
		// left to chance (the tests above pin each way), what must hold whoever writes is checked below
		java.util.function.LongSupplier jumpy = () -> this.nanoTime.addAndGet(java.util.concurrent.ThreadLocalRandom
			.current()
			.nextLong(2 * WebSocketStompTransport.CALLER_WRITES_AFTER_IDLE_NANOS));
		VirtualScheduler scheduler = new VirtualScheduler();
		TransportConnection connection = new WebSocketStompTransport(() -> this.webSocketClient, scheduler,
				new WebSocketStompTransport.Settings(URL, "/", Duration.ZERO, Duration.ZERO, 64 * 1024,
						Duration.ofSeconds(15), Map.of(), Duration.ZERO,
						WebSocketStompTransport.Settings.DEFAULT_FRAME_COALESCING_LIMIT,
						Duration.ofMillis(acknowledgeDelayMillis)),
				io, jumpy)
			.open(new Credentials("alice", "alice-token"), this.listener);
		OneWriterSocket socket = new OneWriterSocket();
		this.webSocketClient.handler.afterConnectionEstablished(socket);
		this.webSocketClient.handshake.complete(socket);
		await().until(() -> !socket.sent.isEmpty());
		this.webSocketClient.handler.handleMessage(socket, new TextMessage("CONNECTED\nversion:1.2\n\n\0"));
		connection.subscribe("inbox", "/queue/alice", Map.of());
		await().until(() -> socket.frames().stream().anyMatch((frame) -> frame.startsWith("SUBSCRIBE")));
		int threads = 4;
		int sends = 300;
		List<CompletableFuture<?>> done = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			done.add(CompletableFuture.runAsync(() -> {
				List<CompletableFuture<Void>> writes = new ArrayList<>();
				for (int i = 0; i < sends; i++) {
					byte[] body = ("t" + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
					// Every other send the caller offers to write itself, as the client's fast lane does
					writes.add(((i + thread) % 2 == 0)
							? connection.writeOnCallingThread(() -> connection.send("/queue/bob", Map.of(), body, null))
							: connection.send("/queue/bob", Map.of(), body, null));
					if (i % 10 == 9) {
						// A pause in the flood, so that the writer goes idle now and then and a caller may write
						writes.get(i).join();
					}
				}
				writes.forEach(CompletableFuture::join);
			}, callers));
		}
		// The reading thread: each message's ACK is written by it or by the thread writing at the time, or (held) with
		// the writer's next frames, by the reading thread once they stand for the byte limit, or when the delay is over
		done.add(CompletableFuture.runAsync(() -> {
			for (int i = 0; i < sends; i++) {
				try {
					this.webSocketClient.handler.handleMessage(socket, new TextMessage("MESSAGE\nsubscription:inbox\n"
							+ "message-id:m" + i + "\nack:a" + i + "\ndestination:/queue/alice\n\nx\0"));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}, callers));
		CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
		scheduler.advance(Duration.ofMillis(acknowledgeDelayMillis));
		await().until(() -> socket.frames().stream().filter((frame) -> frame.startsWith("ACK")).count() == sends);
		assertThat(socket.overlapped).as("two threads wrote to the socket at once").isFalse();

		List<String> frames = socket.frames();
		for (int t = 0; t < threads; t++) {
			String prefix = "t" + t + "-";
			List<String> bodies = frames.stream()
				.filter((frame) -> frame.startsWith("SEND"))
				.map((frame) -> frame.substring(frame.indexOf("\n\n") + 2))
				.filter((body) -> body.startsWith(prefix))
				.toList();
			assertThat(bodies).as("thread %d's sends", t)
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, sends).mapToObj((i) -> prefix + i).toList());
		}
		assertThat(frames.stream().filter((frame) -> frame.startsWith("ACK")).map((frame) -> frame.split("\n")[1]))
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, sends).mapToObj((i) -> "id:a" + i).toList());
		assertThat(this.listener.failures).isEmpty();
	}

	/**
	 * A socket that notices two writes at once.
	 */
	static final class OneWriterSocket extends FakeSocket {

		private final java.util.concurrent.atomic.AtomicInteger writing = new java.util.concurrent.atomic.AtomicInteger();

		volatile boolean overlapped;

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			if (this.writing.incrementAndGet() != 1) {
				this.overlapped = true;
			}
			try {
				Thread.yield();
				super.sendMessage(message);
			}
			finally {
				this.writing.decrementAndGet();
			}
		}

		/** Every STOMP frame written, heart-beats left out, in order. */
		List<String> frames() {
			List<String> frames = new ArrayList<>();
			for (Written written : this.sent) {
				for (String frame : written.text().split("\0")) {
					String trimmed = frame.stripLeading();
					if (!trimmed.isEmpty()) {
						frames.add(trimmed);
					}
				}
			}
			return frames;
		}

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
	static class FakeSocket implements WebSocketSession {

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

		final java.util.Queue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();

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

		/** Whether messages are taken (and so acknowledged). */
		volatile boolean take = true;

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
			return this.take;
		}

	}

}
