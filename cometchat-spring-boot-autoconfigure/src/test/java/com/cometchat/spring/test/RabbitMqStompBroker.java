package com.cometchat.spring.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;

import static org.awaitility.Awaitility.await;

/**
 * The machine's RabbitMQ (a service, not started by the test) as a {@link TestBroker}: Web-STOMP at
 * {@code ws://127.0.0.1:15674/ws}, virtual host {@code /}, AMQP at {@code 127.0.0.1:5672} with guest/guest.
 * <p>
 * Needs the plugins {@code rabbitmq_web_stomp} and {@code rabbitmq_event_exchange}, and {@code rabbitmqctl} on the
 * path with the rights to talk to the node (root here). {@link #addUser} creates a RabbitMQ user with every permission
 * on {@code /} ({@code rabbitmqctl add_user}, {@code set_permissions}); {@link #close()} deletes them.
 * {@link #stop()} and {@link #start()} are {@code rabbitmqctl stop_app} and {@code start_app}: the whole broker goes down
 * and comes back on the same URL, for every client of the machine.
 * <p>
 * Web-STOMP clients are not listed by {@code rabbitmqctl list_connections} (nor {@code list_stomp_connections}), and
 * the broker logs failed STOMP logins only. The counts come from the broker's event exchange
 * ({@code amq.rabbitmq.event}): {@code user.authentication.success} and {@code .failure} carry the login,
 * {@code connection.created} and {@code .closed} the connection's pid. They are read from a durable queue of this
 * broker, so events published while the application restarts are not lost; every count first waits for a marker sent
 * through the same queue, so it includes every event published before it was asked. Only the users added here are
 * counted. {@link #watchConnections} reports every opened and closed connection of those users, in the order the
 * broker published the events.
 * <p>
 * {@link #forceClose(String)} closes one Web-STOMP connection from the broker's side. {@code rabbitmqctl
 * close_connection} cannot do it on RabbitMQ 3.10: a Web-STOMP connection is a <em>direct</em> connection, which that
 * command does not reach (it exits 0 and nothing happens). The management UI's force close does, and this is what it
 * calls for a direct connection: {@code amqp_direct_connection:server_close(Pid, 320, Reason)}, run here through
 * {@code rabbitmqctl eval} on the pid of the event exchange. The client then sees {@code WebSocket close 1000: STOMP
 * died}.
 */
public final class RabbitMqStompBroker implements TestBroker {

	/**
	 * The Web-STOMP endpoint.
	 */
	public static final String URL = "ws://127.0.0.1:15674/ws";

	private static final URI ENDPOINT = URI.create("http://127.0.0.1:15674/ws");

	private static final String EVENT_EXCHANGE = "amq.rabbitmq.event";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

	private final Set<String> users = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> connectAttempts = new ConcurrentHashMap<>();

	/**
	 * Open Web-STOMP connections of the added users: pid to user.
	 */
	private final Map<String, String> connections = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Void>> markers = new ConcurrentHashMap<>();

	private final List<ConnectionWatcher> watchers = new CopyOnWriteArrayList<>();

	private final AtomicLong markerCount = new AtomicLong();

	private final String queue = "cometchat-it-events-" + UUID.randomUUID();

	private final Path log;

	private final long logStart;

	private boolean appStopped;

	private Connection events;

	private Channel channel;

	/**
	 * Check that the broker answers and note where its log ends. The broker is not changed.
	 */
	public RabbitMqStompBroker() {
		awaitWebStomp(Duration.ofSeconds(10));
		this.log = Path.of(run("rabbitmq-diagnostics", "log_location").strip());
		this.logStart = size(this.log);
	}

	@Override
	public RabbitMqStompBroker addUser(String uid, String token) {
		LogSecrets.register(token);
		rabbitmqctl("add_user", uid, token);
		this.users.add(uid);
		rabbitmqctl("set_permissions", "-p", "/", uid, ".*", ".*", ".*");
		return this;
	}

	/**
	 * Change a user's password ({@code rabbitmqctl change_password}); open connections stay.
	 */
	@Override
	public RabbitMqStompBroker changeToken(String uid, String token) {
		LogSecrets.register(token);
		rabbitmqctl("change_password", uid, token);
		return this;
	}

	/**
	 * Register many users at once, with one {@code rabbitmqctl import_definitions} (a user at a time takes about half
	 * a second each).
	 */
	@Override
	public RabbitMqStompBroker addUsers(Map<String, String> users) {
		StringBuilder json = new StringBuilder("{\"users\":[");
		StringBuilder permissions = new StringBuilder("],\"permissions\":[");
		users.forEach((uid, token) -> {
			LogSecrets.register(token);
			json.append((json.charAt(json.length() - 1) == '[') ? "" : ",")
				.append("{\"name\":\"").append(uid).append("\",\"password\":\"").append(token)
				.append("\",\"tags\":\"\"}");
			permissions.append((permissions.charAt(permissions.length() - 1) == '[') ? "" : ",")
				.append("{\"user\":\"").append(uid)
				.append("\",\"vhost\":\"/\",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
		});
		json.append(permissions).append("]}");
		Path definitions = null;
		try {
			definitions = Files.createTempFile("cometchat-users", ".json");
			Files.writeString(definitions, json);
			// run as root, rabbitmqctl switches to the rabbitmq user, which must be able to read the file
			Files.setPosixFilePermissions(definitions, PosixFilePermissions.fromString("rw-r--r--"));
			rabbitmqctl("import_definitions", definitions.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			if (definitions != null) {
				definitions.toFile().delete();
			}
		}
		this.users.addAll(users.keySet());
		return this;
	}

	@Override
	public synchronized void start() {
		if (this.appStopped) {
			rabbitmqctl("start_app");
			this.appStopped = false;
		}
		awaitWebStomp(READY_TIMEOUT);
		if (this.events == null || !this.events.isOpen()) {
			openEvents();
		}
	}

	@Override
	public synchronized void stop() {
		if (this.appStopped) {
			return;
		}
		sync();
		closeEvents();
		rabbitmqctl("stop_app");
		this.appStopped = true;
		// Every connection went down with the application; their connection.closed events may come after start_app
		for (String pid : List.copyOf(this.connections.keySet())) {
			closed(pid);
		}
	}

	@Override
	public String url() {
		return URL;
	}

	@Override
	public int connectAttempts(String uid) {
		sync();
		AtomicInteger attempts = this.connectAttempts.get(uid);
		return (attempts != null) ? attempts.get() : 0;
	}

	@Override
	public synchronized int connectionCount() {
		if (this.appStopped) {
			return 0;
		}
		sync();
		return this.connections.size();
	}

	/**
	 * Return the open Web-STOMP connections of a user, by the pid the broker gives them.
	 * @param uid the login
	 * @return the pids, as {@code <rabbit@host.1.2.0>}
	 */
	public synchronized List<String> connectionPids(String uid) {
		if (this.appStopped) {
			return List.of();
		}
		sync();
		return this.connections.entrySet()
			.stream()
			.filter((connection) -> connection.getValue().equals(uid))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	/**
	 * Be told of every Web-STOMP connection of the added users that opens or closes from now on, in the order the
	 * broker published the events, on the thread that reads them (a connection that went down with
	 * {@link #stop()} is reported closed then).
	 * @param watcher the watcher
	 */
	public void watchConnections(ConnectionWatcher watcher) {
		this.watchers.add(watcher);
	}

	/**
	 * Close a Web-STOMP connection from the broker's side, as the management UI's force close does (see the class
	 * comment for why {@code rabbitmqctl close_connection} does not). A pid that is gone already is ignored.
	 * @param pid the connection's pid, as {@link #connectionPids(String)} returns it
	 */
	public void forceClose(String pid) {
		if (!pid.matches("<[\\w@.-]+>")) {
			throw new IllegalArgumentException("Not a pid: " + pid);
		}
		rabbitmqctl("eval", "amqp_direct_connection:server_close(rabbit_misc:string_to_pid(\"" + pid
				+ "\"), 320, <<\"force closed by a test\">>).");
	}

	/**
	 * Delete a queue, such as the durable inbox {@code /queue/name} of a Web-STOMP client ({@code name}), if it exists.
	 * @param queue the queue's name
	 */
	public synchronized void deleteQueue(String queue) {
		start();
		try {
			this.channel.queueDelete(queue);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Restart the broker application: every client connection drops.
	 */
	@Override
	public synchronized void dropConnections() {
		stop();
		start();
	}

	/**
	 * Return the queues of a user's STOMP subscriptions, from {@code rabbitmqctl list_consumers}: the STOMP plugin
	 * tags each consumer {@code T_<subscription id>}, and the client's subscription ids contain the uid.
	 */
	@Override
	public synchronized java.util.List<String> subscriptions(String uid) {
		if (this.appStopped) {
			return java.util.List.of();
		}
		return run("rabbitmqctl", "-q", "list_consumers", "queue_name", "consumer_tag").lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 2 && columns[1].startsWith("T_") && columns[1].contains("-" + uid + "-"))
			.map((columns) -> columns[0])
			.sorted()
			.toList();
	}

	/**
	 * Return what the broker logged since this object was created.
	 * @return the new lines of the broker's log file
	 */
	public String logSinceCreated() {
		try (InputStream in = Files.newInputStream(this.log)) {
			in.skipNBytes(Math.min(this.logStart, size(this.log)));
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Restart the application if a test left it stopped, delete the event queue, the queues the tests' clients left
	 * and the users added here.
	 */
	@Override
	public synchronized void close() {
		try {
			start();
			try {
				this.channel.queueDelete(this.queue);
				deleteLeftQueues();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			closeEvents();
		}
		finally {
			// One command for every user: a user at a time takes about half a second each
			String names = this.users.stream().map((uid) -> "<<\"" + uid + "\">>").collect(Collectors.joining(","));
			if (!names.isEmpty()) {
				rabbitmqctl("eval", "lists:foreach(fun(User) -> rabbit_auth_backend_internal:delete_user(User, "
						+ "<<\"cometchat-it\">>) end, [" + names + "]).");
			}
			this.users.clear();
		}
	}

	/**
	 * Delete the durable queues that clients of the starter leave on the broker and that nobody consumes any more:
	 * inboxes ({@code cometchat.<app>.user.<uid>}) and durable group subscriptions ({@code stomp-subscription-…}). The
	 * tests run one at a time, so a queue without consumers at the end of one is garbage; left to pile up over many
	 * runs, such queues make every {@code start_app} (and so each broker-restart test) recover them all.
	 */
	private void deleteLeftQueues() throws IOException {
		for (String line : run("rabbitmqctl", "list_queues", "name", "consumers", "durable").lines().toList()) {
			String[] columns = line.split("\t");
			// Durable only: an exclusive queue (of a live connection) is never durable, and deleting one from another
			// connection would close this channel
			if (columns.length == 3 && columns[1].equals("0") && columns[2].equals("true")
					&& (columns[0].startsWith("cometchat.") || columns[0].startsWith("stomp-subscription-"))) {
				this.channel.queueDelete(columns[0]);
			}
		}
	}

	private void openEvents() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(5672);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setAutomaticRecoveryEnabled(false);
		factory.setConnectionTimeout(10_000);
		try {
			this.events = factory.newConnection("cometchat-it-events");
			this.channel = this.events.createChannel();
			this.channel.queueDeclare(this.queue, true, false, false, Map.of("x-expires", 600_000));
			this.channel.queueBind(this.queue, EVENT_EXCHANGE, "user.authentication.#");
			this.channel.queueBind(this.queue, EVENT_EXCHANGE, "connection.#");
			this.channel.basicConsume(this.queue, true, (tag, delivery) -> onEvent(delivery), (tag) -> {
			});
		}
		catch (Exception ex) {
			closeEvents();
			throw new IllegalStateException("Could not read RabbitMQ's event exchange " + EVENT_EXCHANGE
					+ " over AMQP at 127.0.0.1:5672 as guest; enable it with "
					+ "'rabbitmq-plugins enable rabbitmq_event_exchange' (.ci/run does)", ex);
		}
	}

	private void closeEvents() {
		Connection events = this.events;
		this.events = null;
		this.channel = null;
		if (events != null && events.isOpen()) {
			try {
				events.close(5_000);
			}
			catch (IOException ex) {
				// Already gone
			}
		}
	}

	private void onEvent(Delivery delivery) {
		String routingKey = delivery.getEnvelope().getRoutingKey();
		if (routingKey.equals(this.queue)) {
			CompletableFuture<Void> marker = this.markers.remove(delivery.getProperties().getMessageId());
			if (marker != null) {
				marker.complete(null);
			}
			return;
		}
		Map<String, Object> headers = delivery.getProperties().getHeaders();
		if (headers == null) {
			return;
		}
		switch (routingKey) {
			case "user.authentication.success", "user.authentication.failure" -> {
				String name = header(headers, "name");
				if (this.users.contains(name)) {
					this.connectAttempts.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
				}
			}
			case "connection.created" -> {
				String user = header(headers, "user");
				String pid = header(headers, "pid");
				if (this.users.contains(user) && header(headers, "protocol").contains("STOMP")
						&& this.connections.put(pid, user) == null) {
					this.watchers.forEach((watcher) -> watcher.changed(user, pid, true));
				}
			}
			case "connection.closed" -> closed(header(headers, "pid"));
			default -> {
			}
		}
	}

	private void closed(String pid) {
		String user = this.connections.remove(pid);
		if (user != null) {
			this.watchers.forEach((watcher) -> watcher.changed(user, pid, false));
		}
	}

	private static String header(Map<String, Object> headers, String name) {
		return String.valueOf(headers.get(name));
	}

	/**
	 * Send a marker through the event queue and wait for it, so that every event queued before has been counted.
	 */
	private synchronized void sync() {
		if (this.channel == null) {
			return;
		}
		String id = "sync-" + this.markerCount.incrementAndGet();
		CompletableFuture<Void> marker = new CompletableFuture<>();
		this.markers.put(id, marker);
		try {
			this.channel.basicPublish("", this.queue, new AMQP.BasicProperties.Builder().messageId(id).build(),
					new byte[0]);
			marker.get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("The marker sent through " + this.queue + " did not come back", ex);
		}
		finally {
			this.markers.remove(id);
		}
	}

	private static void awaitWebStomp(Duration timeout) {
		try {
			await().atMost(timeout)
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.until(() -> webStompStatus() == 426);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("RabbitMQ Web-STOMP does not answer at " + ENDPOINT
					+ " (expected HTTP 426): start RabbitMQ and run 'rabbitmq-plugins enable rabbitmq_stomp "
					+ "rabbitmq_web_stomp rabbitmq_event_exchange' (.ci/run does)", ex);
		}
	}

	/**
	 * Ask Web-STOMP's endpoint for a plain HTTP/1.1 page, on a socket of our own: no client that keeps threads (the
	 * JDK's HttpClient holds a selector thread until it is garbage, which makes thread counts drift).
	 * @return the status code of the answer
	 */
	private static int webStompStatus() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(ENDPOINT.getHost(), ENDPOINT.getPort()), 2000);
			socket.setSoTimeout(2000);
			socket.getOutputStream()
				.write(("GET " + ENDPOINT.getPath() + " HTTP/1.1\r\nHost: " + ENDPOINT.getHost() + ":"
						+ ENDPOINT.getPort() + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String statusLine = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			String[] parts = (statusLine != null) ? statusLine.split(" ") : new String[0];
			return (parts.length > 1) ? Integer.parseInt(parts[1]) : -1;
		}
	}

	private static String rabbitmqctl(String... args) {
		return run("rabbitmqctl", args);
	}

	/**
	 * Run a RabbitMQ command line tool, quietly; its output is shown only on failure, and of its arguments only the
	 * first (a password may be one of them).
	 * @param tool {@code rabbitmqctl} or {@code rabbitmq-diagnostics}
	 * @param args the arguments
	 * @return the output
	 */
	private static String run(String tool, String... args) {
		List<String> command = new ArrayList<>();
		command.add(tool);
		command.add("-q");
		command.addAll(List.of(args));
		Path output = null;
		try {
			output = Files.createTempFile(tool, ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(tool + " " + args[0] + " did not finish within " + COMMAND_TIMEOUT);
			}
			String text = Files.readString(output);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						tool + " " + args[0] + " exited with " + process.exitValue() + ": " + text.strip());
			}
			return text;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + tool + " (is RabbitMQ installed here?)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + tool + " " + args[0], ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// Ignore
				}
			}
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Told of the Web-STOMP connections of the added users.
	 */
	@FunctionalInterface
	public interface ConnectionWatcher {

		/**
		 * A connection opened or closed.
		 * @param uid the user it belongs to
		 * @param pid its pid
		 * @param open whether it opened
		 */
		void changed(String uid, String pid, boolean open);

	}

}
