package com.cometchat.spring.integration;

import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TestBroker;

/**
 * {@code @CometChatListener} methods through Spring's simple STOMP broker.
 */
class SpringBrokerListenerTests extends AbstractListenerIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new SpringStompBroker();
	}

}
