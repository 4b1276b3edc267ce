package com.cometchat.spring.integration;

import java.util.ArrayList;
import java.util.List;

import com.cometchat.spring.session.JdbcSessionStore;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of {@link AbstractBrokerIntegrationTests} (log in, restart from the saved session, log out, a row
 * saved with another key...) with the plain-JDBC session store ({@code cometchat.session.store=jdbc}) on an H2 file
 * database, against Spring's simple STOMP broker.
 */
class SpringBrokerJdbcStoreIntegrationTests extends AbstractBrokerIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new SpringStompBroker();
	}

	@Override
	List<String> databaseProperties() {
		List<String> properties = new ArrayList<>(super.databaseProperties());
		properties.add("cometchat.session.store=jdbc");
		return properties;
	}

	@Test
	void theSessionIsKeptByTheJdbcStore() {
		ConfigurableApplicationContext context = startClient();
		assertThat(context.getBean(SessionStore.class)).isInstanceOf(JdbcSessionStore.class);
	}

}
