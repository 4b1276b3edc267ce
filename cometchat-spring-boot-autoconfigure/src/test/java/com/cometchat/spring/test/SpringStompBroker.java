package com.cometchat.spring.test;

import java.io.IOException;
import java.net.ServerSocket;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs {@link SpringStompBrokerApplication} (Spring's simple STOMP broker on embedded Tomcat) as a {@link TestBroker}.
 * Each {@link #start()} starts a new application on the same port; users and counters outlive restarts.
 */
public final class SpringStompBroker implements TestBroker {

	private final int port = freePort();

	private final StompUsers users = new StompUsers();

	private volatile ConfigurableApplicationContext context;

	@Override
	public SpringStompBroker addUser(String uid, String token) {
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
		return "ws://127.0.0.1:" + this.port + "/ws";
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
	 * @return the number of sessions closed
	 */
	public int dropConnections() {
		return this.context.getBean(ServerSessions.class).closeAll();
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
