package com.cometchat.spring.integration;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.SentMessage;
import com.cometchat.spring.test.RabbitMqStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Messaging through the machine's RabbitMQ with Web-STOMP ({@code -Pit}): round trips, exact subscriptions after 20
 * restarts, durable group subscriptions (kept while the socket is down, deleted on leave), and nothing lost or doubled
 * across 20 broker restarts under load.
 */
class RabbitMqMessagingIT extends AbstractDurableMessagingIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new RabbitMqStompBroker();
	}

	@Test
	void rabbitMqVouchesForTheSenderAndAForgedSenderIsShownUnverifiedOrDropped() throws Exception {
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect(broker(), "bob", (builder) -> builder.senderVerification("user-id", false));
		DefaultCometChatClient carol = connect(broker(), "carol", (builder) -> builder.senderVerification("user-id", true));
		Inbox bobs = inbox(bob);
		Inbox carols = inbox(carol);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "from alice"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("carol"), "from alice"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		// Mallory writes alice as the sender; RabbitMQ stamps (and checks) who mallory is
		for (String to : new String[] { uid("bob"), uid("carol") }) {
			publishAs("mallory", "/queue/cometchat.it.user." + to, Map.of(),
					"{\"kind\":\"message\",\"v\":1,\"id\":\"" + UUID.randomUUID() + "\",\"sender\":\"" + uid("alice")
							+ "\",\"receiverType\":\"user\",\"receiver\":\"" + to
							+ "\",\"type\":\"text\",\"text\":\"forged\",\"sentAt\":\"2026-12-01T10:00:00Z\"}");
		}
		SentMessage last = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("carol"), "last"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == 2);
		assertThat(bobs.messages()).extracting(ChatMessage::text, ChatMessage::senderVerified)
			.containsExactlyInAnyOrder(tuple("from alice", true), tuple("forged", false));
		await().atMost(TIMEOUT).until(() -> carols.messages().stream().anyMatch((m) -> m.id().equals(last.id())));
		assertThat(carols.texts()).containsExactly("from alice", "last");
	}

	@Test
	void nothingIsLostOrDoubledAcross20BrokerRestartsUnderLoad() throws Exception {
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect("bob");
		LoadResult result = sendThroughDrops(broker(), alice, bob, uid("bob"), 20, broker()::dropConnections);
		System.out.println("20 RabbitMQ restarts at 50 msg/s: " + result);
		assertThat(result.received()).isGreaterThan(20 * 10);
		assertThat(broker().subscriptions(uid("bob"))).hasSize(1);
	}

}
