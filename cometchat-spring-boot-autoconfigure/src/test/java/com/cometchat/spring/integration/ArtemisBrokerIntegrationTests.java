package com.cometchat.spring.integration;

import com.cometchat.spring.test.ArtemisStompBroker;
import com.cometchat.spring.test.TestBroker;

/**
 * The starter against embedded ActiveMQ Artemis, a third-party broker, over its STOMP WebSocket acceptor.
 */
class ArtemisBrokerIntegrationTests extends AbstractBrokerIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new ArtemisStompBroker();
	}

}
