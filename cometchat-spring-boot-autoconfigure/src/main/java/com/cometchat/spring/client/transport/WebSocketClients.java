package com.cometchat.spring.client.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsSession;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * Creates the JSR-356 WebSocket client a {@link WebSocketStompTransport} runs on, configured for STOMP:
 * <ul>
 * <li>whole messages up to the inbound size limit are accepted (Spring's STOMP client does not take partial
 * messages; Tomcat's 8 KiB default buffers would close the session on any larger frame);</li>
 * <li>no idle timeout of its own (STOMP heart-beats decide when a connection is dead; Jetty would otherwise close an
 * idle session after 30 s);</li>
 * <li>the TLS context, if any, for {@code wss://} URLs;</li>
 * <li>a bounded pool for the blocking connect calls, so that a reconnect storm of thousands of clients does not start
 * a thread per connection (Spring's default), and is paced by it;</li>
 * <li>Jetty's client started, with its core client created, before the first connect: concurrent first connects on a
 * fresh Jetty container otherwise fail with "WebSocketCoreClient is not started".</li>
 * </ul>
 *
 * @author CometChat
 */
public final class WebSocketClients {

	private static final Log logger = LogFactory.getLog(WebSocketClients.class);

	private static final ClassLoader CLASS_LOADER = WebSocketClients.class.getClassLoader();

	private static final boolean JETTY_PRESENT = isAvailable(WebSocketClientType.JETTY, CLASS_LOADER);

	private static final boolean TOMCAT_PRESENT = isAvailable(WebSocketClientType.TOMCAT, CLASS_LOADER);

	/**
	 * Threads for blocking connect calls, per client.
	 */
	public static final int DEFAULT_CONNECT_THREADS = 16;

	/**
	 * Bound for the TCP connect and the WebSocket handshake, unless given.
	 */
	public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

	private WebSocketClients() {
	}

	/**
	 * Whether a type can be created with the given class loader's classes.
	 * @param type the type
	 * @param classLoader the class loader to look in
	 * @return whether its library is there ({@code AUTO} always is)
	 */
	public static boolean isAvailable(WebSocketClientType type, @Nullable ClassLoader classLoader) {
		return switch (type) {
			case JETTY -> ClassUtils
				.isPresent("org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer", classLoader);
			case TOMCAT -> ClassUtils.isPresent("org.apache.tomcat.websocket.WsWebSocketContainer", classLoader);
			case AUTO -> true;
		};
	}

	/**
	 * The type {@link WebSocketClientType#AUTO} resolves to here.
	 * @param type the requested type
	 * @return the type that would be created, {@code AUTO} meaning the {@link ContainerProvider}'s container
	 */
	public static WebSocketClientType resolve(WebSocketClientType type) {
		if (type != WebSocketClientType.AUTO) {
			return type;
		}
		return JETTY_PRESENT ? WebSocketClientType.JETTY
				: TOMCAT_PRESENT ? WebSocketClientType.TOMCAT : WebSocketClientType.AUTO;
	}

	/**
	 * Create a client.
	 * @param type which library
	 * @param inboundMessageSizeLimit the largest inbound message, in bytes
	 * @param sslContext the TLS context for {@code wss://}, or {@code null} for the JVM's default
	 * @param connectThreads the most connects in progress at once
	 * @return the client and how to stop what was created for it
	 */
	public static Created create(WebSocketClientType type, int inboundMessageSizeLimit, @Nullable SSLContext sslContext,
			int connectThreads) {
		return create(type, inboundMessageSizeLimit, sslContext, connectThreads, DEFAULT_HANDSHAKE_TIMEOUT);
	}

	/**
	 * Create a client.
	 * @param type which library
	 * @param inboundMessageSizeLimit the largest inbound message, in bytes
	 * @param sslContext the TLS context for {@code wss://}, or {@code null} for the JVM's default
	 * @param connectThreads the most connects in progress at once
	 * @param handshakeTimeout bound for the TCP connect and the WebSocket handshake (Jetty; Tomcat's client bounds
	 * them with its own {@code IO_TIMEOUT_MS}, 5 s): a handshake to a peer that does not answer fails, and its socket
	 * is closed, instead of staying open for ever
	 * @return the client and how to stop what was created for it
	 */
	public static Created create(WebSocketClientType type, int inboundMessageSizeLimit, @Nullable SSLContext sslContext,
			int connectThreads, Duration handshakeTimeout) {
		Assert.isTrue(inboundMessageSizeLimit > 0, "'inboundMessageSizeLimit' must be positive");
		Assert.isTrue(connectThreads > 0, "'connectThreads' must be positive");
		List<Runnable> stop = new ArrayList<>();
		WebSocketClientType resolved = resolve(type);
		WebSocketContainer container = switch (resolved) {
			case JETTY -> {
				Assert.state(JETTY_PRESENT, "Jetty's WebSocket client (jetty-ee11-websocket-jakarta-client) is not on "
						+ "the class path");
				yield Jetty.container(sslContext, handshakeTimeout, stop);
			}
			case TOMCAT -> {
				Assert.state(TOMCAT_PRESENT, "Tomcat's WebSocket client (tomcat-embed-websocket) is not on the class path");
				yield Tomcat.container();
			}
			case AUTO -> ContainerProvider.getWebSocketContainer();
		};
		container.setDefaultMaxTextMessageBufferSize(inboundMessageSizeLimit);
		container.setDefaultMaxBinaryMessageBufferSize(inboundMessageSizeLimit);
		container.setDefaultMaxSessionIdleTimeout(0);
		StandardWebSocketClient client = new StandardWebSocketClient(container);
		client.setSslContext(sslContext);
		ThreadPoolTaskExecutor connects = new ThreadPoolTaskExecutor();
		connects.setThreadNamePrefix("cometchat-connect-");
		connects.setCorePoolSize(connectThreads);
		connects.setMaxPoolSize(connectThreads);
		connects.setAllowCoreThreadTimeOut(true);
		connects.setDaemon(true);
		connects.initialize();
		client.setTaskExecutor(connects);
		stop.add(0, connects::shutdown);
		return new Created(client, resolved, () -> stop.forEach(Runnable::run));
	}

	/**
	 * Drop a WebSocket at once, without a close handshake, because its link is taken for dead: waiting for a peer that
	 * does not answer would keep the socket open for as long as the operating system keeps trying. Jetty's session is
	 * aborted (its TCP connection closed at once; a write blocked on it fails); Tomcat's client has no abort, so its
	 * socket is closed right after a close frame that Tomcat tries to write for up to its blocking send timeout; other
	 * containers are closed.
	 * @param session the session
	 */
	static void abort(WebSocketSession session) {
		Object nativeSession = (session instanceof NativeWebSocketSession wrapper) ? wrapper.getNativeSession() : null;
		if (JETTY_PRESENT && Jetty.abort(nativeSession)) {
			return;
		}
		if (TOMCAT_PRESENT && Tomcat.abort(nativeSession)) {
			return;
		}
		try {
			session.close(CloseStatus.GOING_AWAY);
		}
		catch (java.io.IOException | RuntimeException ex) {
			logger.debug("Could not close a WebSocket", ex);
		}
	}

	/**
	 * A created client.
	 *
	 * @param client the client
	 * @param type the library it runs on ({@code AUTO} when it came from the {@link ContainerProvider})
	 * @param stop stops the threads and the container created for it
	 */
	public record Created(StandardWebSocketClient client, WebSocketClientType type, Runnable stop) {

	}

	/**
	 * Jetty's classes, loaded only when Jetty is used.
	 */
	private static final class Jetty {

		static WebSocketContainer container(@Nullable SSLContext sslContext, Duration handshakeTimeout,
				List<Runnable> stop) {
			HttpClient httpClient = new HttpClient();
			httpClient.setConnectTimeout(handshakeTimeout.toMillis());
			// Bounds the wait for the upgrade response; the WebSocket session has its own idle timeout (none)
			httpClient.setIdleTimeout(handshakeTimeout.toMillis());
			QueuedThreadPool threads = new QueuedThreadPool();
			threads.setName("cometchat-jetty");
			threads.setDaemon(true);
			httpClient.setExecutor(threads);
			if (sslContext != null) {
				SslContextFactory.Client ssl = new SslContextFactory.Client();
				ssl.setSslContext(sslContext);
				httpClient.setSslContextFactory(ssl);
			}
			JakartaWebSocketClientContainer container = new StartedCoreClientContainer(httpClient);
			LifeCycle.start(container);
			stop.add(() -> LifeCycle.stop(container));
			return container;
		}

		static boolean abort(@Nullable Object nativeSession) {
			if (nativeSession instanceof JakartaWebSocketSession session) {
				session.abort();
				return true;
			}
			return false;
		}

	}

	/**
	 * Tomcat's classes, loaded only when Tomcat is used.
	 */
	private static final class Tomcat {

		static WebSocketContainer container() {
			return new WsWebSocketContainer();
		}

		static boolean abort(@Nullable Object nativeSession) {
			if (nativeSession instanceof WsSession session) {
				CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "aborted");
				session.doClose(reason, reason, true);
				return true;
			}
			return false;
		}

	}

	/**
	 * Creates Jetty's core client at once instead of on the first connect, where concurrent first connects race.
	 */
	private static final class StartedCoreClientContainer extends JakartaWebSocketClientContainer {

		StartedCoreClientContainer(HttpClient httpClient) {
			super(httpClient);
			getWebSocketCoreClient();
		}

	}

}
