package com.cometchat.spring.integration;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.test.PostgresSchemas;
import com.cometchat.spring.test.RabbitMqStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The starter against the RabbitMQ that users run: the machine's broker with {@code rabbitmq_web_stomp} at
 * {@code ws://127.0.0.1:15674/ws} and the default virtual host {@code /}. Runs in the {@code it} profile only
 * ({@code ./mvnw -Pit verify}); a user per test, restarts with {@code rabbitmqctl stop_app}/{@code start_app} (see
 * {@link RabbitMqStompBroker}). The sessions are saved on the machine's PostgreSQL, a schema per test (the stack a
 * deployment runs; H2 is covered by the in-JVM brokers' tests). This is also the Docker-free twin of
 * {@code CometChatContainerConnectionDetailsFactoryIT}.
 */
class RabbitMqIT extends AbstractBrokerIntegrationTests {

	private static final PostgresSchemas schemas = new PostgresSchemas();

	private String schema;

	@BeforeEach
	void createSchema() throws SQLException {
		this.schema = schemas.create();
	}

	@AfterAll
	static void dropSchemas() throws SQLException {
		schemas.dropAll();
	}

	@Override
	List<String> databaseProperties() {
		return PostgresSchemas.properties(this.schema);
	}

	@Override
	TestBroker createBroker() {
		return new RabbitMqStompBroker();
	}

	RabbitMqStompBroker rabbit() {
		return (RabbitMqStompBroker) broker();
	}

	/**
	 * Close the user's Web-STOMP connections as the management UI's force close does ({@code rabbitmqctl
	 * close_connection} does not reach them).
	 */
	@Override
	void dropConnectionsOf(String uid) {
		List<String> pids = rabbit().connectionPids(uid);
		assertThat(pids).isNotEmpty();
		pids.forEach(rabbit()::forceClose);
	}

	@Test
	void rejectedLoginShowsOnceInTheBrokerLog() {
		ConfigurableApplicationContext context = startClient();
		assertThatThrownBy(() -> join(client(context).login(uid(), "wrong-token")))
			.cause()
			.isInstanceOfSatisfying(CometChatException.class, (ex) -> {
				assertThat(ex.getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
				assertThat(ex.getMessage()).contains("Access refused for user '" + uid() + "'");
			});
		String failed = "STOMP login failed for user '" + uid() + "'";
		await().atMost(Duration.ofSeconds(20)).until(() -> rabbit().logSinceCreated().contains(failed));
		// RabbitMQ keeps the WebSocket open after its ERROR frame; the client closes it and does not try again
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(20))
			.until(() -> rabbit().logSinceCreated().split(failed, -1).length - 1 == 1
					&& broker().connectAttempts(uid()) == 1 && broker().connectionCount() == 0);
	}

	@Test
	void aHostNameIsNotAVirtualHost() {
		ConfigurableApplicationContext context = startClient("cometchat.virtual-host=localhost");
		assertThatThrownBy(() -> join(client(context).login(uid(), token())))
			.cause()
			.isInstanceOfSatisfying(CometChatException.class,
					(ex) -> assertThat(ex.getCode()).isEqualTo(ErrorCode.AUTH_REJECTED));
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.FAILED);
		assertThat(sessionRows(context)).isEmpty();
	}

	@Test
	void heartBeatsKeepAnIdleConnectionOpen() throws Exception {
		// RabbitMQ answers a 500 ms heart-beat request with whole seconds (heart-beat:1000,1000): a silent broker would be
		// taken as lost after about 3 s (three missed beats), well inside the 5 s this watches
		ConfigurableApplicationContext context = startClient("cometchat.heartbeat.outgoing=500ms",
				"cometchat.heartbeat.incoming=500ms");
		join(client(context).login(uid(), token()));
		await().during(Duration.ofSeconds(5))
			.atMost(Duration.ofSeconds(10))
			.until(() -> client(context).getConnectionState() == ConnectionState.CONNECTED);
		assertThat(broker().connectAttempts(uid())).isOne();
		assertThat(events(context).states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
	}

}
