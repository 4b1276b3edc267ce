package com.cometchat.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager4;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Embedded ActiveMQ Artemis broker that speaks STOMP over WebSocket on a fixed
 * loopback port, for tests of STOMP clients.
 * <p>
 * The broker has persistence and JMX disabled and a single acceptor on
 * {@code tcp://127.0.0.1:<port>} restricted to the STOMP protocol, with
 * {@code /queue/} mapped to anycast and {@code /topic/} to multicast addresses.
 * Artemis detects the HTTP upgrade on that acceptor and serves STOMP over
 * WebSocket on any request path, so {@link #url()} ({@code ws://127.0.0.1:<port>/ws})
 * works as well as {@code ws://127.0.0.1:<port>/}.
 * <p>
 * Security is enabled: STOMP {@code login}/{@code passcode} must match a user
 * registered with {@link #addUser(String, String)}; valid users get every
 * permission. A CONNECT with bad credentials is answered with an {@code ERROR}
 * frame whose {@code message} header is {@code Security Error occurred: User name
 * [<login>] or password is invalid}, after which the broker closes the connection.
 * Every authentication attempt is counted (see {@link #connectAttempts()}).
 * <p>
 * The broker can be {@link #stop() stopped} and {@link #start() started} again any
 * number of times on the same port, which simulates a broker outage. It can be used
 * directly or registered as a JUnit extension with {@code @RegisterExtension}, in
 * which case it is started before all tests and closed after them.
 */
public final class ArtemisStompBroker implements TestBroker, BeforeAllCallback, AfterAllCallback {

	private final int port;

	private final Map<String, String> users = new ConcurrentHashMap<>();

	private final AtomicInteger connectAttempts = new AtomicInteger();

	private final Map<String, AtomicInteger> connectAttemptsByUser = new ConcurrentHashMap<>();

	private volatile EmbeddedActiveMQ server;

	private volatile java.nio.file.Path journal;

	/**
	 * Create a new broker, not yet started, on a free loopback port.
	 */
	public ArtemisStompBroker() {
		this(Map.of());
	}

	/**
	 * Create a new broker, not yet started, on a free loopback port.
	 * @param users the initial users, uid to token
	 */
	public ArtemisStompBroker(Map<String, String> users) {
		this.users.putAll(users);
		users.values().forEach(LogSecrets::register);
		this.port = findFreePort();
	}

	/**
	 * Register a user that may connect with the given token as passcode. Can be called
	 * at any time, also while the broker is running.
	 * @param uid the login
	 * @param token the passcode
	 * @return this broker
	 */
	public ArtemisStompBroker addUser(String uid, String token) {
		LogSecrets.register(token);
		this.users.put(uid, token);
		return this;
	}

	/**
	 * Start the broker, unless it is already running.
	 */
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		EmbeddedActiveMQ server = new EmbeddedActiveMQ();
		server.setConfiguration(createConfiguration());
		server.setSecurityManager(new SecurityManager());
		try {
			server.start();
		}
		catch (Exception ex) {
			stopQuietly(server);
			throw new IllegalStateException("Failed to start Artemis on port " + this.port, ex);
		}
		this.server = server;
	}

	/**
	 * Stop the broker, unless it is already stopped: the port is closed and all
	 * client connections are dropped.
	 */
	public synchronized void stop() {
		EmbeddedActiveMQ server = this.server;
		if (server == null) {
			return;
		}
		this.server = null;
		try {
			server.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Failed to stop Artemis", ex);
		}
	}

	/**
	 * Keep durable messages and queues in the given directory, so that they survive {@link #stop()} and
	 * {@link #start()}. Takes effect at the next start.
	 * @param directory the journal directory
	 * @return this broker
	 */
	public ArtemisStompBroker persistentIn(java.nio.file.Path directory) {
		this.journal = directory;
		return this;
	}

	/**
	 * Return the addresses of the subscriptions (consumers) of a user's sessions, one entry per consumer.
	 * @param uid the login
	 * @return the addresses, with duplicates if a subscription is doubled
	 */
	@Override
	public java.util.List<String> subscriptions(String uid) {
		EmbeddedActiveMQ server = this.server;
		if (server == null) {
			return java.util.List.of();
		}
		return server.getActiveMQServer()
			.getSessions()
			.stream()
			.filter((session) -> uid.equals(session.getUsername()))
			.flatMap((session) -> session.getServerConsumers().stream())
			.map((consumer) -> consumer.getQueueAddress().toString())
			.sorted()
			.toList();
	}

	/**
	 * Return the messages of a queue delivered to a consumer and not acknowledged yet.
	 * @param queueName the queue's name
	 * @return the delivering count, {@code -1} if there is no such queue
	 */
	public int unacknowledged(String queueName) {
		EmbeddedActiveMQ server = this.server;
		org.apache.activemq.artemis.core.server.Queue queue = (server != null) ? server.getActiveMQServer()
			.locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queueName)) : null;
		return (queue != null) ? queue.getDeliveringCount() : -1;
	}

	/**
	 * Return the number of messages a queue holds, such as the queue of a durable subscription
	 * ({@code <client-id>.<durable-subscription-name>}).
	 * @param queueName the queue's name
	 * @return the message count, {@code -1} if there is no such queue
	 */
	public long messageCount(String queueName) {
		EmbeddedActiveMQ server = this.server;
		org.apache.activemq.artemis.core.server.Queue queue = (server != null) ? server.getActiveMQServer()
			.locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queueName)) : null;
		return (queue != null) ? queue.getMessageCount() : -1;
	}

	/**
	 * Return the number of connections the broker holds with the given STOMP {@code client-id}, including any the
	 * client has given up on that the broker has not found dead yet.
	 * @param clientId the client-id
	 * @return the number of connections
	 */
	public long connections(String clientId) {
		EmbeddedActiveMQ server = this.server;
		if (server == null || server.getActiveMQServer().getRemotingService() == null) {
			return 0;
		}
		return server.getActiveMQServer()
			.getRemotingService()
			.getConnections()
			.stream()
			.filter((connection) -> clientId.equals(connection.getClientID()))
			.count();
	}

	/**
	 * Restart the broker: every client connection drops.
	 */
	@Override
	public void dropConnections() {
		restart();
	}

	/**
	 * Stop the broker and start it again on the same port.
	 */
	public synchronized void restart() {
		stop();
		start();
	}

	/**
	 * Return whether the broker is running.
	 * @return {@code true} if the broker is running
	 */
	public boolean isRunning() {
		EmbeddedActiveMQ server = this.server;
		return server != null && server.getActiveMQServer().isActive();
	}

	/**
	 * Return the port of the STOMP acceptor; it stays the same across restarts.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the WebSocket URL that STOMP clients connect to.
	 * @return the URL, {@code ws://127.0.0.1:<port>/ws}
	 */
	public String url() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	/**
	 * Return the number of client connections currently open on the broker.
	 * @return the number of connections, {@code 0} if the broker is stopped
	 */
	public int connectionCount() {
		EmbeddedActiveMQ server = this.server;
		if (server == null) {
			return 0;
		}
		ActiveMQServer activeMQServer = server.getActiveMQServer();
		return (activeMQServer.getRemotingService() != null) ? activeMQServer.getRemotingService().getConnectionCount()
				: 0;
	}

	/**
	 * Return the number of authentication attempts, successful or not, since this
	 * broker was created.
	 * @return the number of attempts
	 */
	public int connectAttempts() {
		return this.connectAttempts.get();
	}

	/**
	 * Return the number of authentication attempts, successful or not, with the
	 * given login since this broker was created.
	 * @param uid the login
	 * @return the number of attempts
	 */
	public int connectAttempts(String uid) {
		AtomicInteger attempts = this.connectAttemptsByUser.get(uid);
		return (attempts != null) ? attempts.get() : 0;
	}

	@Override
	public void close() {
		stop();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	private Configuration createConfiguration() {
		ConfigurationImpl configuration = new ConfigurationImpl();
		configuration.setName("artemis-stomp-" + this.port);
		java.nio.file.Path journal = this.journal;
		configuration.setPersistenceEnabled(journal != null);
		if (journal != null) {
			configuration.setJournalDirectory(journal.resolve("journal").toString());
			configuration.setBindingsDirectory(journal.resolve("bindings").toString());
			configuration.setPagingDirectory(journal.resolve("paging").toString());
			configuration.setLargeMessagesDirectory(journal.resolve("large").toString());
			// NIO journal without sync on every write: durable enough across an in-JVM stop/start
			configuration.setJournalType(org.apache.activemq.artemis.core.server.JournalType.NIO);
			configuration.setJournalDatasync(false);
		}
		configuration.setJMXManagementEnabled(false);
		configuration.setSecurityEnabled(true);
		// No caches, so that every CONNECT reaches the security manager
		configuration.setAuthenticationCacheSize(0);
		configuration.setAuthorizationCacheSize(0);
		configuration.setCriticalAnalyzer(false);
		configuration.setMaxDiskUsage(-1);
		try {
			configuration.addAcceptorConfiguration("stomp", "tcp://127.0.0.1:" + this.port
					+ "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return configuration;
	}

	private static void stopQuietly(EmbeddedActiveMQ server) {
		try {
			server.stop();
		}
		catch (Exception ex) {
			// Ignore
		}
	}

	private static int findFreePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Security manager that checks logins against the registered users, counts every
	 * attempt and grants all permissions to authenticated users.
	 */
	private final class SecurityManager implements ActiveMQSecurityManager4 {

		@Override
		public String validateUser(String user, String password, RemotingConnection remotingConnection,
				String securityDomain) {
			ArtemisStompBroker.this.connectAttempts.incrementAndGet();
			if (user == null) {
				return null;
			}
			ArtemisStompBroker.this.connectAttemptsByUser.computeIfAbsent(user, (key) -> new AtomicInteger())
				.incrementAndGet();
			return isValid(user, password) ? user : null;
		}

		@Override
		public String validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType,
				String address, RemotingConnection remotingConnection, String securityDomain) {
			return isValid(user, password) ? user : null;
		}

		@Override
		public boolean validateUser(String user, String password) {
			return validateUser(user, password, null, null) != null;
		}

		@Override
		public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
			return isValid(user, password);
		}

		private boolean isValid(String user, String password) {
			return user != null && password != null
					&& Objects.equals(ArtemisStompBroker.this.users.get(user), password);
		}

	}

}
