package com.cometchat.spring.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.user.SimpSubscription;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;

/**
 * Runs {@link SpringStompBrokerApplication} (Spring's simple STOMP broker on embedded Tomcat) as a {@link TestBroker}.
 * Each {@link #start()} starts a new application on the same port; users and counters outlive restarts.
 */
public final class SpringStompBroker implements TestBroker {

	private final int port = freePort();

	private final StompUsers users = new StompUsers();

	private volatile ConfigurableApplicationContext context;

	private final String[] serverProperties;

	/**
	 * Create a broker on plain WebSocket.
	 */
	public SpringStompBroker() {
		this.serverProperties = new String[0];
	}

	/**
	 * Create a broker with extra server properties, such as {@code server.ssl.*} for {@code wss://}.
	 * @param serverProperties the properties
	 */
	public SpringStompBroker(String... serverProperties) {
		this.serverProperties = serverProperties.clone();
	}

	@Override
	public SpringStompBroker addUser(String uid, String token) {
		LogSecrets.register(token);
		this.users.add(uid, token);
		return this;
	}

	@Override
	public synchronized void start() {
		if (this.context != null) {
			return;
		}
		this.context = new SpringApplicationBuilder(SpringStompBrokerApplication.class)
			.web(WebApplicationType.SERVLET)
			.initializers((context) -> context.getBeanFactory().registerSingleton("stompUsers", this.users))
			.properties("server.port=" + this.port, "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"cometchat.enabled=false", "spring.jpa.open-in-view=false",
					"spring.datasource.url=jdbc:h2:mem:broker-" + this.port)
			.properties(this.serverProperties)
			.run();
	}

	@Override
	public synchronized void stop() {
		ConfigurableApplicationContext context = this.context;
		this.context = null;
		if (context != null) {
			context.close();
		}
	}

	@Override
	public String url() {
		boolean tls = java.util.Arrays.stream(this.serverProperties).anyMatch((property) -> property.startsWith("server.ssl"));
		return (tls ? "wss" : "ws") + "://127.0.0.1:" + this.port + "/ws";
	}

	@Override
	public int connectAttempts(String uid) {
		return this.users.connectAttempts(uid);
	}

	@Override
	public int connectionCount() {
		ConfigurableApplicationContext context = this.context;
		return (context != null) ? context.getBean(ServerSessions.class).openSessions() : 0;
	}

	/**
	 * Close every client WebSocket from the server side, as a network drop would.
	 */
	@Override
	public void dropConnections() {
		this.context.getBean(ServerSessions.class).closeAll();
	}

	/**
	 * Return the server's record of open WebSocket sessions.
	 * @return the sessions
	 */
	public ServerSessions sessions() {
		return this.context.getBean(ServerSessions.class);
	}

	@Override
	public List<String> subscriptions(String uid) {
		ConfigurableApplicationContext context = this.context;
		SimpUser user = (context != null) ? context.getBean(SimpUserRegistry.class).getUser(uid) : null;
		if (user == null) {
			return List.of();
		}
		return user.getSessions()
			.stream()
			.flatMap((session) -> session.getSubscriptions().stream())
			.map(SimpSubscription::getDestination)
			.sorted()
			.toList();
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
