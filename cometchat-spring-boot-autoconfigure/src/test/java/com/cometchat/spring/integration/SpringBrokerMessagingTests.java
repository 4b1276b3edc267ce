package com.cometchat.spring.integration;

import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TestBroker;

/**
 * Messaging through Spring's simple STOMP broker. It keeps nothing for a client that is away, so delivery through
 * drops is tested on Artemis and RabbitMQ.
 */
class SpringBrokerMessagingTests extends AbstractMessagingIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new SpringStompBroker();
	}

}
