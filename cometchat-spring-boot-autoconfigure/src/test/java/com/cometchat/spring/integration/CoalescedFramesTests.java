package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.SentMessage;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.SpringStompBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Frames that queue up behind the connection's writer go to a real broker several to a WebSocket message: Spring's
 * broker on Tomcat, whose WebSocket server takes at most 8 KiB in one text message by default, reads every one of them,
 * in order, and counts far fewer messages than frames; with coalescing off it counts one message per frame.
 */
class CoalescedFramesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int MESSAGES = 300;

	private final SpringStompBroker broker = new SpringStompBroker();

	private final List<Runnable> cleanUp = new ArrayList<>();

	private final ExecutorService io = Executors.newFixedThreadPool(4);

	private final Gate gate = new Gate(this.io);

	private final List<String> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startBroker() {
		this.broker.addUser("alice", "alice-token").addUser("bob", "bob-token");
		this.broker.start();
	}

	@AfterEach
	void stop() {
		for (int i = this.cleanUp.size() - 1; i >= 0; i--) {
			this.cleanUp.get(i).run();
		}
		this.io.shutdownNow();
		this.broker.close();
	}

	@Test
	void aBurstOfSendsGoesOutInFewMessagesEachWithinTheLimitAndArrivesWholeAndInOrder() throws Exception {
		long written = sendBurst(alice(8 * 1024));
		assertThat(written).as("WebSocket messages for %d SEND frames", MESSAGES).isLessThan(MESSAGES / 5);
		assertThat(this.broker.sessions().largestInboundMessage()).isLessThanOrEqualTo(8 * 1024);
	}

	@Test
	void withCoalescingOffEveryFrameIsAMessageOfItsOwn() throws Exception {
		long written = sendBurst(alice(0));
		assertThat(written).isGreaterThanOrEqualTo(MESSAGES);
	}

	/**
	 * Hold alice's writer (a turn of it waits at the gate), hand it {@link #MESSAGES} sends, let it go, and return how
	 * many WebSocket messages with {@code SEND} frames the broker read meanwhile.
	 */
	private long sendBurst(DefaultCometChatClient alice) throws Exception {
		DefaultCometChatClient bob = client(CometChatClient.builder()
			.url(URI.create(this.broker.url()))
			.appId("coalesce")
			.sessionStore(new InMemorySessionStore())
			.build());
		bob.addMessageListener("inbox", (ChatMessage message) -> this.received.add(message.text()));
		bob.login("bob", "bob-token").get();
		alice.login("alice", "alice-token").get();
		await().atMost(TIMEOUT).until(() -> alice.getConnectionState() == ConnectionState.CONNECTED
				&& this.broker.subscriptions("bob").size() > 0);
		long before = this.broker.sessions().inboundMessagesWith("SEND");
		this.gate.close();
		// A frame the loop hands to the writer: its turn waits at the gate, so no send can find the writer idle and
		// write itself (a lone send does)
		alice.joinGroup("lobby");
		await().atMost(TIMEOUT).until(this.gate::holds);
		List<String> texts = new ArrayList<>();
		List<CompletableFuture<SentMessage>> sends = new ArrayList<>();
		for (int i = 0; i < MESSAGES; i++) {
			String text = i + ":" + "x".repeat(500);
			texts.add(text);
			sends.add(alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", text)));
		}
		assertThat(sends).as("held behind the writer").noneMatch(CompletableFuture::isDone);
		this.gate.open();
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(),
				java.util.concurrent.TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> this.received.size() >= MESSAGES);
		assertThat(this.received).containsExactlyElementsOf(texts);
		return this.broker.sessions().inboundMessagesWith("SEND") - before;
	}

	private DefaultCometChatClient alice(int frameCoalescingLimit) {
		WebSocketClients.Created webSocket = WebSocketClients.create(WebSocketClientType.JETTY, 64 * 1024, null, 2);
		this.cleanUp.add(webSocket.stop());
		return client(CometChatClient.builder()
			.url(URI.create(this.broker.url()))
			.appId("coalesce")
			.sessionStore(new InMemorySessionStore())
			.receipts(false)
			.frameCoalescingLimit(frameCoalescingLimit)
			.webSocketClient(webSocket.client())
			.ioExecutor(this.gate)
			.build());
	}

	private DefaultCometChatClient client(DefaultCometChatClient client) {
		this.cleanUp.add(client::close);
		return client;
	}

	/**
	 * Passes tasks on, or holds them while closed: alice's writer cannot write while the test hands it sends.
	 */
	private static final class Gate implements Executor {

		private final Executor delegate;

		private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();

		private volatile boolean closed;

		Gate(Executor delegate) {
			this.delegate = delegate;
		}

		@Override
		public synchronized void execute(Runnable task) {
			if (this.closed) {
				this.held.add(task);
			}
			else {
				this.delegate.execute(task);
			}
		}

		synchronized void close() {
			this.closed = true;
		}

		boolean holds() {
			return !this.held.isEmpty();
		}

		synchronized void open() {
			this.closed = false;
			Runnable task;
			while ((task = this.held.poll()) != null) {
				this.delegate.execute(task);
			}
		}

	}

}
