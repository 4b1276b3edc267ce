package com.cometchat.spring.integration;

import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.test.RabbitMqStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messaging through the machine's RabbitMQ with Web-STOMP ({@code -Pit}): round trips, exact subscriptions after 20
 * restarts, durable group subscriptions, and nothing lost or doubled across 20 broker restarts under load.
 */
class RabbitMqMessagingIT extends AbstractMessagingIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new RabbitMqStompBroker();
	}

	@Test
	void aDurableGroupSubscriptionKeepsMessagesSentWhileTheSocketIsDown() throws Exception {
		String group = "durable-" + this.run;
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect(broker(), "bob", (builder) -> builder.durableSubscriptions(true));
		Inbox bobs = inbox(bob);
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker().subscriptions(uid("bob")).size() == 2);
		bob.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "while you were away"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "in your inbox"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(bobs.messages()).isEmpty();
		bob.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == 2);
		assertThat(bobs.texts()).containsExactlyInAnyOrder("while you were away", "in your inbox");
		bob.leaveGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
