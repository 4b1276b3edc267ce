package com.cometchat.spring.integration;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.cometchat.spring.test.FaultProxy;
import com.cometchat.spring.test.PostgresSchemas;
import com.cometchat.spring.test.RabbitMqStompBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three JVMs of an application with {@code cometchat.cluster.mode=lease} on the machine's PostgreSQL and RabbitMQ,
 * sharing 30 saved sessions: each is held by exactly one JVM, counted at the broker (its event exchange: never two
 * open connections of one user at once); the JVM holding the most is killed with SIGKILL, and every session it held is
 * connected again by a survivor within 10 s. The JVMs are started here and destroyed by their process at the end.
 */
class ReplicasIT {

	private static final int SESSIONS = 30;

	private static final int REPLICAS = 3;

	private static final Duration FAIL_OVER = Duration.ofSeconds(10);

	private final PostgresSchemas schemas = new PostgresSchemas();

	private final Map<String, String> users = new LinkedHashMap<>();

	private final List<Process> replicas = new ArrayList<>();

	/** Open broker connections per user, from the broker's events in its order. */
	private final Map<String, Integer> open = new ConcurrentHashMap<>();

	/** When each user's last connection opened, on this JVM's clock. */
	private final Map<String, Long> openedAt = new ConcurrentHashMap<>();

	private final List<String> twoAtOnce = new CopyOnWriteArrayList<>();

	/** The broker's events in its order: {@code +uid} for an open, {@code -uid} for a close. */
	private final List<String> events = new CopyOnWriteArrayList<>();

	private RabbitMqStompBroker broker;

	/** Consumers of each user's inbox queue, from the broker's consumer events in its order. */
	private final Map<String, Integer> inboxConsumers = new ConcurrentHashMap<>();

	private final List<String> twoConsumers = new CopyOnWriteArrayList<>();

	private com.rabbitmq.client.Connection consumerEvents;

	private JdbcTemplate jdbc;

	private String schema;

	private final String appId = "replicas-" + UUID.randomUUID().toString().substring(0, 8);

	/** The replicas' logs, kept for a failure's post-mortem. */
	private final Path dir = Path.of("target", "replicas-it", UUID.randomUUID().toString());

	@BeforeEach
	void setUp() throws Exception {
		String prefix = "rep" + UUID.randomUUID().toString().substring(0, 6);
		for (int i = 0; i < SESSIONS; i++) {
			this.users.put(prefix + "-" + i, "token-" + UUID.randomUUID());
		}
		Files.createDirectories(this.dir);
		this.broker = new RabbitMqStompBroker();
		this.broker.addUsers(this.users);
		this.broker.start();
		this.broker.watchConnections((uid, pid, opened) -> {
			this.events.add((opened ? "+" : "-") + uid);
			int now = this.open.merge(uid, opened ? 1 : -1, Integer::sum);
			if (opened) {
				this.openedAt.put(uid, System.nanoTime());
				if (now > 1) {
					this.twoAtOnce.add(uid + " had " + now + " connections at once");
				}
			}
		});
		watchInboxConsumers();
		this.schema = this.schemas.create();
		DataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(),
				PostgresSchemas.URL + "?currentSchema=" + this.schema, PostgresSchemas.USER, "");
		new ResourceDatabasePopulator(new ClassPathResource("com/cometchat/spring/session/schema-postgresql.sql"),
				new ClassPathResource("com/cometchat/spring/cluster/schema-postgresql.sql"))
			.execute(dataSource);
		this.jdbc = new JdbcTemplate(dataSource);
		// Saved sessions, as an earlier run of the application left them (tokens not encrypted: no key is set)
		this.users.forEach((uid, token) -> this.jdbc.update(
				"INSERT INTO cometchat_session (app_id, uid, primary_session, auth_token, created_at, group_ids) "
						+ "VALUES (?, ?, FALSE, ?, ?, 'g1')",
				this.appId, uid, token, Timestamp.from(Instant.now())));
	}

	@AfterEach
	void tearDown() throws Exception {
		for (Process replica : this.replicas) {
			replica.destroyForcibly();
		}
		for (Process replica : this.replicas) {
			replica.waitFor(30, TimeUnit.SECONDS);
		}
		if (this.consumerEvents != null) {
			deleteQueues();
			this.consumerEvents.close();
		}
		if (this.broker != null) {
			this.broker.close();
		}
		this.schemas.dropAll();
	}

	private Process startReplica(int number) throws Exception {
		return startReplica(number, PostgresSchemas.URL);
	}

	/**
	 * Delete the durable queues the replicas made (each user's inbox and group subscription): left behind, they pile
	 * up run after run, and RabbitMQ then takes minutes to start its application again (seen: 1 751 queues).
	 */
	private void deleteQueues() throws Exception {
		com.rabbitmq.client.Channel channel = this.consumerEvents.createChannel();
		for (String uid : this.users.keySet()) {
			channel.queueDelete("cometchat." + this.appId + ".user." + uid);
		}
		Process bindings = new ProcessBuilder("rabbitmqctl", "-q", "list_bindings", "source_name", "destination_name",
				"routing_key")
			.redirectErrorStream(true)
			.start();
		String listed = new String(bindings.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		bindings.waitFor(60, TimeUnit.SECONDS);
		for (String line : listed.split("\n")) {
			String[] columns = line.split("\t");
			if (columns.length == 3 && columns[0].equals("amq.topic")
					&& columns[2].startsWith("cometchat." + this.appId + ".")) {
				channel.queueDelete(columns[1]);
			}
		}
		channel.close();
	}

	/**
	 * Count the consumers of each user's inbox queue from RabbitMQ's {@code consumer.created} and
	 * {@code consumer.deleted} events (an exclusive, auto-deleted queue of this test on its event exchange).
	 */
	private void watchInboxConsumers() throws Exception {
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(5672);
		factory.setUsername("guest");
		factory.setPassword("guest");
		this.consumerEvents = factory.newConnection("replicas-it-consumer-events");
		com.rabbitmq.client.Channel channel = this.consumerEvents.createChannel();
		String queue = channel.queueDeclare().getQueue();
		channel.queueBind(queue, "amq.rabbitmq.event", "consumer.#");
		String inbox = "cometchat." + this.appId + ".user.";
		channel.basicConsume(queue, true, (tag, delivery) -> {
			Map<String, Object> headers = delivery.getProperties().getHeaders();
			Object name = (headers != null) ? headers.get("queue") : null;
			if (name == null || !name.toString().startsWith(inbox)) {
				return;
			}
			String uid = name.toString().substring(inbox.length());
			boolean created = delivery.getEnvelope().getRoutingKey().equals("consumer.created");
			int now = this.inboxConsumers.merge(uid, created ? 1 : -1, Integer::sum);
			if (now > 1) {
				this.twoConsumers.add(uid + " had " + now + " consumers on its inbox at once");
			}
		}, (tag) -> {
		});
	}

	private Process startReplica(int number, String databaseUrl) throws Exception {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
				"-Dreplica.received=" + this.dir.resolve("received-" + number + ".txt").toAbsolutePath(), "-cp",
				System.getProperty("java.class.path"), ReplicaProcess.class.getName(),
				"--spring.datasource.url=" + databaseUrl + "?currentSchema=" + this.schema,
				"--spring.datasource.username=" + PostgresSchemas.USER, "--spring.jpa.hibernate.ddl-auto=validate",
				"--spring.main.banner-mode=off", "--spring.jpa.open-in-view=false",
				// Not a test to Spring Boot's Docker Compose support, which would look for a compose.yaml
				"--spring.docker.compose.enabled=false", "--cometchat.url=" + this.broker.url(),
				"--cometchat.app-id=" + this.appId, "--cometchat.cluster.mode=lease",
				"--cometchat.reconnect.initial-interval=200ms", "--cometchat.reconnect.max-interval=1s",
				"--cometchat.durable-subscriptions=true"));
		File log = this.dir.resolve("replica-" + number + ".log").toFile();
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log)
			.start();
		this.replicas.add(process);
		return process;
	}

	/** Sessions held per replica process id, from the leases and the replicas' rows. */
	private Map<Long, List<String>> holders() {
		Map<Long, List<String>> held = new HashMap<>();
		this.jdbc.query("SELECT r.host, l.uid FROM cometchat_session_lease l JOIN cometchat_replica r "
				+ "ON r.replica_id = l.holder WHERE l.app_id = ?", (row) -> {
					String host = row.getString(1);
					long pid = Long.parseLong(host.substring(host.lastIndexOf('/') + 1));
					held.computeIfAbsent(pid, (key) -> new ArrayList<>()).add(row.getString(2));
				}, this.appId);
		return held;
	}

	private boolean everyUserHasOneConnection() {
		return this.users.keySet().stream().allMatch((uid) -> this.open.getOrDefault(uid, 0) == 1);
	}

	private void awaitOneHolderEach() {
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			Map<Long, List<String>> held = holders();
			assertThat(held).hasSize(REPLICAS);
			assertThat(held.values()).allMatch((uids) -> uids.size() == SESSIONS / REPLICAS);
			assertThat(this.users.keySet()).as("users without exactly one connection at the broker")
				.allMatch((uid) -> this.open.getOrDefault(uid, 0) == 1, this.open.toString());
			assertThat(this.users.keySet()).as("users without exactly one consumer of their inbox")
				.allMatch((uid) -> this.inboxConsumers.getOrDefault(uid, 0) == 1, this.inboxConsumers.toString());
		});
	}

	private List<Long> failOverMillis(List<String> orphaned, long since) {
		return orphaned.stream()
			.map((uid) -> TimeUnit.NANOSECONDS.toMillis(this.openedAt.get(uid) - since))
			.sorted()
			.toList();
	}

	@Test
	void aReplicaThatStopsHandsItsSessionsOver() throws Exception {
		for (int i = 0; i < REPLICAS; i++) {
			startReplica(i);
		}
		awaitOneHolderEach();
		Process stopping = this.replicas.get(0);
		List<String> orphaned = holders().get(stopping.pid());
		long stoppedAt = System.nanoTime();
		// Its standard input closes: it exits normally, so Spring closes its context (a graceful stop)
		stopping.getOutputStream().close();
		await().atMost(FAIL_OVER).pollInterval(Duration.ofMillis(20)).until(() -> orphaned.stream()
			.allMatch((uid) -> this.open.getOrDefault(uid, 0) == 1 && this.openedAt.getOrDefault(uid, 0L) > stoppedAt));
		List<Long> handOver = failOverMillis(orphaned, stoppedAt);
		System.out.println("ReplicasIT: " + orphaned.size() + " sessions of the replica that stopped connected again by "
				+ "the others: p50 " + handOver.get(handOver.size() / 2) + " ms, max " + handOver.get(handOver.size() - 1)
				+ " ms after its stop began");
		assertThat(stopping.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(stopping.exitValue()).isZero();
		assertThat(this.twoAtOnce).isEmpty();
		assertThat(this.twoConsumers).as("never two consumers of one inbox").isEmpty();
		assertThat(holders()).hasSize(REPLICAS - 1);
	}

	@Test
	void aReplicaCutOffFromTheDatabaseDropsItsSocketsBeforeAnotherTakesItsSessions() throws Exception {
		try (FaultProxy database = new FaultProxy("127.0.0.1", 5432)) {
			Process cut = startReplica(0, "jdbc:postgresql://127.0.0.1:" + database.port() + "/test");
			for (int i = 1; i < REPLICAS; i++) {
				startReplica(i);
			}
			awaitOneHolderEach();
			List<String> orphaned = holders().get(cut.pid());
			int before = this.events.size();
			long cutAt = System.nanoTime();
			// Every database call of that replica hangs from now on; it does not die
			database.blackhole();
			await().atMost(FAIL_OVER).pollInterval(Duration.ofMillis(50)).until(() -> orphaned.stream()
				.allMatch((uid) -> this.open.getOrDefault(uid, 0) == 1
						&& this.openedAt.getOrDefault(uid, 0L) > cutAt));
			List<Long> failOver = failOverMillis(orphaned, cutAt);
			System.out.println("ReplicasIT: " + orphaned.size() + " sessions of the replica cut off from the database "
					+ "connected again by the others: p50 " + failOver.get(failOver.size() / 2) + " ms, max "
					+ failOver.get(failOver.size() - 1) + " ms");
			// In the broker's order: every socket of the cut replica closed before the first of the others opened
			List<String> after = List.copyOf(this.events.subList(before, this.events.size()));
			int lastClose = -1;
			int firstOpen = Integer.MAX_VALUE;
			for (int i = 0; i < after.size(); i++) {
				String uid = after.get(i).substring(1);
				if (orphaned.contains(uid)) {
					if (after.get(i).startsWith("-")) {
						lastClose = Math.max(lastClose, i);
					}
					else {
						firstOpen = Math.min(firstOpen, i);
					}
				}
			}
			assertThat(lastClose).as("the cut replica's sockets closed (%s)", after).isGreaterThanOrEqualTo(0);
			assertThat(lastClose).as("before any other replica opened one (%s)", after).isLessThan(firstOpen);
			assertThat(this.twoAtOnce).isEmpty();
			assertThat(this.twoConsumers).as("never two consumers of one inbox").isEmpty();
		assertThat(this.twoConsumers).as("never two consumers of one inbox").isEmpty();
			assertThat(cut.isAlive()).as("it only stopped acting").isTrue();
		}
	}

	@Test
	void eachSessionHasOneHolderAndASurvivorTakesTheSessionsOfAKilledOneWithinTenSeconds() throws Exception {
		for (int i = 0; i < REPLICAS; i++) {
			startReplica(i);
		}
		awaitOneHolderEach();
		// 10 messages a second from the application's server over AMQP, to the users' inboxes and to their group
		try (Producer producer = new Producer()) {
			producer.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> producer.sent() >= 20);
			int sentAtKill = producer.sent();
			killTheReplicaHoldingTheMost();
			await().atMost(Duration.ofSeconds(30)).until(() -> producer.sent() >= sentAtKill + 30);
			producer.stop();
			// Every message reached one listener once: per user, no id twice, across the three JVMs' files
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				List<String> received = receivedByAll();
				assertThat(received).as("no message twice").doesNotHaveDuplicates();
				assertThat(received).as("every message").containsExactlyInAnyOrderElementsOf(producer.expected());
			});
			System.out.println("ReplicasIT: " + producer.expected().size() + " deliveries (" + producer.sent()
					+ " messages to inboxes and the group of " + SESSIONS + " users), each to one listener once");
		}
	}

	private List<String> receivedByAll() throws java.io.IOException {
		List<String> all = new ArrayList<>();
		for (int i = 0; i < REPLICAS; i++) {
			Path file = this.dir.resolve("received-" + i + ".txt");
			if (Files.exists(file)) {
				all.addAll(Files.readAllLines(file));
			}
		}
		return all;
	}

	private void killTheReplicaHoldingTheMost() throws Exception {
		Map<Long, List<String>> held = holders();
		long victimPid = Collections.max(held.entrySet(), Map.Entry.comparingByValue(
				(left, right) -> Integer.compare(left.size(), right.size()))).getKey();
		List<String> orphaned = held.get(victimPid);
		Process victim = this.replicas.stream().filter((process) -> process.pid() == victimPid).findFirst().orElseThrow();
		long killedAt = System.nanoTime();
		// SIGKILL: no goodbye, no hand-over
		victim.destroyForcibly();
		await().atMost(FAIL_OVER).pollInterval(Duration.ofMillis(50)).until(() -> orphaned.stream()
			.allMatch((uid) -> this.open.getOrDefault(uid, 0) == 1 && this.openedAt.getOrDefault(uid, 0L) > killedAt));
		List<Long> failOverMillis = failOverMillis(orphaned, killedAt);
		System.out.println("ReplicasIT: " + orphaned.size() + " sessions of the killed replica connected again by "
				+ "the survivors: p50 " + failOverMillis.get(failOverMillis.size() / 2) + " ms, max "
				+ failOverMillis.get(failOverMillis.size() - 1) + " ms");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Map<Long, List<String>> after = holders();
			assertThat(after).doesNotContainKey(victimPid).hasSize(REPLICAS - 1);
			assertThat(after.values()).as("the survivors share them").allMatch((uids) -> uids.size() == SESSIONS / 2);
		});
		assertThat(everyUserHasOneConnection()).isTrue();
		assertThat(this.twoAtOnce).as("never two connections of one user at the broker").isEmpty();
		assertThat(this.twoConsumers).as("never two consumers of one inbox").isEmpty();
		assertThat(Files.readString(this.dir.resolve("replica-0.log"))).doesNotContain(this.users.values().iterator()
			.next());
	}

	/**
	 * The application's server: 10 messages a second over AMQP, each with an id of its own, 4 of 5 to one user's inbox
	 * (in turn) and 1 of 5 to the group every user is in.
	 */
	private final class Producer implements AutoCloseable {

		private final com.rabbitmq.client.Connection connection;

		private final com.rabbitmq.client.Channel channel;

		private final List<String> expected = new CopyOnWriteArrayList<>();

		private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
			.newSingleThreadScheduledExecutor();

		private volatile int sent;

		Producer() throws Exception {
			com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
			factory.setHost("127.0.0.1");
			factory.setPort(5672);
			factory.setUsername("guest");
			factory.setPassword("guest");
			this.connection = factory.newConnection("replicas-it-producer");
			this.channel = this.connection.createChannel();
		}

		void start() {
			List<String> uids = List.copyOf(ReplicasIT.this.users.keySet());
			this.timer.scheduleAtFixedRate(() -> {
				int n = this.sent;
				String id = "m-" + n;
				try {
					if (n % 5 == 4) {
						publish("amq.topic", "cometchat." + ReplicasIT.this.appId + ".group.g1", id, "group", "g1");
						uids.forEach((uid) -> this.expected.add(uid + " " + id));
					}
					else {
						String uid = uids.get(n % uids.size());
						publish("", "cometchat." + ReplicasIT.this.appId + ".user." + uid, id, "user", uid);
						this.expected.add(uid + " " + id);
					}
					this.sent = n + 1;
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}, 0, 100, TimeUnit.MILLISECONDS);
		}

		private void publish(String exchange, String routingKey, String id, String receiverType, String receiver)
				throws java.io.IOException {
			String body = "{\"kind\":\"message\",\"id\":\"" + id + "\",\"sender\":\"ops\",\"receiverType\":\""
					+ receiverType + "\",\"receiver\":\"" + receiver + "\",\"type\":\"text\",\"text\":\"hello\","
					+ "\"sentAt\":\"" + Instant.now() + "\"}";
			this.channel.basicPublish(exchange, routingKey,
					new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json")
						.deliveryMode(2)
						.build(),
					body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

		int sent() {
			return this.sent;
		}

		List<String> expected() {
			return List.copyOf(this.expected);
		}

		void stop() throws InterruptedException {
			this.timer.shutdown();
			this.timer.awaitTermination(5, TimeUnit.SECONDS);
		}

		@Override
		public void close() throws Exception {
			stop();
			this.connection.close();
		}

	}

}
