package com.cometchat.spring.integration;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.health.CometChatHealthIndicator;
import com.cometchat.spring.test.SpringStompBroker;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database is unreachable when the application starts: the application starts, the state and health say why,
 * and login works once the database is back (the session table is created then).
 */
class DatabaseDownAtStartTests {

	@Test
	void theApplicationStartsWithTheDatabaseDownAndLoginRecoversWhenItIsBack() throws Exception {
		int port = freePort();
		try (SpringStompBroker broker = new SpringStompBroker().addUser("alice", "alice-token")) {
			broker.start();
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientApplication.class)
				.properties("cometchat.url=" + broker.url(), "cometchat.app-id=db-down", "spring.main.banner-mode=off",
						"spring.main.web-application-type=none",
						"spring.datasource.url=jdbc:h2:tcp://127.0.0.1:" + port + "/mem:dbdown;DB_CLOSE_DELAY=-1",
						"spring.datasource.hikari.connection-timeout=1000",
						// What an application sets to start without its database (Hibernate would ask it for metadata)
						"spring.jpa.database-platform=org.hibernate.dialect.H2Dialect",
						"spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false",
						"spring.jpa.hibernate.ddl-auto=none")
				.run()) {
				CometChatClient client = context.getBean(CometChatClient.class);
				await().atMost(Duration.ofSeconds(20)).until(() -> client.getConnectionSnapshot().lastError() != null);
				assertThat(client.getConnectionSnapshot().lastError().getCode())
					.isEqualTo(ErrorCode.SESSION_STORE_ERROR);
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
				Health health = context.getBean(CometChatHealthIndicator.class).health(true);
				assertThat((String) health.getDetails().get("lastError")).startsWith("SESSION_STORE_ERROR");
				Server database = Server.createTcpServer("-tcp", "-tcpPort", String.valueOf(port), "-ifNotExists")
					.start();
				try {
					client.login("alice", "alice-token").get(30, TimeUnit.SECONDS);
					assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
				}
				finally {
					database.stop();
				}
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
