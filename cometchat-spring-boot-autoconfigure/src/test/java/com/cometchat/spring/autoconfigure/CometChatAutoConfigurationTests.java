package com.cometchat.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.actuate.CometChatEndpoint;
import com.cometchat.spring.autoconfigure.actuate.CometChatEndpointAutoConfiguration;
import com.cometchat.spring.autoconfigure.health.CometChatHealthContributorAutoConfiguration;
import com.cometchat.spring.autoconfigure.metrics.CometChatMetricsAutoConfiguration;
import com.cometchat.spring.autoconfigure.metrics.CometChatSessionsMetricsAutoConfiguration;
import com.cometchat.spring.metrics.CometChatMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.cometchat.spring.autoconfigure.cluster.CometChatClusterAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJdbcSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJpaSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatSessionDataSourceScriptDatabaseInitializer;
import com.cometchat.spring.autoconfigure.userapp.Note;
import com.cometchat.spring.autoconfigure.userapp.NoteRepository;
import com.cometchat.spring.autoconfigure.userapp.UserApplicationConfiguration;
import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionListener;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatResources;
import com.cometchat.spring.client.CometChatTokenProvider;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.cluster.JdbcLeaseStore;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.cluster.LeaseStore;
import com.cometchat.spring.client.GroupListener;
import com.cometchat.spring.client.LoginListener;
import com.cometchat.spring.client.MessageListener;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.PresenceSubscription;
import com.cometchat.spring.client.SentMessage;
import com.cometchat.spring.client.UserListener;
import com.cometchat.spring.client.transport.WebSocketStompTransport;
import com.cometchat.spring.health.CometChatHealthIndicator;
import com.cometchat.spring.session.CometChatSessionRepository;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.JdbcSessionStore;
import com.cometchat.spring.session.JpaSessionStore;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.test.MisbehavingStompServer;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.StateRecorder;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CometChatAutoConfiguration}, {@link CometChatJpaSessionAutoConfiguration} and
 * {@link CometChatHealthContributorAutoConfiguration}.
 */
class CometChatAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CometChatAutoConfiguration.class,
				CometChatJpaSessionAutoConfiguration.class, CometChatJdbcSessionAutoConfiguration.class,
				CometChatHealthContributorAutoConfiguration.class,
				CometChatMetricsAutoConfiguration.class, CometChatSessionsMetricsAutoConfiguration.class,
				CometChatEndpointAutoConfiguration.class))
		.withPropertyValues("cometchat.url=ws://localhost:15674/ws");

	private final ApplicationContextRunner jpaContextRunner = this.contextRunner
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				DataJpaRepositoriesAutoConfiguration.class, TransactionAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig-${random.uuid}")
		// Stands in for the @SpringBootApplication package that Spring Data JPA scans
		.withUserConfiguration(UserApplicationConfiguration.class);

	@Test
	void defaultsCreateAClientInAutoModeWithTheHealthIndicator() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultCometChatClient.class)
				.hasSingleBean(CometChatConnectionDetails.class)
				.hasSingleBean(InMemorySessionStore.class)
				.hasBean("cometchatHealthIndicator");
			DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
			assertThat(client.isAutoEstablishSocketConnection()).isTrue();
			assertThat(client.getAppId()).isEqualTo("default");
			assertThat(client.getPhase()).isEqualTo(DefaultCometChatClient.DEFAULT_PHASE);
			assertThat(client.isRunning()).isTrue();
			assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
		});
	}

	@Test
	void propertiesAreBound() {
		this.contextRunner
			.withPropertyValues("cometchat.app-id=my-app", "cometchat.region=US",
					"cometchat.auto-establish-socket-connection=false", "cometchat.presence-subscription=all-users",
					"cometchat.connect-timeout=3s", "cometchat.heartbeat.outgoing=5s", "cometchat.heartbeat.incoming=0",
					"cometchat.reconnect.initial-interval=200ms", "cometchat.reconnect.multiplier=1.5",
					"cometchat.reconnect.max-interval=20s", "cometchat.reconnect.jitter=100ms",
					"cometchat.reconnect.max-attempts=7", "cometchat.virtual-host=vh", "cometchat.user.uid=svc",
					"cometchat.user.auth-token=svc-token", "cometchat.inbound-message-size-limit=128KB",
					"cometchat.frame-coalescing-limit=0", "cometchat.presence.heartbeat-interval=20s",
					"cometchat.presence.missed-heartbeats=4")
			.run((context) -> {
				CometChatProperties properties = context.getBean(CometChatProperties.class);
				assertThat(properties.getPresence().getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(properties.getPresence().getMissedHeartbeats()).isEqualTo(4);
				assertThat(properties.getAppId()).isEqualTo("my-app");
				assertThat(properties.isAutoEstablishSocketConnection()).isFalse();
				assertThat(properties.getPresenceSubscription())
					.isEqualTo(PresenceSubscription.ALL_USERS);
				assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getHeartbeat().getOutgoing()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getHeartbeat().getIncoming()).isEqualTo(Duration.ZERO);
				assertThat(properties.getReconnect().getInitialInterval()).isEqualTo(Duration.ofMillis(200));
				assertThat(properties.getReconnect().getMultiplier()).isEqualTo(1.5);
				assertThat(properties.getReconnect().getMaxAttempts()).isEqualTo(7);
				assertThat(properties.getInboundMessageSizeLimit().toKilobytes()).isEqualTo(128);
				assertThat(properties.getFrameCoalescingLimit().toBytes()).isZero();
				assertThat(properties.getUser().toString()).doesNotContain("svc-token");
				assertThat(context.getBean(CometChatConnectionDetails.class).getVirtualHost()).isEqualTo("vh");
				DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
				assertThat(client.getAppId()).isEqualTo("my-app");
				assertThat(client.isAutoEstablishSocketConnection()).isFalse();
			});
	}

	@Test
	void connectionPropertiesReachTheClientsBehaviour() {
		ScriptedTransport transport = new ScriptedTransport();
		VirtualScheduler scheduler = new VirtualScheduler();
		StateRecorder states = new StateRecorder();
		this.contextRunner
			.withPropertyValues("cometchat.app-id=my-app", "cometchat.connect-timeout=3s",
					"cometchat.reconnect.initial-interval=200ms", "cometchat.reconnect.multiplier=3",
					"cometchat.reconnect.jitter=0", "cometchat.reconnect.max-interval=20s",
					"cometchat.reconnect.max-attempts=2", "cometchat.send-queue-capacity=1", "cometchat.receipts=false",
					"cometchat.user.uid=svc", "cometchat.user.auth-token=svc-token")
			.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
				.scheduler(scheduler)
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.callbackExecutor(Runnable::run))
			.run((context) -> {
				DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
				client.addConnectionListener("states", states);
				assertThat(transport.last().credentials().uid()).as("cometchat.user.*").isEqualTo("svc");
				scheduler.advance(Duration.ofSeconds(3));
				assertThat(states.last().reason().getCode()).as("cometchat.connect-timeout")
					.isEqualTo(ErrorCode.CONNECT_TIMEOUT);
				assertThat(states.last().retryIn()).as("cometchat.reconnect.initial-interval")
					.isEqualTo(Duration.ofMillis(200));
				scheduler.advance(Duration.ofMillis(200));
				scheduler.advance(Duration.ofSeconds(3));
				assertThat(states.last().retryIn()).as("cometchat.reconnect.multiplier")
					.isEqualTo(Duration.ofMillis(600));
				scheduler.advance(Duration.ofMillis(600));
				scheduler.advance(Duration.ofSeconds(3));
				assertThat(states.last().reason().getCode()).as("cometchat.reconnect.max-attempts")
					.isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
				client.connect();
				transport.last().connected();
				CompletableFuture<SentMessage> sent = client
					.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "hi"));
				assertThat(sent).as("cometchat.receipts=false: done once written").isCompleted();
				assertThat(transport.last().sends().get(transport.last().sends().size() - 1).destination())
					.as("cometchat.app-id").isEqualTo("/queue/cometchat.my-app.user.bob");
				transport.last().dropped();
				transport.last().fail(ErrorCode.CONNECT_FAILED);
				client.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "queued"));
				assertThat(errorCode(client.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "one more"))))
					.as("cometchat.send-queue-capacity").isEqualTo(ErrorCode.QUEUE_FULL);
			});
	}

	@Test
	void stompPropertiesReachTheConnectFrame() {
		try (MisbehavingStompServer server = new MisbehavingStompServer()) {
			this.contextRunner
				.withPropertyValues("cometchat.url=" + server.url(), "cometchat.app-id=my-app", "cometchat.region=US",
						"cometchat.virtual-host=vh", "cometchat.heartbeat.outgoing=7s",
						"cometchat.heartbeat.incoming=3s", "cometchat.user.uid=svc", "cometchat.user.auth-token=svc-token")
				.run((context) -> {
					await().atMost(Duration.ofSeconds(20))
						.until(() -> server.frames().stream().anyMatch((frame) -> frame.startsWith("CONNECT")));
					String connect = server.frames()
						.stream()
						.filter((frame) -> frame.startsWith("CONNECT"))
						.findFirst()
						.orElseThrow();
					assertThat(connect).contains("heart-beat:7000,3000")
						.contains("host:vh")
						.contains("login:svc")
						.contains("app-id:my-app")
						.contains("region:us");
				});
		}
	}

	@Test
	void theConnectionManagerRunsOnTheSingleClientsResourcesAndTakesItAsTheSessionOfItsUser() {
		ScriptedTransport transport = new ScriptedTransport();
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("management.endpoints.web.exposure.include=cometchat")
			.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
				.scheduler(new VirtualScheduler())
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.callbackExecutor(Runnable::run))
			.run((context) -> {
				assertThat(context).hasSingleBean(DefaultCometChatConnectionManager.class)
					.hasSingleBean(CometChatResources.class);
				DefaultCometChatConnectionManager manager = context.getBean(DefaultCometChatConnectionManager.class);
				DefaultCometChatClient single = context.getBean(DefaultCometChatClient.class);
				// The saved sessions load on the store's threads; a login waits for them
				assertThat(manager.restored()).succeedsWithin(Duration.ofSeconds(10));
				CompletableFuture<CometChatClient> alice = manager.login("alice", "alice-token");
				transport.last().connected();
				CompletableFuture<CometChatUser> bob = single.login("bob", "bob-token");
				transport.last().connected();
				assertThat(alice.join()).isNotSameAs(single);
				assertThat(bob).isCompleted();
				assertThat(manager.getClient("bob")).containsSame(single);
				assertThat(manager.getClients()).hasSize(2);
				SessionStore store = context.getBean(SessionStore.class);
				assertThat(store.loadAll("default")).extracting(StoredSession::uid, StoredSession::primary)
					.containsExactlyInAnyOrder(tuple("alice", false), tuple("bob", true));
				Health health = context.getBean(CometChatHealthIndicator.class).health(true);
				assertThat(health.getStatus().getCode()).isEqualTo("UP");
				assertThat(health.getDetails()).extractingByKey("sessions")
					.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("total", 2);
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				assertThat(registry.get("cometchat.sessions").tag("state", "CONNECTED").gauge().value()).isEqualTo(2);
				CometChatEndpoint.SessionsPage page = context.getBean(CometChatEndpoint.class)
					.sessions("sessions", 0, 1);
				assertThat(page.total()).isEqualTo(2);
				assertThat(page.sessions()).extracting(CometChatEndpoint.SessionDescriptor::uid).containsExactly("alice");
				assertThat(page.toString()).doesNotContain("alice-token");
				context.getBean(CometChatEndpoint.class)
					.controlSession("sessions", "alice", CometChatEndpoint.SessionAction.LOGOUT);
				assertThat(manager.getClient("alice")).isEmpty();
				assertThat(store.loadAll("default")).extracting(StoredSession::uid).containsExactly("bob");
			});
	}

	@Test
	void backsOffFromAUserDefinedConnectionManager() {
		this.contextRunner
			.withBean("myManager", CometChatConnectionManager.class,
					() -> new DefaultCometChatConnectionManager(CometChatClient.builder()))
			.run((context) -> assertThat(context).hasSingleBean(CometChatConnectionManager.class)
				.hasBean("myManager"));
	}

	@Test
	void presencePropertiesReachTheClientsHeartbeats() {
		assertThat(presenceAnnouncements(Duration.ofSeconds(7), "cometchat.presence.heartbeat-interval=7s",
				"cometchat.presence.missed-heartbeats=2"))
			.hasSize(2)
			.allSatisfy((body) -> assertThat(body).contains("\"every\":\"PT7S\""));
	}

	@Test
	void aPresenceHeartbeatSwitchedOffSendsOnlyTheAnnouncementOnConnect() {
		assertThat(presenceAnnouncements(Duration.ofMinutes(5), "cometchat.presence.heartbeat-interval=0"))
			.singleElement()
			.satisfies((body) -> assertThat(body).doesNotContain("every"));
	}

	/**
	 * The bodies a service account announces on the presence topic in the given time after connecting.
	 */
	private List<String> presenceAnnouncements(Duration time, String... properties) {
		ScriptedTransport transport = new ScriptedTransport();
		VirtualScheduler scheduler = new VirtualScheduler();
		List<String> announcements = new ArrayList<>();
		this.contextRunner.withPropertyValues(properties)
			.withPropertyValues("cometchat.user.uid=svc", "cometchat.user.auth-token=svc-token")
			.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
				.scheduler(scheduler)
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.callbackExecutor(Runnable::run))
			.run((context) -> {
				transport.last().connected();
				scheduler.advance(time);
				transport.last()
					.sends()
					.stream()
					.filter((frame) -> frame.destination().equals("/topic/cometchat.default.presence"))
					.forEach((frame) -> announcements.add(frame.body()));
			});
		return announcements;
	}

	@Test
	void missedHeartbeatsBelowOneFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.presence.missed-heartbeats=0").run((context) -> {
			FailureAnalysis analysis = failure(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'cometchat.presence.missed-heartbeats'");
			assertThat(analysis.getAction()).contains("cometchat.presence.missed-heartbeats");
		});
	}

	@Test
	void aRestoreConcurrencyBelowOneFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.connection-manager.restore-concurrency=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cometchat.connection-manager.restore-concurrency"));
	}

	@Test
	void aLeaseShorterThanTwoRenewalsAndTheMarginFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.cluster.lease-ttl=2s", "cometchat.cluster.renew-interval=1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cometchat.cluster.lease-ttl"));
	}

	@Test
	void leasesAreMadeOnlyWhenAskedFor() {
		ApplicationContextRunner runner = this.jpaContextRunner
			.withConfiguration(AutoConfigurations.of(CometChatClusterAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(LeaseKeeper.class)
			.doesNotHaveBean(LeaseStore.class)
			.getBean(DefaultCometChatConnectionManager.class)
			.extracting(DefaultCometChatConnectionManager::getLeases)
			.isNull());
		runner.withPropertyValues("cometchat.cluster.mode=lease").withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(LeaseKeeper.class).hasSingleBean(JdbcLeaseStore.class);
			SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
			assertThat(registry.get("cometchat.cluster.held").tag("app", "default").gauge().value()).isZero();
			assertThat(registry.get("cometchat.cluster.renewals").tag("outcome", "failure").functionCounter().count())
				.isZero();
			assertThat(context.getBean(DefaultCometChatConnectionManager.class).getLeases())
				.isSameAs(context.getBean(LeaseKeeper.class));
			Integer tables = new org.springframework.jdbc.core.JdbcTemplate(context.getBean(javax.sql.DataSource.class))
				.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) IN "
						+ "('cometchat_replica', 'cometchat_session_lease')", Integer.class);
			assertThat(tables).isEqualTo(2);
		});
	}

	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource({ "single, jdbc:postgresql://db/app, false", "lease, , true",
			"lease, jdbc:h2:mem:app, true", "auto, jdbc:postgresql://db/app, true", "auto, jdbc:mariadb://db/app, true",
			"auto, jdbc:mysql://db/app, true", "auto, jdbc:h2:mem:app, false", "auto, jdbc:h2:file:./app, false",
			"auto, , false" })
	void autoLeasesOnADatabaseInstancesCanShare(String mode, String url, boolean leases) {
		List<String> properties = new java.util.ArrayList<>(List.of("cometchat.cluster.mode=" + mode));
		if (url != null) {
			properties.add("spring.datasource.url=" + url);
		}
		new ApplicationContextRunner().withUserConfiguration(LeaseModeProbe.class)
			.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> assertThat(context.containsBean("leaseMode")).isEqualTo(leases));
	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.context.annotation.Import(LeaseModeProbe.Probe.class)
	static class LeaseModeProbe {

		@Configuration(proxyBeanMethods = false)
		@org.springframework.context.annotation.Conditional(com.cometchat.spring.autoconfigure.cluster.LeaseModeConditionAccess.class)
		static class Probe {

			@Bean
			String leaseMode() {
				return "lease";
			}

		}

	}

	@Test
	void backsOffFromAUserDefinedClient() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CometChatClient.class).doesNotHaveBean(DefaultCometChatClient.class);
			assertThat(context.getBean(CometChatClient.class)).isSameAs(UserClientConfiguration.CLIENT);
		});
	}

	@Test
	void backsOffFromAUserDefinedSessionStore() {
		this.jpaContextRunner.withUserConfiguration(UserSessionStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionStore.class)
				.doesNotHaveBean(JpaSessionStore.class)
				.doesNotHaveBean(InMemorySessionStore.class);
			assertThat(context.getBean(SessionStore.class)).isSameAs(UserSessionStoreConfiguration.STORE);
		});
	}

	@Test
	void backsOffFromUserDefinedConnectionDetails() {
		this.contextRunner.withPropertyValues("cometchat.url=")
			.withUserConfiguration(UserConnectionDetailsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(CometChatConnectionDetails.class);
				assertThat(context.getBean(CometChatConnectionDetails.class))
					.isNotInstanceOf(PropertiesCometChatConnectionDetails.class);
			});
	}

	@Test
	void backsOffFromAUserDefinedHealthIndicator() {
		this.contextRunner.withUserConfiguration(UserHealthIndicatorConfiguration.class).run((context) -> {
			assertThat(context).hasBean("cometchatHealthIndicator");
			assertThat(context.getBean("cometchatHealthIndicator")).isNotInstanceOf(CometChatHealthIndicator.class);
		});
	}

	@Test
	void aTokenProviderBeanGivesFreshTokensToTheSingleClientAndToEachSessionOfTheConnectionManager() {
		ScriptedTransport transport = new ScriptedTransport();
		List<String> asked = new ArrayList<>();
		this.contextRunner.withPropertyValues("cometchat.user.uid=svc", "cometchat.user.auth-token=svc-token")
			.withBean(CometChatTokenProvider.class, () -> (uid, rejection) -> {
				asked.add(uid);
				return uid + "-fresh-token";
			})
			.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
				.scheduler(new VirtualScheduler())
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.callbackExecutor(Runnable::run))
			.run((context) -> {
				DefaultCometChatClient single = context.getBean(DefaultCometChatClient.class);
				transport.last().rejected();
				assertThat(transport.last().credentials().authToken()).isEqualTo("svc-fresh-token");
				transport.last().connected();
				assertThat(single.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
				DefaultCometChatConnectionManager manager = context.getBean(DefaultCometChatConnectionManager.class);
				assertThat(manager.restored()).succeedsWithin(Duration.ofSeconds(10));
				CompletableFuture<CometChatClient> alice = manager.login("alice", "alice-token");
				transport.last().connected();
				transport.last().dropped();
				transport.last().rejected();
				assertThat(transport.last().credentials().authToken()).isEqualTo("alice-fresh-token");
				transport.last().connected();
				assertThat(alice.join().getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
				assertThat(asked).containsExactly("svc", "alice");
				assertThat(context.getBean(SessionStore.class).loadAll("default"))
					.extracting(StoredSession::uid, StoredSession::authToken)
					.containsExactlyInAnyOrder(tuple("svc", "svc-fresh-token"), tuple("alice", "alice-fresh-token"));
			});
	}

	@Test
	void customizersAreApplied() {
		this.contextRunner.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.appId("custom"))
			.run((context) -> assertThat(context.getBean(DefaultCometChatClient.class).getAppId())
				.isEqualTo("custom"));
	}

	@Test
	void disabledCreatesNothing() {
		this.jpaContextRunner.withPropertyValues("cometchat.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(CometChatClient.class)
				.doesNotHaveBean(SessionStore.class)
				.doesNotHaveBean(CometChatSessionRepository.class)
				.doesNotHaveBean(CometChatSessionDataSourceScriptDatabaseInitializer.class)
				.doesNotHaveBean("cometchatHealthIndicator");
		});
	}

	@Test
	void withoutActuatorThereIsNoHealthIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ConditionalOnEnabledHealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(CometChatClient.class)
				.doesNotHaveBean("cometchatHealthIndicator"));
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.cometchat.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(CometChatClient.class)
				.doesNotHaveBean("cometchatHealthIndicator"));
	}

	@Test
	void healthIndicatorReportsTheConnectionState() {
		this.contextRunner.run((context) -> {
			CometChatHealthIndicator indicator = context.getBean(CometChatHealthIndicator.class);
			Health health = indicator.health(true);
			assertThat(health.getStatus().getCode()).isEqualTo("UNKNOWN");
			assertThat(health.getDetails()).containsEntry("state", ConnectionState.INITIALIZED)
				.containsEntry("url", "ws://localhost:15674/ws");
		});
	}

	@Test
	void withAMeterRegistryTheClientIsMetered() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(CometChatMetrics.class);
			SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
			assertThat(registry.get("cometchat.connection.state").tag("state", "INITIALIZED").gauge().value())
				.isEqualTo(1);
			assertThat(registry.get("cometchat.messages.pending").tag("app", "default").gauge().value()).isZero();
			assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
				.extracting(io.micrometer.core.instrument.Tag::getKey)
				.doesNotContain("uid", "user"));
		});
	}

	@Test
	void anObserverThatACustomizerAddsDoesNotReplaceTheMetrics() {
		ScriptedTransport transport = new ScriptedTransport();
		java.util.List<ConnectionState> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
				.scheduler(new VirtualScheduler())
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.callbackExecutor(Runnable::run)
				.addObserver(new com.cometchat.spring.client.CometChatClientObserver() {

					@Override
					public void stateChanged(com.cometchat.spring.client.ConnectionStateChange change) {
						observed.add(change.current());
					}

				}))
			.run((context) -> {
				context.getBean(DefaultCometChatClient.class).login("alice", "alice-token");
				transport.last().connected();
				assertThat(observed).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				assertThat(registry.get("cometchat.connection.state").tag("state", "CONNECTED").gauge().value())
					.isEqualTo(1);
			});
	}

	@Test
	void anExecutorBeanNamedCometChatCallbackExecutorRunsTheListeners() {
		ScriptedTransport transport = new ScriptedTransport();
		java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.ExecutorService callbacks = java.util.concurrent.Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "app-callbacks"));
		try {
			this.contextRunner
				.withBean(CometChatAutoConfiguration.CALLBACK_EXECUTOR_BEAN_NAME, java.util.concurrent.Executor.class,
						() -> callbacks)
				.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
					.scheduler(new VirtualScheduler())
					.executor(Runnable::run)
					.ioExecutor(Runnable::run))
				.run((context) -> {
					DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
					client.addConnectionListener("threads", (change) -> threads.add(Thread.currentThread().getName()));
					CompletableFuture<String> continuation = client.login("alice", "alice-token")
						.thenApply((user) -> Thread.currentThread().getName());
					transport.last().connected();
					assertThat(continuation.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("app-callbacks");
					await().until(() -> threads.size() == 2);
					assertThat(threads).containsOnly("app-callbacks");
				});
		}
		finally {
			callbacks.shutdownNow();
		}
	}

	@Test
	void withoutAMeterRegistryThereAreNoMetrics() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CometChatMetrics.class));
	}

	@Test
	void endpointIsAvailableWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cometchat")
			.run((context) -> assertThat(context).hasSingleBean(CometChatEndpoint.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CometChatEndpoint.class));
	}

	@Test
	void withJpaTheSessionIsSavedInTheRepositoryAndItsTable() {
		this.jpaContextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JpaSessionStore.class)
				.hasSingleBean(CometChatSessionRepository.class)
				.doesNotHaveBean(InMemorySessionStore.class);
			SessionStore store = context.getBean(SessionStore.class);
			store.save(new StoredSession("app", "bot-1", "eu", "token-1", java.time.Instant.now(), null));
			assertThat(store.load("app")).get().extracting(StoredSession::uid).isEqualTo("bot-1");
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForObject("select uid from cometchat_session where app_id = 'app'", String.class))
				.isEqualTo("bot-1");
			store.delete("app");
			assertThat(jdbc.queryForObject("select count(*) from cometchat_session", Integer.class)).isZero();
		});
	}

	@Test
	void withAnEncryptionKeyTheRawColumnNeverHoldsTheToken() {
		String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
		this.jpaContextRunner.withPropertyValues("cometchat.session.encryption-key=" + key).run((context) -> {
			SessionStore store = context.getBean(SessionStore.class);
			store.save(new StoredSession("app", "bot-1", "eu", "token-in-clear", java.time.Instant.now(), null));
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			String raw = jdbc.queryForObject("select auth_token from cometchat_session", String.class);
			assertThat(raw).startsWith("gcm1:").doesNotContain("token-in-clear");
			assertThat(store.load("app")).get().extracting(StoredSession::authToken).isEqualTo("token-in-clear");
		});
	}

	@Test
	void aWrongEncryptionKeyIsAClearErrorAndTheSessionIsNotUsed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
		String url = "spring.datasource.url=jdbc:h2:file:" + dir.resolve("db");
		String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
		String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[16]);
		this.jpaContextRunner.withPropertyValues(url, "cometchat.session.encryption-key=" + key)
			.run((context) -> context.getBean(SessionStore.class)
				.save(new StoredSession("default", "bot-1", "eu", "token-1", java.time.Instant.now(), null)));
		this.jpaContextRunner.withPropertyValues(url, "cometchat.session.encryption-key=" + otherKey)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
				assertThat(client.getLoggedInUser()).isEmpty();
				org.awaitility.Awaitility.await()
					.until(() -> client.getConnectionSnapshot().lastError() != null);
				assertThat(client.getConnectionSnapshot().lastError().getMessage())
					.contains("cometchat.session.encryption-key");
				assertThat(client.getConnectionState()).isEqualTo(ConnectionState.INITIALIZED);
			});
	}

	@Test
	void aMalformedEncryptionKeyFailsNamingThePropertyWithoutShowingIt() {
		this.jpaContextRunner.withPropertyValues("cometchat.session.encryption-key=short-secret").run((context) -> {
			FailureAnalysis analysis = failure(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'cometchat.session.encryption-key'")
				.doesNotContain("short-secret");
		});
	}

	@Test
	void theApplicationsOwnRepositoriesAndEntitiesStillWork() {
		this.jpaContextRunner.run((context) -> {
			assertThat(context).hasSingleBean(NoteRepository.class).hasSingleBean(CometChatSessionRepository.class);
			NoteRepository notes = context.getBean(NoteRepository.class);
			notes.save(new Note("hello"));
			assertThat(notes.findAll()).extracting(Note::getText).containsExactly("hello");
		});
	}

	@Test
	void schemaIsCreatedOnAFileDatabaseThatHibernateLeavesAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
		this.jpaContextRunner.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + dir.resolve("db"))
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
				assertThat(jdbc.queryForObject("select count(*) from cometchat_session", Integer.class)).isZero();
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:h2:file:", "jdbc:hsqldb:file:" })
	void aTableOfVersion01KeepsItsSavedSessionAfterTheUpgrade(String database,
			@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		// The 0.1 script of H2 is also that of HSQLDB: the same SQL
		String url = database + dir.resolve("db");
		try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url)) {
			org.springframework.jdbc.datasource.init.ScriptUtils.executeSqlScript(connection,
					new org.springframework.core.io.ClassPathResource("com/cometchat/spring/session/schema-0.1-h2.sql"));
			try (java.sql.Statement statement = connection.createStatement()) {
				statement.executeUpdate("insert into cometchat_session (app_id, uid, region, auth_token, created_at) "
						+ "values ('default', 'bot-1', 'eu', 'token-1', current_timestamp)");
			}
		}
		ScriptedTransport transport = new ScriptedTransport();
		this.jpaContextRunner.withPropertyValues("spring.datasource.url=" + url)
			.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(transport)
				.scheduler(new VirtualScheduler())
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.callbackExecutor(Runnable::run))
			.run((context) -> {
				DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
				assertThat(client.loggedInUser().get(5, java.util.concurrent.TimeUnit.SECONDS))
					.contains(new CometChatUser("bot-1"));
				assertThat(transport.last().credentials().authToken()).as("reconnects from the saved session")
					.isEqualTo("token-1");
				SessionStore store = context.getBean(SessionStore.class);
				assertThat(store.loadAll("default")).singleElement().satisfies((session) -> {
					assertThat(session.uid()).isEqualTo("bot-1");
					assertThat(session.primary()).isTrue();
				});
				store.save(new StoredSession("default", "bot-2", "eu", "token-2", java.time.Instant.now(), null,
						java.util.Set.of(), false));
				assertThat(store.loadAll("default")).as("one row per app id and uid now").hasSize(2);
				assertThat(store.load("default")).get().extracting(StoredSession::uid).isEqualTo("bot-1");
			});
	}

	@Test
	void memoryStoreCanBeChosenWithJpaPresent() {
		this.jpaContextRunner.withPropertyValues("cometchat.session.store=memory").run((context) -> {
			assertThat(context).hasSingleBean(InMemorySessionStore.class)
				.doesNotHaveBean(JpaSessionStore.class)
				.doesNotHaveBean(CometChatSessionRepository.class);
		});
	}

	@Test
	void theJdbcStoreKeepsSessionsInTheTableWithoutAnEntityInTheApplicationsPersistenceUnit() {
		this.jpaContextRunner.withPropertyValues("cometchat.session.store=jdbc").run((context) -> {
			assertThat(context).hasSingleBean(JdbcSessionStore.class)
				.doesNotHaveBean(JpaSessionStore.class)
				.doesNotHaveBean(CometChatSessionRepository.class)
				.hasSingleBean(NoteRepository.class);
			jakarta.persistence.EntityManagerFactory entityManagerFactory = context
				.getBean(jakarta.persistence.EntityManagerFactory.class);
			assertThat(entityManagerFactory.getMetamodel().getEntities())
				.extracting((entity) -> entity.getJavaType().getName())
				.containsExactly(Note.class.getName());
			SessionStore store = context.getBean(SessionStore.class);
			store.save(new StoredSession("app", "bot-1", "eu", "token-1", java.time.Instant.now(), null));
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForObject("select uid from cometchat_session where app_id = 'app'", String.class))
				.isEqualTo("bot-1");
			NoteRepository notes = context.getBean(NoteRepository.class);
			notes.save(new Note("hello"));
			assertThat(notes.findAll()).extracting(Note::getText).containsExactly("hello");
		});
	}

	@Test
	void theJdbcStoreNeedsNoJpa() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(JpaRepository.class, jakarta.persistence.EntityManager.class))
			.withPropertyValues("cometchat.session.store=jdbc",
					"spring.datasource.url=jdbc:h2:mem:jdbc-store-${random.uuid}")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcSessionStore.class).doesNotHaveBean(InMemorySessionStore.class);
				SessionStore store = context.getBean(SessionStore.class);
				store.save(new StoredSession("default", "bot-1", "eu", "token-1", java.time.Instant.now(), null));
				assertThat(store.load("default")).get().extracting(StoredSession::authToken).isEqualTo("token-1");
			});
	}

	@Test
	void withoutJpaTheDefaultStoreIsTheJdbcOneWhenThereIsADataSourceAndMemoryOtherwise() {
		ApplicationContextRunner withoutJpa = this.contextRunner
			.withClassLoader(new FilteredClassLoader(JpaRepository.class));
		withoutJpa.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:jdbc-default-${random.uuid}")
			.run((context) -> assertThat(context).hasSingleBean(JdbcSessionStore.class)
				.doesNotHaveBean(InMemorySessionStore.class));
		withoutJpa.run((context) -> assertThat(context).hasSingleBean(InMemorySessionStore.class)
			.doesNotHaveBean(JdbcSessionStore.class));
		this.jpaContextRunner.run((context) -> assertThat(context).hasSingleBean(JpaSessionStore.class)
			.doesNotHaveBean(JdbcSessionStore.class));
	}

	@Test
	void theJdbcStoreWithoutADataSourceFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.session.store=jdbc")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getDescription())
				.contains("cometchat.session.store")
				.contains("DataSource"));
	}

	@Test
	void leasesWorkOnTheJdbcStore() {
		this.jpaContextRunner.withConfiguration(AutoConfigurations.of(CometChatClusterAutoConfiguration.class))
			.withPropertyValues("cometchat.session.store=jdbc", "cometchat.cluster.mode=lease")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcSessionStore.class)
					.hasSingleBean(LeaseKeeper.class)
					.hasSingleBean(JdbcLeaseStore.class);
				assertThat(context.getBean(DefaultCometChatConnectionManager.class).getLeases())
					.isSameAs(context.getBean(LeaseKeeper.class));
			});
	}

	@Test
	void jpaStoreWithoutJpaFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.session.store=jpa")
			.withClassLoader(new FilteredClassLoader(JpaRepository.class))
			.run((context) -> assertThat(failure(context.getStartupFailure()).getDescription())
				.contains("cometchat.session.store"));
	}

	@Test
	void aWebSocketClientWhoseLibraryIsMissingFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.websocket-client=jetty")
			.withClassLoader(new FilteredClassLoader(
					org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer.class))
			.run((context) -> {
				FailureAnalysis analysis = failure(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'cometchat.websocket-client'", "not on the class path");
				assertThat(analysis.getAction()).contains("jetty-ee11-websocket-jakarta-client");
			});
	}

	@Test
	void tomcatsWebSocketClientCanBeChosen() {
		this.contextRunner.withPropertyValues("cometchat.websocket-client=tomcat")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(CometChatClient.class));
	}

	@Test
	void missingUrlFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.url=").run((context) -> {
			FailureAnalysis analysis = failure(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'cometchat.url'").contains("not set");
			assertThat(analysis.getAction()).contains("cometchat.url");
		});
	}

	@Test
	void malformedUrlsFailNamingTheProperty() {
		for (String url : new String[] { "http://localhost:8080/ws", "localhost:8080", "ws://", "ws://bad host/ws" }) {
			this.contextRunner.withPropertyValues("cometchat.url=" + url)
				.run((context) -> assertThat(failure(context.getStartupFailure()).getDescription())
					.as(url)
					.contains("'cometchat.url'"));
		}
	}

	@Test
	void badDurationsFailNamingTheProperty() {
		for (String property : new String[] { "cometchat.connect-timeout=0s", "cometchat.heartbeat.outgoing=-1s",
				"cometchat.reconnect.initial-interval=-5ms", "cometchat.reconnect.max-interval=0",
				"cometchat.presence.heartbeat-interval=-1s" }) {
			String name = property.substring(0, property.indexOf('='));
			this.contextRunner.withPropertyValues(property)
				.run((context) -> assertThat(failure(context.getStartupFailure()).getDescription()).as(property)
					.contains("'" + name + "'"));
		}
	}

	@Test
	void aNegativeFrameCoalescingLimitFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.frame-coalescing-limit=-1B")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getDescription())
				.contains("'cometchat.frame-coalescing-limit'"));
	}

	@Test
	void theFrameCoalescingLimitDefaultsTo8Kilobytes() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(CometChatProperties.class).getFrameCoalescingLimit().toBytes())
			.isEqualTo(WebSocketStompTransport.Settings.DEFAULT_FRAME_COALESCING_LIMIT));
	}

	@Test
	void aNegativeAcknowledgeDelayFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("cometchat.acknowledge-delay=-1ms")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getDescription())
				.contains("'cometchat.acknowledge-delay'"));
	}

	@Test
	void theAcknowledgeDelayDefaultsToNoneAndTakesADuration() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(CometChatProperties.class).getAcknowledgeDelay())
			.isEqualTo(WebSocketStompTransport.Settings.DEFAULT_ACKNOWLEDGE_DELAY)
			.isZero());
		this.contextRunner.withPropertyValues("cometchat.acknowledge-delay=5ms").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CometChatProperties.class).getAcknowledgeDelay())
				.isEqualTo(Duration.ofMillis(5));
		});
	}

	@Test
	void anUnknownPresenceModeFailsNamingThePropertyAndTheValidValues() {
		this.contextRunner.withPropertyValues("cometchat.presence-subscription=everyone").run((context) -> {
			assertThat(context).hasFailed();
			org.springframework.boot.context.properties.bind.BindException bind = findCause(
					context.getStartupFailure(), org.springframework.boot.context.properties.bind.BindException.class);
			assertThat(bind.getName()).hasToString("cometchat.presence-subscription");
			// Spring Boot's own failure analyzer turns this into "The following values are valid: ALL_USERS ..."
			assertThat(bind.getTarget().getType().resolve()).isEqualTo(PresenceSubscription.class);
		});
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		Throwable cause = failure;
		while (cause != null && !type.isInstance(cause)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("cause of %s", failure).isInstanceOf(type);
		return type.cast(cause);
	}

	private static FailureAnalysis failure(Throwable startupFailure) {
		assertThat(startupFailure).isNotNull();
		Throwable cause = startupFailure;
		while (cause != null && !(cause instanceof InvalidCometChatPropertyException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("cause of %s", startupFailure).isInstanceOf(InvalidCometChatPropertyException.class);
		FailureAnalysis analysis = new InvalidCometChatPropertyFailureAnalyzer().analyze(startupFailure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		static final CometChatClient CLIENT = new NoopClient();

		@Bean
		CometChatClient myClient() {
			return CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSessionStoreConfiguration {

		static final SessionStore STORE = new SessionStore() {

			@Override
			public Optional<StoredSession> load(String appId) {
				return Optional.empty();
			}

			@Override
			public Optional<StoredSession> load(String appId, String uid) {
				return Optional.empty();
			}

			@Override
			public java.util.List<StoredSession> loadAll(String appId) {
				return java.util.List.of();
			}

			@Override
			public void save(StoredSession session) {
			}

			@Override
			public void delete(String appId) {
			}

			@Override
			public void delete(String appId, String uid) {
			}

		};

		@Bean
		SessionStore mySessionStore() {
			return STORE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionDetailsConfiguration {

		@Bean
		CometChatConnectionDetails myConnectionDetails() {
			return () -> URI.create("ws://broker.example:15674/ws");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthIndicatorConfiguration {

		@Bean
		org.springframework.boot.health.contributor.HealthIndicator cometchatHealthIndicator() {
			return () -> Health.up().build();
		}

	}

	/**
	 * A client of the user's own.
	 */
	static final class NoopClient implements CometChatClient {

		@Override
		public CompletableFuture<CometChatUser> login(String uid, String authToken) {
			return CompletableFuture.completedFuture(new CometChatUser(uid));
		}

		@Override
		public CompletableFuture<Void> logout() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public Optional<CometChatUser> getLoggedInUser() {
			return Optional.empty();
		}

		@Override
		public CompletableFuture<Void> connect() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> disconnect() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public ConnectionState getConnectionState() {
			return ConnectionState.INITIALIZED;
		}

		@Override
		public ConnectionSnapshot getConnectionSnapshot() {
			return new ConnectionSnapshot(ConnectionState.INITIALIZED, java.time.Instant.EPOCH, 0, null, null);
		}

		@Override
		public void addConnectionListener(String id, ConnectionListener listener) {
		}

		@Override
		public void removeConnectionListener(String id) {
		}

		@Override
		public void addLoginListener(String id, LoginListener listener) {
		}

		@Override
		public void removeLoginListener(String id) {
		}

		@Override
		public CompletableFuture<SentMessage> sendMessage(OutgoingMessage message) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException());
		}

		@Override
		public void addMessageListener(String id, MessageListener listener) {
		}

		@Override
		public void removeMessageListener(String id) {
		}

		@Override
		public void addUserListener(String id, UserListener listener) {
		}

		@Override
		public void removeUserListener(String id) {
		}

		@Override
		public CompletableFuture<Void> startTyping(ReceiverType receiverType, String receiver,
				Map<String, Object> metadata) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> endTyping(ReceiverType receiverType, String receiver) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> sendTransientMessage(ReceiverType receiverType, String receiver,
				Map<String, Object> data) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> markAsDelivered(ChatMessage message) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> markAsDelivered(String messageId) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> markAsRead(ChatMessage message) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> markAsRead(String messageId) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> editMessage(String messageId, String newText) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> deleteMessage(String messageId) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> addReaction(String messageId, String reaction) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> removeReaction(String messageId, String reaction) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void addGroupListener(String id, GroupListener listener) {
		}

		@Override
		public void removeGroupListener(String id) {
		}

		@Override
		public void addEventListener(String id, com.cometchat.spring.client.CometChatEventListener listener) {
		}

		@Override
		public void removeEventListener(String id) {
		}

		@Override
		public CompletableFuture<Void> joinGroup(String guid) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> leaveGroup(String guid) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public java.util.Set<String> getJoinedGroups() {
			return java.util.Set.of();
		}

	}

}
