package com.cometchat.spring.integration;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.test.SpringStompBroker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.events;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.health;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.http;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.join;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.json;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.sessionRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection manager operated as an application runs it, on Spring's broker: health, the endpoint, metrics and
 * events over many sessions; a login storm of one user; a database outage while the saved sessions are restored.
 */
class ConnectionManagerOperationsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final SpringStompBroker broker = new SpringStompBroker();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final String prefix = "u" + UUID.randomUUID().toString().substring(0, 6);

	private final Map<String, String> users = new LinkedHashMap<>();

	@TempDir
	Path dir;

	@BeforeEach
	void startBroker() {
		for (int i = 0; i < 7; i++) {
			this.users.put(this.prefix + "-" + i, "token-" + UUID.randomUUID());
		}
		this.broker.addUsers(this.users);
		this.broker.start();
	}

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.broker.close();
	}

	private ConfigurableApplicationContext start(String datasourceUrl, String... properties) {
		List<String> all = new ArrayList<>(List.of("cometchat.url=" + this.broker.url(), "cometchat.app-id=it",
				"server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"spring.jpa.open-in-view=false", "management.endpoints.web.exposure.include=health,cometchat",
				"management.endpoint.health.show-details=always", "cometchat.reconnect.initial-interval=200ms",
				"cometchat.reconnect.max-interval=1s", "cometchat.reconnect.jitter=0", "cometchat.connect-timeout=5s",
				"spring.datasource.url=" + datasourceUrl));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientApplication.class)
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context;
	}

	private String h2File() {
		return "jdbc:h2:file:" + this.dir.resolve("db");
	}

	private static CometChatConnectionManager manager(ConfigurableApplicationContext context) {
		return context.getBean(CometChatConnectionManager.class);
	}

	private void loginAll(ConfigurableApplicationContext context) throws Exception {
		List<CompletableFuture<CometChatClient>> logins = new ArrayList<>();
		this.users.forEach((uid, token) -> logins.add(manager(context).login(uid, token)));
		join(CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)));
	}

	private void assertNoToken(String text) {
		assertThat(this.users.values()).allSatisfy((token) -> assertThat(text).doesNotContain(token));
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthTheEndpointMetricsAndEventsSeeEverySessionAndNeverATokenOrAUidTag() throws Exception {
		ConfigurableApplicationContext context = start(h2File());
		loginAll(context);
		String first = this.prefix + "-0";
		String second = this.prefix + "-1";

		// Health: one indicator, counts per state
		AbstractBrokerIntegrationTests.Health health = health(context);
		assertThat(health.status()).isEqualTo("UP");
		assertThat((Map<String, Object>) health.details().get("sessions")).containsEntry("total", 7)
			.containsEntry("byState", Map.of("CONNECTED", 7));

		// The endpoint, a page at a time, ordered by uid
		Map<String, Object> page = json(http(context, "GET", "/actuator/cometchat/sessions?page=1&size=5"));
		assertThat(page).containsEntry("page", 1).containsEntry("size", 5).containsEntry("total", 7);
		assertThat((List<Map<String, Object>>) page.get("sessions")).extracting((session) -> session.get("uid"))
			.containsExactly(this.prefix + "-5", this.prefix + "-6");

		// Metrics: gauges per state, counters summed over the sessions, no uid in any tag
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		assertThat(registry.get("cometchat.sessions").tag("state", "CONNECTED").gauge().value()).isEqualTo(7);
		assertThat(registry.get("cometchat.connection.connects").counter().count()).isEqualTo(7);
		assertThat(registry.getMeters()).flatExtracting((Meter meter) -> meter.getId().getTags())
			.extracting(Tag::getValue)
			.doesNotContainAnyElementsOf(this.users.keySet());

		// Events carry the uid
		assertThat(events(context).sessionStates()).containsAll(this.users.keySet()
			.stream()
			.map((uid) -> uid + ":CONNECTED")
			.toList());

		// The broker goes away: DOWN, the first five failing uids with their last error
		this.broker.stop();
		await().atMost(TIMEOUT).until(() -> "DOWN".equals(health(context).status()));
		AbstractBrokerIntegrationTests.Health down = health(context);
		assertThat((List<String>) ((Map<String, Object>) down.details().get("sessions")).get("failing")).hasSize(5)
			.allSatisfy((failing) -> assertThat(failing).startsWith(this.prefix).contains(": RECONNECTING ("));
		assertNoToken(down.body());
		this.broker.start();
		await().atMost(TIMEOUT).until(() -> "UP".equals(health(context).status())
				&& registry.get("cometchat.sessions").tag("state", "CONNECTED").gauge().value() == 7);

		// Per-uid operations
		HttpResponse<String> disconnected = http(context, "POST", "/actuator/cometchat/sessions/" + first + "/disconnect");
		assertThat(json(disconnected)).containsEntry("uid", first).containsEntry("state", "DISCONNECTED");
		assertThat(health(context).status()).as("a deliberate disconnect is not a failure").isEqualTo("UP");
		http(context, "POST", "/actuator/cometchat/sessions/" + first + "/connect");
		await().atMost(TIMEOUT)
			.until(() -> manager(context).getClient(first).orElseThrow().getConnectionState()
					== ConnectionState.CONNECTED);
		assertThat(http(context, "POST", "/actuator/cometchat/sessions/" + second + "/logout").statusCode())
			.isEqualTo(200);
		assertThat(manager(context).getClient(second)).isEmpty();
		assertThat(sessionRows(context)).hasSize(6).noneMatch((row) -> second.equals(row.get("uid")));
		assertThat(json(http(context, "GET", "/actuator/cometchat/sessions"))).containsEntry("total", 6);
		assertThat(http(context, "POST", "/actuator/cometchat/sessions/nobody/connect").statusCode())
			.isEqualTo(404);
		assertNoToken(http(context, "GET", "/actuator/cometchat/sessions?size=500").body());
	}

	@Test
	void aLoginStormOfOneUserEndsInOneClientOneRowAndOneSocket() throws Exception {
		ConfigurableApplicationContext context = start(h2File());
		String uid = this.prefix + "-0";
		String token = this.users.get(uid);
		int threads = 16;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<CompletableFuture<CompletableFuture<CometChatClient>>> calls = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				calls.add(CompletableFuture.supplyAsync(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return manager(context).login(uid, token);
				}, pool));
			}
			go.countDown();
			List<Object> outcomes = new ArrayList<>();
			for (CompletableFuture<CompletableFuture<CometChatClient>> call : calls) {
				CompletableFuture<CometChatClient> login = join(call);
				outcomes.add(login.handle((client, failure) -> (failure != null)
						? ((CometChatException) failure.getCause()).getCode() : client).get(20, TimeUnit.SECONDS));
			}
			CometChatClient client = manager(context).getClient(uid).orElseThrow();
			assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome).isIn(client, ErrorCode.LOGIN_IN_PROGRESS))
				.contains(client);
			assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(manager(context).getClients()).containsExactly(client);
			assertThat(sessionRows(context)).hasSize(1);
			assertThat(this.broker.connectAttempts(uid)).isOne();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void aDatabaseOutageDuringTheRestoreIsReportedRetriedAndHalfSavesNothing() throws Exception {
		int port = freePort();
		String[] server = { "-tcp", "-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir",
				this.dir.toAbsolutePath().toString() };
		String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/sessions";
		String[] startsWithoutTheDatabase = { "spring.datasource.hikari.connection-timeout=1000",
				"spring.jpa.database-platform=org.hibernate.dialect.H2Dialect",
				"spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false",
				"spring.jpa.hibernate.ddl-auto=none" };
		Server database = Server.createTcpServer(server).start();
		try {
			ConfigurableApplicationContext first = start(url, startsWithoutTheDatabase);
			loginAll(first);
			first.close();
		}
		finally {
			database.stop();
		}
		ConfigurableApplicationContext second = start(url, startsWithoutTheDatabase);
		await().atMost(TIMEOUT)
			.until(() -> ((Map<String, Object>) health(second).details().get("sessions")).containsKey("restoreError"));
		AbstractBrokerIntegrationTests.Health health = health(second);
		assertThat(health.status()).isEqualTo("DOWN");
		assertThat((String) ((Map<String, Object>) health.details().get("sessions")).get("restoreError"))
			.startsWith("SESSION_STORE_ERROR");
		assertThat(manager(second).getClients()).isEmpty();
		assertThat(this.users.keySet()).allSatisfy((uid) -> assertThat(this.broker.connectAttempts(uid)).isOne());
		database = Server.createTcpServer(server).start();
		try {
			await().atMost(TIMEOUT)
				.until(() -> manager(second).getClients().size() == 7 && manager(second).getClients()
					.stream()
					.allMatch((session) -> session.getConnectionState() == ConnectionState.CONNECTED));
			assertThat(events(second).logins()).as("restoring is not a login").isEmpty();
			await().atMost(TIMEOUT).until(() -> "UP".equals(health(second).status()));
			assertThat(((Map<String, Object>) health(second).details().get("sessions"))).doesNotContainKey("restoreError");
			assertThat(sessionRows(second)).hasSize(7);
		}
		finally {
			second.close();
			database.stop();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
