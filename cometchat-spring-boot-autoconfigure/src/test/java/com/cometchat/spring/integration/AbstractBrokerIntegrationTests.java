package com.cometchat.spring.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatLoginEvent;
import com.cometchat.spring.client.CometChatTokenProvider;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The starter end to end against a real broker in the JVM: an application with the starter, its session on an H2
 * file database, its health through the web layer. Subclasses supply the broker. Waits are Awaitility conditions.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractBrokerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static TestBroker broker;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final String uid = "user-" + UUID.randomUUID().toString().substring(0, 8);

	private final String token = "token-" + UUID.randomUUID();

	@TempDir
	Path dir;

	abstract TestBroker createBroker();

	TestBroker broker() {
		return broker;
	}

	String uid() {
		return this.uid;
	}

	String token() {
		return this.token;
	}

	@BeforeEach
	void startBroker() {
		if (broker == null) {
			broker = createBroker();
		}
		broker.addUser(this.uid, this.token);
		broker.start();
	}

	@AfterEach
	void closeClients(CapturedOutput output) {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		assertThat(output.getAll()).as("no token in the log").doesNotContain(this.token);
	}

	@AfterAll
	static void closeBroker() {
		if (broker != null) {
			broker.close();
			broker = null;
		}
	}

	ConfigurableApplicationContext startClient(String... properties) {
		return startClient((context) -> {
		}, properties);
	}

	/**
	 * Start an application with a {@link CometChatTokenProvider} bean.
	 */
	ConfigurableApplicationContext startClient(CometChatTokenProvider tokenProvider, String... properties) {
		return startClient((context) -> context.getBeanFactory().registerSingleton("tokenProvider", tokenProvider),
				properties);
	}

	/**
	 * Drop the connections of a user from the broker's side; by default every connection of the broker.
	 * @param uid the user
	 */
	void dropConnectionsOf(String uid) {
		broker.dropConnections();
	}

	private ConfigurableApplicationContext startClient(
			ApplicationContextInitializer<ConfigurableApplicationContext> initializer, String... properties) {
		List<String> all = new ArrayList<>(List.of("cometchat.url=" + broker.url(), "cometchat.app-id=it",
				"server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"spring.jpa.open-in-view=false", "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always",
				"cometchat.reconnect.initial-interval=200ms", "cometchat.reconnect.max-interval=1s",
				"cometchat.reconnect.jitter=0", "cometchat.connect-timeout=5s"));
		all.addAll(databaseProperties());
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientApplication.class)
			.properties(all.toArray(String[]::new))
			.initializers(initializer)
			.run();
		this.contexts.add(context);
		return context;
	}

	/**
	 * Return the properties of the clients' database, the same for every client of one test and fresh for each test.
	 * @return {@code spring.datasource.*} and JPA properties; by default an H2 file database in the test's directory
	 */
	List<String> databaseProperties() {
		return List.of("spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("client-db"));
	}

	static CometChatClient client(ConfigurableApplicationContext context) {
		return context.getBean(CometChatClient.class);
	}

	static ClientApplication.Events events(ConfigurableApplicationContext context) {
		return context.getBean(ClientApplication.Events.class);
	}

	static void awaitState(ConfigurableApplicationContext context, ConnectionState state) {
		await().atMost(TIMEOUT).until(() -> client(context).getConnectionState() == state);
	}

	static <T> T join(CompletableFuture<T> future) throws Exception {
		return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	static List<Map<String, Object>> sessionRows(ConfigurableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class))
			.queryForList("select app_id, uid, last_connected_at from cometchat_session");
	}

	@SuppressWarnings("unchecked")
	static Health health(ConfigurableApplicationContext context) throws Exception {
		HttpResponse<String> response = http(context, "GET", "/actuator/health/cometchat");
		Map<String, Object> body = json(response);
		return new Health(response.statusCode(), (String) body.get("status"),
				(Map<String, Object>) body.getOrDefault("details", Map.of()), response.body());
	}

	static HttpResponse<String> http(ConfigurableApplicationContext context, String method, String path)
			throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> json(HttpResponse<String> response) {
		return JsonMapper.builder().build().readValue(response.body(), Map.class);
	}

	record Health(int httpStatus, String status, Map<String, Object> details, String body) {
	}

	@Test
	void loginSavesTheSessionAndConnects() throws Exception {
		ConfigurableApplicationContext context = startClient();
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		CometChatUser user = join(client(context).login(this.uid, this.token));
		assertThat(user.uid()).isEqualTo(this.uid);
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(sessionRows(context)).singleElement().satisfies((row) -> {
			assertThat(row).containsEntry("APP_ID", "it").containsEntry("UID", this.uid);
			assertThat(row.get("LAST_CONNECTED_AT")).isNotNull();
		});
		assertThat(events(context).states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
		await().atMost(TIMEOUT).until(() -> events(context).logins().contains(CometChatLoginEvent.Type.LOGIN_SUCCESS));
		Health health = health(context);
		assertThat(health.httpStatus()).isEqualTo(200);
		assertThat(health.status()).isEqualTo("UP");
		assertThat(health.details()).containsEntry("state", "CONNECTED").containsEntry("user", this.uid);
		assertThat(health.body()).doesNotContain(this.token);
	}

	@Test
	void aTokenThatExpiresIsReplacedByTheProvidersAndTheClientReconnectsAndSavesItEncrypted(CapturedOutput output)
			throws Exception {
		String fresh = "fresh-token-" + UUID.randomUUID();
		List<String> asked = new CopyOnWriteArrayList<>();
		String key = Base64.getEncoder().encodeToString(new byte[32]);
		ConfigurableApplicationContext context = startClient((uid, rejection) -> {
			asked.add(uid + ":" + rejection.getCode());
			return fresh;
		}, "cometchat.session.encryption-key=" + key);
		join(client(context).login(this.uid, this.token));
		// The token expires at the broker; the connection open now stays until it drops
		broker.changeToken(this.uid, fresh);
		dropConnectionsOf(this.uid);
		await().atMost(TIMEOUT)
			.until(() -> asked.size() == 1 && client(context).getConnectionState() == ConnectionState.CONNECTED);
		assertThat(asked).containsExactly(this.uid + ":" + ErrorCode.AUTH_REJECTED);
		assertThat(events(context).states()).doesNotContain(ConnectionState.FAILED)
			.containsSubsequence(ConnectionState.CONNECTED, ConnectionState.RECONNECTING, ConnectionState.CONNECTING,
					ConnectionState.CONNECTED);
		assertThat(broker.connectAttempts(this.uid)).as("the login, the rejected token, the fresh one").isEqualTo(3);
		assertThat(context.getBean(SessionStore.class).load("it")).get()
			.extracting(StoredSession::authToken)
			.isEqualTo(fresh);
		String raw = new JdbcTemplate(context.getBean(DataSource.class))
			.queryForObject("select auth_token from cometchat_session", String.class);
		assertThat(raw).startsWith("gcm1:").doesNotContain(fresh);
		assertThat(health(context).status()).isEqualTo("UP");
		assertThat(output.getAll()).contains("token provider").doesNotContain(fresh);
		// The next start of the application connects with the saved fresh token
		context.close();
		ConfigurableApplicationContext next = startClient("cometchat.session.encryption-key=" + key);
		awaitState(next, ConnectionState.CONNECTED);
		assertThat(broker.connectAttempts(this.uid)).isEqualTo(4);
	}

	@Test
	void aNewApplicationOnTheSameDatabaseReconnectsFromTheSavedSession() throws Exception {
		ConfigurableApplicationContext first = startClient();
		join(client(first).login(this.uid, this.token));
		first.close();
		await().atMost(TIMEOUT).until(() -> broker.connectionCount() == 0);
		ConfigurableApplicationContext second = startClient();
		awaitState(second, ConnectionState.CONNECTED);
		assertThat(client(second).getLoggedInUser()).contains(new CometChatUser(this.uid));
		assertThat(events(second).logins()).as("restoring is not a login").isEmpty();
		assertThat(broker.connectAttempts(this.uid)).isEqualTo(2);
		assertThat(health(second).status()).isEqualTo("UP");
	}

	@Test
	void twoHundredUsersOfTheConnectionManagerComeBackAfterARestartEachWithItsOwnInbox() throws Exception {
		Map<String, String> users = new LinkedHashMap<>();
		for (int i = 0; i < 200; i++) {
			users.put(this.uid + "-" + i, this.token + "-" + i);
		}
		broker.addUsers(users);
		ConfigurableApplicationContext first = startClient();
		CometChatConnectionManager manager = first.getBean(CometChatConnectionManager.class);
		List<CompletableFuture<CometChatClient>> logins = new ArrayList<>();
		users.forEach((uid, token) -> logins.add(manager.login(uid, token)));
		join(CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)));
		assertThat(sessionRows(first)).hasSize(200);
		first.close();
		ConfigurableApplicationContext second = startClient();
		CometChatConnectionManager restored = second.getBean(CometChatConnectionManager.class);
		Map<String, List<ChatMessage>> received = new ConcurrentHashMap<>();
		restored.addMessageListener("test",
				(uid, message) -> received.computeIfAbsent(uid, (key) -> new CopyOnWriteArrayList<>()).add(message));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> restored.getClients().size() == 200 && restored.getClients()
				.stream()
				.allMatch((session) -> session.getConnectionState() == ConnectionState.CONNECTED));
		assertThat(events(second).logins()).as("restoring is not a login").isEmpty();
		// The single client sends each user a message of their own, through the broker
		join(client(second).login(this.uid, this.token));
		for (String uid : users.keySet()) {
			join(client(second).sendMessage(OutgoingMessage.text(ReceiverType.USER, uid, "for " + uid)));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> received.values().stream().mapToInt(List::size).sum() == 200);
		assertThat(received).hasSize(200).allSatisfy((uid, messages) -> assertThat(messages).singleElement()
			.satisfies((message) -> assertThat(message.text()).isEqualTo("for " + uid)));
		String leaving = users.keySet().iterator().next();
		join(restored.logout(leaving));
		assertThat(restored.getClient(leaving)).isEmpty();
		assertThat(restored.getClients()).filteredOn((session) -> session != client(second))
			.hasSize(199)
			.allMatch((session) -> session.getConnectionState() == ConnectionState.CONNECTED);
		assertThat(sessionRows(second)).hasSize(200).noneMatch((row) -> leaving.equals(row.get("UID"))
				|| leaving.equals(row.get("uid")));
	}

	@Test
	void manualModeStaysInitializedUntilConnect() throws Exception {
		ConfigurableApplicationContext context = startClient("cometchat.auto-establish-socket-connection=false");
		join(client(context).login(this.uid, this.token));
		assertThat(sessionRows(context)).hasSize(1);
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(broker.connectAttempts(this.uid)).isZero();
		assertThat(health(context).status()).isEqualTo("UNKNOWN");
		join(client(context).connect());
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(health(context).status()).isEqualTo("UP");
		join(client(context).disconnect());
		assertThat(client(context).getConnectionStatus()).isEqualTo("disconnected");
		assertThat(health(context).status()).isEqualTo("UNKNOWN");
		await().atMost(TIMEOUT).until(() -> broker.connectionCount() == 0);
	}

	@Test
	void manualModeDoesNotConnectASavedSessionAtStart() throws Exception {
		ConfigurableApplicationContext first = startClient("cometchat.auto-establish-socket-connection=false");
		join(client(first).login(this.uid, this.token));
		first.close();
		ConfigurableApplicationContext second = startClient("cometchat.auto-establish-socket-connection=false");
		await().atMost(TIMEOUT).until(() -> client(second).getLoggedInUser().isPresent());
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT)
			.until(() -> client(second).getConnectionState() == ConnectionState.INITIALIZED);
		assertThat(broker.connectAttempts(this.uid)).isZero();
	}

	@Test
	void connectWithoutALoggedInUserFails() {
		ConfigurableApplicationContext context = startClient("cometchat.auto-establish-socket-connection=false");
		assertThatThrownBy(() -> join(client(context).connect())).hasCauseInstanceOf(CometChatException.class)
			.cause()
			.extracting((ex) -> ((CometChatException) ex).getCode())
			.isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
	}

	@Test
	void disconnectStaysDisconnectedEvenWhenTheBrokerRestarts() throws Exception {
		ConfigurableApplicationContext context = startClient();
		join(client(context).login(this.uid, this.token));
		join(client(context).disconnect());
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
		broker.stop();
		broker.start();
		await().during(Duration.ofSeconds(1)).atMost(TIMEOUT)
			.until(() -> client(context).getConnectionState() == ConnectionState.DISCONNECTED
					&& broker.connectAttempts(this.uid) == 1);
		assertThat(events(context).states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
				ConnectionState.DISCONNECTED);
	}

	@Test
	void reconnectsWhenTheBrokerComesBack() throws Exception {
		ConfigurableApplicationContext context = startClient();
		join(client(context).login(this.uid, this.token));
		broker.stop();
		// The retry right after the drop passes through CONNECTING, which shows no lastError: wait for RECONNECTING
		Health down = await().atMost(TIMEOUT)
			.until(() -> health(context), (health) -> health.details().containsKey("lastError"));
		assertThat(down.status()).isEqualTo("DOWN");
		assertThat(down.httpStatus()).isEqualTo(503);
		assertThat(down.details()).containsKey("lastError");
		broker.start();
		awaitState(context, ConnectionState.CONNECTED);
		assertThat(health(context).status()).isEqualTo("UP");
		List<ConnectionState> states = events(context).states();
		assertThat(states.subList(0, 3)).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
				ConnectionState.RECONNECTING);
		assertThat(states).last().isEqualTo(ConnectionState.CONNECTED);
		assertThat(states).containsOnly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
				ConnectionState.RECONNECTING);
		await().atMost(TIMEOUT).until(() -> broker.connectionCount() == 1);
	}

	@Test
	void reconnectsAsSoonAsTheBrokerIsBackNotWhenTheBackOffEnds() throws Exception {
		ConfigurableApplicationContext context = startClient("cometchat.reconnect.initial-interval=10m",
				"cometchat.reconnect.max-interval=10m");
		join(client(context).login(this.uid, this.token));
		broker.stop();
		awaitWaitingTenMinutes(context);
		broker.start();
		// Only the reachability probe can reconnect before the 10 minutes are over
		awaitState(context, ConnectionState.CONNECTED);
		await().atMost(TIMEOUT).until(() -> broker.connectionCount() == 1);
	}

	@Test
	void withoutTheProbeTheBackOffDecidesWhenToReconnect() throws Exception {
		ConfigurableApplicationContext context = startClient("cometchat.reconnect.initial-interval=10m",
				"cometchat.reconnect.max-interval=10m", "cometchat.reconnect.probe-interval=0");
		join(client(context).login(this.uid, this.token));
		broker.stop();
		awaitWaitingTenMinutes(context);
		int attempts = broker.connectAttempts(this.uid);
		broker.start();
		await().during(Duration.ofSeconds(2))
			.atMost(TIMEOUT)
			.until(() -> client(context).getConnectionState() == ConnectionState.RECONNECTING);
		assertThat(broker.connectAttempts(this.uid)).isEqualTo(attempts);
		client(context).connect();
		awaitState(context, ConnectionState.CONNECTED);
	}

	private static void awaitWaitingTenMinutes(ConfigurableApplicationContext context) {
		await().atMost(TIMEOUT).until(() -> client(context).getConnectionSnapshot(),
				(snapshot) -> snapshot.state() == ConnectionState.RECONNECTING
						&& Duration.ofMinutes(10).equals(snapshot.retryIn()));
		// Stays so while the broker is down (and the probe sees it down)
		await().during(Duration.ofMillis(600))
			.atMost(TIMEOUT)
			.until(() -> client(context).getConnectionState() == ConnectionState.RECONNECTING);
	}

	@Test
	void wrongCredentialsFailWithoutFurtherAttempts(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = startClient();
		assertThatThrownBy(() -> join(client(context).login(this.uid, "wrong-token")))
			.hasCauseInstanceOf(CometChatException.class)
			.cause()
			.extracting((ex) -> ((CometChatException) ex).getCode())
			.isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.FAILED);
		await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> broker.connectAttempts(this.uid) == 1);
		assertThat(sessionRows(context)).isEmpty();
		Health health = health(context);
		assertThat(health.status()).isEqualTo("DOWN");
		assertThat((String) health.details().get("lastError")).startsWith("AUTH_REJECTED");
		await().atMost(TIMEOUT).until(() -> events(context).logins().contains(CometChatLoginEvent.Type.LOGIN_FAILURE));
		// The log is captured (so the token check after each test can fail) and names the user, not the token
		assertThat(output.getAll()).contains("AUTH_REJECTED").contains(this.uid).doesNotContain("wrong-token");
	}

	@Test
	void logoutClosesTheSocketAndDeletesTheRow() throws Exception {
		ConfigurableApplicationContext context = startClient();
		join(client(context).login(this.uid, this.token));
		join(client(context).logout());
		assertThat(sessionRows(context)).isEmpty();
		assertThat(client(context).getLoggedInUser()).isEmpty();
		assertThat(client(context).getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
		await().atMost(TIMEOUT).until(() -> broker.connectionCount() == 0);
	}

	@Test
	void serviceAccountFromPropertiesLogsInAtStart() {
		ConfigurableApplicationContext context = startClient("cometchat.user.uid=" + this.uid,
				"cometchat.user.auth-token=" + this.token);
		awaitState(context, ConnectionState.CONNECTED);
		// Saved once the broker accepted it, on the store's threads: after CONNECTED is announced, not before
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(sessionRows(context)).singleElement()
				.extracting((row) -> row.get("UID"))
				.isEqualTo(this.uid));
	}

}
