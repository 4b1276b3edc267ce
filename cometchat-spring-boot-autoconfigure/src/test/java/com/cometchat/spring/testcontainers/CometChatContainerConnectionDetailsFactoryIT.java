package com.cometchat.spring.testcontainers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.integration.ClientApplication;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @ServiceConnection} on a RabbitMQ container with Web-STOMP: the application has no {@code cometchat.url} and
 * reaches {@code CONNECTED}. Needs Docker and is skipped without it (as on the CI machine); {@code RabbitMqIT} runs
 * the same client against a RabbitMQ service without Docker, and
 * {@link CometChatContainerConnectionDetailsFactoryTests} checks the mapping with a mock container.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = ClientApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.main.banner-mode=off", "cometchat.connect-timeout=20s" })
class CometChatContainerConnectionDetailsFactoryIT {

	@Container
	@ServiceConnection
	static final RabbitMQContainer rabbit = new RabbitMQContainer("rabbitmq:4.1")
		.withCopyToContainer(Transferable.of("[rabbitmq_web_stomp].\n"), "/etc/rabbitmq/enabled_plugins")
		.withExposedPorts(5672, CometChatContainerConnectionDetailsFactory.WEB_STOMP_PORT);

	@Autowired
	CometChatConnectionDetails connectionDetails;

	@Autowired
	CometChatClient client;

	@Test
	void theClientReachesTheContainersWebStomp() throws Exception {
		assertThat(this.connectionDetails.getUrl()).hasScheme("ws")
			.hasPort(rabbit.getMappedPort(CometChatContainerConnectionDetailsFactory.WEB_STOMP_PORT))
			.hasPath("/ws");
		this.client.login(rabbit.getAdminUsername(), rabbit.getAdminPassword()).get(30, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.client.getConnectionState() == ConnectionState.CONNECTED);
	}

}
