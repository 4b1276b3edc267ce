package com.cometchat.spring.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatLoginEvent;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.demo.DemoBot.Start;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the demo: the bot connects to the application's own broker, its session survives a restart, and the
 * broker rejects bad credentials with a STOMP ERROR frame.
 *
 * @author CometChat
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.datasource.url=jdbc:h2:mem:demo-test")
class DemoApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private CometChatClient client;

	@Autowired
	private DemoBot bot;

	@Autowired
	private JdbcTemplate jdbcTemplate;

	@Test
	void botConnectsToTheEmbeddedBroker() {
		await().atMost(TIMEOUT).until(this.client::getConnectionState, ConnectionState.CONNECTED::equals);
		assertThat(this.bot.started()).succeedsWithin(TIMEOUT).isEqualTo(Start.LOGGED_IN);
		RestTestClient rest = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> rest.get()
				.uri("/actuator/health/cometchat")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.details.state")
				.isEqualTo("CONNECTED")
				.jsonPath("$.details.user")
				.isEqualTo("bot"));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.jdbcTemplate.queryForList(
					"SELECT uid FROM cometchat_session WHERE app_id = ? AND primary_session", String.class, "demo"))
				.containsExactly("bot"));
	}

	@Test
	void theHelpersHaveASocketEachThroughTheConnectionManagerAndAnswer() {
		RestTestClient rest = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> rest.get()
				.uri("/demo/sessions")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$[?(@.state == 'CONNECTED')].uid")
				.value((uids) -> assertThat((List<Object>) uids).contains("bot", "helper-1", "helper-2", "helper-3")));
		List<ChatMessage> received = new CopyOnWriteArrayList<>();
		try (DefaultCometChatClient alice = CometChatClient.builder()
			.url(URI.create("ws://localhost:" + this.port + "/ws"))
			.appId("demo")
			.build()) {
			alice.addMessageListener("test", received::add);
			assertThat(alice.login("alice", "alice-token")).succeedsWithin(TIMEOUT);
			assertThat(alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, "helper-2", "hello")))
				.succeedsWithin(TIMEOUT);
			await().atMost(TIMEOUT).until(() -> !received.isEmpty());
			assertThat(received.get(0).sender()).isEqualTo("helper-2");
			assertThat(received.get(0).text()).contains("got: hello");
		}
	}

	@Test
	void brokerRejectsBadPasscodeWithErrorFrame() {
		try (DefaultCometChatClient alice = CometChatClient.builder()
			.url(URI.create("ws://localhost:" + this.port + "/ws"))
			.appId("demo-test-alice")
			.build()) {
			assertThat(alice.login("alice", "wrong-token")).failsWithin(TIMEOUT)
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOfSatisfying(CometChatException.class, (ex) -> {
					assertThat(ex.getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
					assertThat(ex.getMessage()).contains("Bad credentials for user 'alice'")
						.doesNotContain("wrong-token");
				});
			assertThat(alice.getConnectionState()).isEqualTo(ConnectionState.FAILED);
			assertThat(alice.login("alice", "alice-token")).succeedsWithin(TIMEOUT)
				.extracting(CometChatUser::uid)
				.isEqualTo("alice");
			assertThat(alice.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
		}
	}

	@Test
	void restartReconnectsFromTheSavedSessionWithoutLogin(@TempDir Path directory) {
		String url = "jdbc:h2:file:" + directory.resolve("db").toAbsolutePath();
		List<CometChatLoginEvent> firstRun = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = run(url, firstRun)) {
			awaitConnected(context);
			assertThat(context.getBean(DemoBot.class).started()).succeedsWithin(TIMEOUT).isEqualTo(Start.LOGGED_IN);
			assertThat(firstRun).filteredOn((event) -> event.getType() == CometChatLoginEvent.Type.LOGIN_SUCCESS)
				.extracting(CometChatLoginEvent::getUid)
				.containsExactlyInAnyOrder("bot", "helper-1", "helper-2", "helper-3");
		}
		List<CometChatLoginEvent> secondRun = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = run(url, secondRun)) {
			awaitConnected(context);
			assertThat(context.getBean(DemoBot.class).started()).succeedsWithin(TIMEOUT)
				.isEqualTo(Start.SESSION_RESTORED);
			assertThat(context.getBean(CometChatClient.class).getLoggedInUser()).map(CometChatUser::uid)
				.hasValue("bot");
			assertThat(secondRun).extracting(CometChatLoginEvent::getType)
				.doesNotContain(CometChatLoginEvent.Type.LOGIN_SUCCESS);
		}
	}

	private static ConfigurableApplicationContext run(String datasourceUrl, List<CometChatLoginEvent> loginEvents) {
		ApplicationListener<ApplicationEvent> recorder = (event) -> {
			if (event instanceof CometChatLoginEvent loginEvent) {
				loginEvents.add(loginEvent);
			}
		};
		return new SpringApplicationBuilder(DemoApplication.class).main(DemoApplication.class)
			.listeners(recorder)
			.run("--server.port=0", "--spring.datasource.url=" + datasourceUrl);
	}

	private static void awaitConnected(ConfigurableApplicationContext context) {
		CometChatClient client = context.getBean(CometChatClient.class);
		await().atMost(TIMEOUT).until(client::getConnectionState, ConnectionState.CONNECTED::equals);
		CometChatConnectionManager sessions = context.getBean(CometChatConnectionManager.class);
		await().atMost(TIMEOUT)
			.until(() -> List.of("helper-1", "helper-2", "helper-3")
				.stream()
				.allMatch((uid) -> sessions.getClient(uid)
					.map((helper) -> helper.getConnectionState() == ConnectionState.CONNECTED)
					.orElse(false)));
	}

}
