package com.cometchat.spring.integration;

import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.test.RabbitMqStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
	void nothingIsLostOrDoubledAcross20BrokerRestartsUnderLoad() throws Exception {
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect("bob");
		LoadResult result = sendThroughDrops(broker(), alice, bob, uid("bob"), 20, broker()::dropConnections);
		System.out.println("20 RabbitMQ restarts at 50 msg/s: " + result);
		assertThat(result.received()).isGreaterThan(20 * 10);
		assertThat(broker().subscriptions(uid("bob"))).hasSize(1);
	}

}
