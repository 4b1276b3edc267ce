package com.cometchat.spring.integration;

import java.time.Duration;

import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter against Spring's simple STOMP broker (embedded Tomcat, random port, CONNECT checked by an interceptor).
 */
class SpringBrokerIntegrationTests extends AbstractBrokerIntegrationTests {

	@Override
	TestBroker createBroker() {
		return new SpringStompBroker();
	}

	@Test
	void reconnectsAtOnceWhenTheServerDropsTheSocket() throws Exception {
		ConfigurableApplicationContext context = startClient();
		join(client(context).login(uid(), token()));
		((SpringStompBroker) broker()).dropConnections();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> broker().connectAttempts(uid()) == 2
					&& client(context).getConnectionState() == ConnectionState.CONNECTED);
		assertThat(events(context).states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
				ConnectionState.RECONNECTING, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
		assertThat(client(context).getConnectionSnapshot().attempt()).as("the immediate retry").isOne();
	}

	@Test
	void rejectionIsReportedAtOnceNotAfterTheConnectTimeout() {
		ConfigurableApplicationContext context = startClient("cometchat.connect-timeout=1h");
		client(context).login(uid(), "wrong-token");
		await().atMost(Duration.ofSeconds(20)).until(() -> client(context).getConnectionState() == ConnectionState.FAILED);
		assertThat(client(context).getConnectionSnapshot().lastError().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(client(context).getConnectionSnapshot().lastError().getMessage()).contains("Invalid credentials");
	}

}
