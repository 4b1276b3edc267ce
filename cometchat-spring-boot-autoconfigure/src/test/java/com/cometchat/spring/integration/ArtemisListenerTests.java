package com.cometchat.spring.integration;

import com.cometchat.spring.test.ArtemisStompBroker;
import com.cometchat.spring.test.TestBroker;

/**
 * {@code @CometChatListener} methods through embedded ActiveMQ Artemis.
 */
class ArtemisListenerTests extends AbstractListenerIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new ArtemisStompBroker();
	}

}
