package com.cometchat.spring.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.test.SpringStompBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.health;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.http;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.join;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.json;
import static com.cometchat.spring.integration.AbstractBrokerIntegrationTests.sessionRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of an application with {@code cometchat.cluster.mode=lease} on one database (H2, shared in this JVM)
 * and Spring's broker: each saved session is connected by exactly one of them, a stopped one hands its sessions to
 * the other, and a logout on one instance ends a session that the other holds. (The same with separate JVMs that are
 * killed, on PostgreSQL and RabbitMQ, is still to come.)
 */
class ReplicasOnOneDatabaseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final SpringStompBroker broker = new SpringStompBroker();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final Map<String, String> users = new LinkedHashMap<>();

	@TempDir
	Path dir;

	@BeforeEach
	void startBroker() {
		String prefix = "r" + UUID.randomUUID().toString().substring(0, 6);
		for (int i = 0; i < 7; i++) {
			this.users.put(prefix + "-" + i, "token-" + UUID.randomUUID());
		}
		this.broker.addUsers(this.users);
		this.broker.start();
	}

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.broker.close();
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("cometchat.url=" + this.broker.url(), "cometchat.app-id=it",
				"server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"spring.jpa.open-in-view=false", "cometchat.reconnect.initial-interval=200ms",
				"cometchat.reconnect.max-interval=1s", "cometchat.reconnect.jitter=0", "cometchat.connect-timeout=5s",
				"spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db"), "cometchat.cluster.mode=lease",
				"management.endpoints.web.exposure.include=health,cometchat",
				"management.endpoint.health.show-details=always"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientApplication.class)
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context;
	}

	private static DefaultCometChatConnectionManager manager(ConfigurableApplicationContext context) {
		return context.getBean(DefaultCometChatConnectionManager.class);
	}

	private static Set<String> connected(ConfigurableApplicationContext context) {
		Set<String> uids = new HashSet<>();
		for (CometChatClient client : manager(context).getClients()) {
			if (client.getConnectionState() == ConnectionState.CONNECTED) {
				client.getLoggedInUser().ifPresent((user) -> uids.add(user.uid()));
			}
		}
		return uids;
	}

	private void loginAll(ConfigurableApplicationContext context) throws Exception {
		List<CompletableFuture<CometChatClient>> logins = new ArrayList<>();
		this.users.forEach((uid, token) -> logins.add(manager(context).login(uid, token)));
		join(CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)));
	}

	@Test
	@SuppressWarnings("unchecked")
	void eachSessionIsConnectedByOneInstanceAndAStoppedOneHandsItsSessionsOver() throws Exception {
		ConfigurableApplicationContext a = start();
		ConfigurableApplicationContext b = start();
		assertThat(a.getBean(LeaseKeeper.class)).isNotNull();
		loginAll(a);
		// The fair share: 4 and 3
		await().atMost(TIMEOUT).untilAsserted(() -> {
			Set<String> ofA = connected(a);
			Set<String> ofB = connected(b);
			assertThat(java.util.Collections.disjoint(ofA, ofB)).as("%s and %s share none", ofA, ofB).isTrue();
			assertThat(ofA.size() + ofB.size()).isEqualTo(7);
			assertThat(Math.min(ofA.size(), ofB.size())).isEqualTo(3);
		});
		await().atMost(TIMEOUT).until(() -> this.broker.connectionCount() == 7);
		// The endpoint shows both replicas, what each holds, and who holds a user
		String ofB = connected(b).iterator().next();
		Map<String, Object> replicas = json(http(a, "GET", "/actuator/cometchat/replicas?uid=" + ofB));
		assertThat(replicas).containsEntry("thisReplica", a.getBean(LeaseKeeper.class).getReplicaId())
			.containsEntry("holder", b.getBean(LeaseKeeper.class).getReplicaId());
		assertThat((List<Map<String, Object>>) replicas.get("replicas")).hasSize(2)
			.extracting((replica) -> ((Number) replica.get("held")).intValue())
			.containsExactlyInAnyOrder(4, 3);
		assertThat(json(http(a, "GET", "/actuator/cometchat/sessions?page=0&size=10"))).containsEntry("total", 4);
		// Health says this replica's part: a holder of 4 that may act
		Map<String, Object> cluster = (Map<String, Object>) ((Map<String, Object>) health(a).details().get("sessions"))
			.get("cluster");
		assertThat(cluster).containsEntry("role", "holder").containsEntry("held", 4).containsEntry("mayAct", true);
		// The holders' writes (through the fenced store, in the application's JPA transactions) landed
		await().atMost(TIMEOUT).until(() -> sessionRows(b).stream().allMatch((row) -> row.get("last_connected_at") != null));
		a.close();
		await().atMost(TIMEOUT).until(() -> connected(b).size() == 7);
		await().atMost(TIMEOUT).until(() -> this.broker.connectionCount() == 7);
		assertThat(sessionRows(b)).as("a stop keeps every saved session").hasSize(7);
		assertThat(manager(b).getClients()).hasSize(7);
	}

	@Test
	void aLogoutOnOneInstanceEndsTheSessionTheOtherHolds() throws Exception {
		ConfigurableApplicationContext a = start();
		loginAll(a);
		ConfigurableApplicationContext b = start();
		await().atMost(TIMEOUT).until(() -> connected(a).size() + connected(b).size() == 7 && connected(b).size() == 3);
		String heldByA = connected(a).iterator().next();
		join(manager(b).logout(heldByA));
		await().atMost(TIMEOUT).until(() -> manager(a).getClient(heldByA).isEmpty());
		await().atMost(TIMEOUT).until(() -> this.broker.connectionCount() == 6);
		assertThat(sessionRows(a)).extracting((row) -> row.get("UID")).doesNotContain(heldByA).hasSize(6);
	}

	@Test
	void leasesNeedTheSessionsInADatabase() {
		assertThatThrownBy(() -> start("cometchat.session.store=memory")).hasStackTraceContaining(
				"cometchat.cluster.mode");
	}

}
