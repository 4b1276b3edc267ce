package com.cometchat.spring.testcontainers;

import java.net.URI;

import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/**
 * {@link ContainerConnectionDetailsFactory} to create {@link CometChatConnectionDetails} from a
 * {@link ServiceConnection @ServiceConnection}-annotated {@link RabbitMQContainer} that runs the
 * {@code rabbitmq_web_stomp} plugin and exposes its port {@value #WEB_STOMP_PORT}: the URL is
 * {@code ws://<host>:<mapped port>/ws} and the virtual host {@code /}.
 * <p>
 * Like Spring Boot's own factory for {@code RabbitConnectionDetails}, it matches on the container type, whatever the
 * connection name, so one container serves both the AMQP and the CometChat client. To keep a RabbitMQ container
 * without Web-STOMP from the CometChat client, restrict its annotation, for example
 * {@code @ServiceConnection(type = RabbitConnectionDetails.class)}.
 * <p>
 * Only Spring Boot's service connection support loads this class (through {@code META-INF/spring.factories}); without
 * Testcontainers on the class path it cannot be instantiated and is skipped, as Spring Boot's own factories are.
 *
 * @author CometChat
 */
final class CometChatContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<RabbitMQContainer, CometChatConnectionDetails> {

	/**
	 * The port of Web-STOMP in the container.
	 */
	static final int WEB_STOMP_PORT = 15674;

	CometChatContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.rabbitmq.RabbitMQContainer");
	}

	@Override
	protected CometChatConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<RabbitMQContainer> source) {
		return new RabbitMqContainerCometChatConnectionDetails(source);
	}

	/**
	 * {@link CometChatConnectionDetails} backed by a {@link ContainerConnectionSource}.
	 */
	private static final class RabbitMqContainerCometChatConnectionDetails
			extends ContainerConnectionDetails<RabbitMQContainer> implements CometChatConnectionDetails {

		private RabbitMqContainerCometChatConnectionDetails(ContainerConnectionSource<RabbitMQContainer> source) {
			super(source);
		}

		@Override
		public URI getUrl() {
			RabbitMQContainer container = getContainer();
			if (!container.getExposedPorts().contains(WEB_STOMP_PORT)) {
				throw new IllegalStateException("The RabbitMQContainer of " + getOrigin() + " does not expose Web-STOMP's "
						+ "port " + WEB_STOMP_PORT + ": enable the rabbitmq_web_stomp plugin and add "
						+ "withExposedPorts(5672, " + WEB_STOMP_PORT + "), or keep it from the CometChat client with "
						+ "@ServiceConnection(type = ...)");
			}
			return URI.create("ws://" + container.getHost() + ":" + container.getMappedPort(WEB_STOMP_PORT) + "/ws");
		}

		@Override
		public String getVirtualHost() {
			return "/";
		}

	}

}
