package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.FaultProxy;
import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TcpSockets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * A link that goes silent (a blackhole between client and broker): once the client decides the connection is dead,
 * it drops the socket at once instead of waiting for a close handshake nobody answers, so the socket leaves the
 * client's own TCP stack, a new one is the only one, and messages flow again as soon as the link is back. On the
 * WebSocket client the starter ships (Jetty's), with the operating system's socket table as the witness.
 */
class SilentDropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void aSilentlyDroppedSocketIsAbortedAndNeverOpenBesideTheNextOne() throws Exception {
		assumeTrue(TcpSockets.available(), "needs /proc/net/tcp");
		// Heart-beats every 500 ms both ways: the client takes a silent link for dead after 1.5 to 2.25 s
		try (SpringStompBroker broker = new SpringStompBroker("stomp-broker.heartbeat=500,500").addUser("alice", "alice-token")
			.addUser("bob", "bob-token")) {
			broker.start();
			URI brokerUrl = URI.create(broker.url());
			try (FaultProxy proxy = new FaultProxy(brokerUrl.getHost(), brokerUrl.getPort())) {
				List<ChatMessage> received = new CopyOnWriteArrayList<>();
				DefaultCometChatClient alice = client(proxy.url("/ws"));
				DefaultCometChatClient bob = client(broker.url());
				Set<Integer> sockets = ConcurrentHashMap.newKeySet();
				ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
				try {
					alice.addMessageListener("test", received::add);
					alice.login("alice", "alice-token").get(20, TimeUnit.SECONDS);
					bob.login("bob", "bob-token").get(20, TimeUnit.SECONDS);
					List<Integer> before = TcpSockets.establishedTo(proxy.port());
					assertThat(before).hasSize(1);
					AtomicInteger mostAtOnce = new AtomicInteger(before.size());
					sampler.scheduleAtFixedRate(() -> {
						List<Integer> now = TcpSockets.establishedTo(proxy.port());
						sockets.addAll(now);
						mostAtOnce.accumulateAndGet(now.size(), Math::max);
					}, 0, 20, TimeUnit.MILLISECONDS);
					proxy.blackhole();
					await().atMost(TIMEOUT).until(() -> alice.getConnectionState() != ConnectionState.CONNECTED);
					// The dead socket leaves the client's TCP stack
					await().atMost(Duration.ofSeconds(5))
						.until(() -> !TcpSockets.establishedTo(proxy.port()).contains(before.get(0)));
					proxy.normal();
					await().atMost(TIMEOUT).until(() -> alice.getConnectionState() == ConnectionState.CONNECTED);
					bob.sendMessage(OutgoingMessage.text(ReceiverType.USER, "alice", "back")).get(20, TimeUnit.SECONDS);
					await().atMost(TIMEOUT).until(() -> received.size() == 1);
					sampler.shutdown();
					sampler.awaitTermination(5, TimeUnit.SECONDS);
					assertThat(mostAtOnce.get()).as("sockets of one client established at once").isEqualTo(1);
					assertThat(sockets).as("a new socket was opened").hasSizeGreaterThan(1);
				}
				finally {
					sampler.shutdownNow();
					alice.close();
					bob.close();
				}
			}
		}
	}

	private static DefaultCometChatClient client(String url) {
		DefaultCometChatClient client = CometChatClient.builder()
			.url(URI.create(url))
			.appId("silent")
			.heartbeat(Duration.ofMillis(500), Duration.ofMillis(500))
			.sessionStore(new InMemorySessionStore())
			.build();
		client.start();
		return client;
	}

}
