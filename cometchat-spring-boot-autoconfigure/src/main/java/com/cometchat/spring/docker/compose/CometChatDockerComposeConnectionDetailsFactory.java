package com.cometchat.spring.docker.compose;

import java.net.URI;
import java.net.URISyntaxException;

import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.util.StringUtils;

/**
 * {@link DockerComposeConnectionDetailsFactory} to create {@link CometChatConnectionDetails} for a {@code rabbitmq}
 * service that publishes Web-STOMP's port: the URL is {@code ws://<host>:<published port>/ws} and the virtual host
 * is the service's {@code RABBITMQ_DEFAULT_VHOST}, {@code /} when it sets none.
 * <p>
 * The {@code rabbitmq_web_stomp} plugin must be enabled in the service (a {@code command} that runs
 * {@code rabbitmq-plugins enable --offline rabbitmq_web_stomp} before the server, or an {@code enabled_plugins} file);
 * only the published port is visible here. A service that does not publish the port is left to Spring AMQP, and the
 * client keeps {@code cometchat.url}. A plugin listening elsewhere than on {@value #WEB_STOMP_PORT} and {@code /ws}
 * ({@code web_stomp.tcp.port}, {@code web_stomp.ws_path}) is found through the service labels
 * {@value #PORT_LABEL} and {@value #PATH_LABEL}.
 * <p>
 * The broker's users ({@code RABBITMQ_DEFAULT_USER}, {@code RABBITMQ_DEFAULT_PASS}) are not read: a STOMP login is a
 * CometChat user's uid and auth token, which the application gives to {@code login()} or
 * {@code cometchat.user.*}, never a property of the connection.
 * <p>
 * Only Spring Boot's service connection support loads this class (through {@code META-INF/spring.factories}); without
 * {@code spring-boot-docker-compose} on the class path it cannot be instantiated and is skipped.
 *
 * @author CometChat
 */
final class CometChatDockerComposeConnectionDetailsFactory
		extends DockerComposeConnectionDetailsFactory<CometChatConnectionDetails> {

	/**
	 * The container port Web-STOMP listens on by default.
	 */
	static final int WEB_STOMP_PORT = 15674;

	/**
	 * The path of Web-STOMP's endpoint by default.
	 */
	static final String WEB_STOMP_PATH = "/ws";

	/**
	 * Label with the container port of Web-STOMP, when the service changed it.
	 */
	static final String PORT_LABEL = "com.cometchat.web-stomp.port";

	/**
	 * Label with the path of Web-STOMP's endpoint, when the service changed it.
	 */
	static final String PATH_LABEL = "com.cometchat.web-stomp.path";

	private static final Log logger = LogFactory.getLog(CometChatDockerComposeConnectionDetailsFactory.class);

	CometChatDockerComposeConnectionDetailsFactory() {
		super("rabbitmq");
	}

	@Override
	protected @Nullable CometChatConnectionDetails getDockerComposeConnectionDetails(
			DockerComposeConnectionSource source) {
		RunningService service = source.getRunningService();
		int containerPort = containerPort(service);
		Integer hostPort = publishedPort(service, containerPort);
		if (hostPort == null) {
			logger.info("Docker Compose service '" + service.name() + "' does not publish Web-STOMP's port "
					+ containerPort + ": the CometChat client does not use it");
			return null;
		}
		return new RabbitMqWebStompDockerComposeConnectionDetails(service, url(service, hostPort));
	}

	private static int containerPort(RunningService service) {
		String label = service.labels().get(PORT_LABEL);
		if (!StringUtils.hasText(label)) {
			return WEB_STOMP_PORT;
		}
		try {
			return Integer.parseInt(label.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("The label " + PORT_LABEL + " of Docker Compose service '" + service.name()
					+ "' is not a port number: '" + label + "'", ex);
		}
	}

	private static @Nullable Integer publishedPort(RunningService service, int containerPort) {
		try {
			return service.ports().get(containerPort);
		}
		catch (IllegalStateException ex) {
			// The only way ConnectionPorts tells that a container port is not published
			return null;
		}
	}

	private static URI url(RunningService service, int hostPort) {
		String path = service.labels().getOrDefault(PATH_LABEL, WEB_STOMP_PATH).trim();
		try {
			return new URI("ws", null, service.host(), hostPort, path.startsWith("/") ? path : "/" + path, null, null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Docker Compose service '" + service.name()
					+ "' gives no valid Web-STOMP URL: " + ex.getMessage(), ex);
		}
	}

	/**
	 * {@link CometChatConnectionDetails} backed by a {@code rabbitmq} {@link RunningService}.
	 */
	static final class RabbitMqWebStompDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements CometChatConnectionDetails {

		private final URI url;

		private final String virtualHost;

		RabbitMqWebStompDockerComposeConnectionDetails(RunningService service, URI url) {
			super(service);
			this.url = url;
			String virtualHost = service.env().get("RABBITMQ_DEFAULT_VHOST");
			this.virtualHost = StringUtils.hasText(virtualHost) ? virtualHost : "/";
		}

		@Override
		public URI getUrl() {
			return this.url;
		}

		@Override
		public String getVirtualHost() {
			return this.virtualHost;
		}

	}

}
