package com.cometchat.spring.integration;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
	@SuppressWarnings("unchecked")
	void actuatorEndpointShowsAndControlsTheConnection() throws Exception {
		ConfigurableApplicationContext context = startClient(
				"management.endpoints.web.exposure.include=health,cometchat,metrics");
		join(client(context).login(uid(), token()));
		Map<String, Object> connection = json(http(context, "GET", "/actuator/cometchat"));
		assertThat(connection).containsEntry("state", "CONNECTED")
			.containsEntry("status", "connected")
			.containsEntry("user", uid())
			.containsEntry("autoEstablishSocketConnection", true)
			.containsEntry("pendingSends", 0);
		assertThat((List<String>) connection.get("subscriptions")).containsExactly("/queue/cometchat.it.user." + uid());
		assertThat(connection.toString()).doesNotContain(token());
		HttpResponse<String> disconnected = http(context, "POST", "/actuator/cometchat/disconnect");
		assertThat(disconnected.statusCode()).isEqualTo(200);
		assertThat(json(disconnected)).containsEntry("state", "DISCONNECTED");
		assertThat(health(context).status()).isEqualTo("UNKNOWN");
		assertThat(http(context, "POST", "/actuator/cometchat/connect").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).until(() -> "CONNECTED".equals(json(http(context, "GET", "/actuator/cometchat")).get("state")));
		assertThat(http(context, "POST", "/actuator/cometchat/explode").statusCode()).isEqualTo(400);
		Map<String, Object> connects = json(http(context, "GET", "/actuator/metrics/cometchat.connection.connects"));
		assertThat((List<Map<String, Object>>) connects.get("measurements")).singleElement()
			.satisfies((measurement) -> assertThat(((Number) measurement.get("value")).intValue()).isEqualTo(2));
		Map<String, Object> state = json(
				http(context, "GET", "/actuator/metrics/cometchat.connection.state?tag=state:CONNECTED"));
		assertThat((List<Map<String, Object>>) state.get("measurements")).singleElement()
			.satisfies((measurement) -> assertThat(((Number) measurement.get("value")).intValue()).isEqualTo(1));
		assertThat(http(context, "GET", "/actuator/metrics/cometchat.messages.pending").statusCode()).isEqualTo(200);
	}

	@Test
	void actuatorEndpointIsNotExposedUnlessAsked() throws Exception {
		ConfigurableApplicationContext context = startClient();
		assertThat(http(context, "GET", "/actuator/cometchat").statusCode()).isEqualTo(404);
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
