package com.cometchat.spring.docker.compose;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.test.HidingClassLoader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.TestDockerComposeConnections;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CometChatDockerComposeConnectionDetailsFactory}, without Docker, as Spring Boot tests its own
 * factories: the running service is a test double with the host, published ports, environment and labels that
 * {@code docker compose} would report, and Spring Boot's service connection support finds the factory in
 * {@code spring.factories}.
 */
class CometChatDockerComposeConnectionDetailsFactoryTests {

	@Test
	void mapsThePublishedWebStompPortToAWebSocketUrlOnTheServiceHost() {
		CometChatConnectionDetails details = connectionDetails(
				rabbit(Map.of(5672, 32770, 15674, 32771), Map.of(), Map.of()));
		assertThat(details.getUrl()).isEqualTo(URI.create("ws://127.0.0.1:32771/ws"));
		assertThat(details.getVirtualHost()).isEqualTo("/");
	}

	@Test
	void theVirtualHostIsTheServiceDefaultVirtualHost() {
		CometChatConnectionDetails details = connectionDetails(
				rabbit(Map.of(15674, 32771), Map.of("RABBITMQ_DEFAULT_VHOST", "chat"), Map.of()));
		assertThat(details.getVirtualHost()).isEqualTo("chat");
	}

	@Test
	void theBrokerUsersAreNotPartOfTheConnection() {
		CometChatConnectionDetails details = connectionDetails(rabbit(Map.of(15674, 32771),
				Map.of("RABBITMQ_DEFAULT_USER", "bot-1", "RABBITMQ_DEFAULT_PASS", "secret"), Map.of()));
		assertThat(details.getUrl().getUserInfo()).isNull();
		assertThat(details.getUrl().toString()).doesNotContain("bot-1").doesNotContain("secret");
	}

	@Test
	void aServiceThatDoesNotPublishWebStompIsNotUsed() {
		assertThat(allConnectionDetails(rabbit(Map.of(5672, 32770, 15672, 32772), Map.of(), Map.of())))
			.doesNotContainKey(CometChatConnectionDetails.class);
	}

	@Test
	void labelsTellAnotherWebStompPortAndPath() {
		CometChatConnectionDetails details = connectionDetails(rabbit(Map.of(15674, 32771, 15680, 32780), Map.of(),
				Map.of(CometChatDockerComposeConnectionDetailsFactory.PORT_LABEL, "15680",
						CometChatDockerComposeConnectionDetailsFactory.PATH_LABEL, "stomp")));
		assertThat(details.getUrl()).isEqualTo(URI.create("ws://127.0.0.1:32780/stomp"));
	}

	@Test
	void aPortLabelThatIsNotANumberIsReportedWithTheService() {
		TestRunningService service = rabbit(Map.of(15674, 32771), Map.of(),
				Map.of(CometChatDockerComposeConnectionDetailsFactory.PORT_LABEL, "web-stomp"));
		assertThatIllegalStateException().isThrownBy(() -> allConnectionDetails(service))
			.withMessageContaining("com.cometchat.web-stomp.port")
			.withMessageContaining("'rabbitmq'")
			.withMessageContaining("'web-stomp'");
	}

	@Test
	void anIpV6HostIsBracketed() {
		TestRunningService service = new TestRunningService("rabbitmq", "rabbitmq:4.1-management", "::1",
				Map.of(15674, 32771), Map.of(), Map.of());
		assertThat(connectionDetails(service).getUrl()).isEqualTo(URI.create("ws://[::1]:32771/ws"));
	}

	@Test
	void anImageFromAnotherRegistryWithTheRabbitMqNameIsUsed() {
		TestRunningService service = new TestRunningService("broker", "registry.example.com:5000/library/rabbitmq:4.1",
				"127.0.0.1", Map.of(15674, 32771), Map.of(), Map.of());
		assertThat(connectionDetails(service).getUrl()).hasPort(32771);
	}

	@Test
	void anotherImageIsUsedOnlyWhenItsServiceConnectionLabelSaysRabbitMq() {
		TestRunningService other = new TestRunningService("broker", "example/chat-broker:1", "127.0.0.1",
				Map.of(15674, 32771), Map.of(), Map.of());
		assertThat(allConnectionDetails(other)).doesNotContainKey(CometChatConnectionDetails.class);
		TestRunningService labelled = new TestRunningService("broker", "example/chat-broker:1", "127.0.0.1",
				Map.of(15674, 32771), Map.of(), Map.of("org.springframework.boot.service-connection", "rabbitmq"));
		assertThat(connectionDetails(labelled).getUrl()).hasPort(32771);
	}

	@Test
	void theServiceConnectionTakesPrecedenceOverCometchatUrl() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CometChatAutoConfiguration.class))
			.withPropertyValues("cometchat.url=ws://configured.example:15674/ws", "cometchat.virtual-host=/configured")
			.withInitializer((context) -> TestDockerComposeConnections.register(context,
					List.of(rabbit(Map.of(15674, 32771), Map.of("RABBITMQ_DEFAULT_VHOST", "chat"), Map.of()))))
			.run((context) -> {
				assertThat(context).hasSingleBean(CometChatConnectionDetails.class)
					.hasBean("cometChatConnectionDetailsForRabbitmq");
				DefaultCometChatClient client = context.getBean(DefaultCometChatClient.class);
				assertThat(client.getUrl()).isEqualTo(URI.create("ws://127.0.0.1:32771/ws"));
			});
	}

	@Test
	void withoutWebStompCometchatUrlStaysInUse() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CometChatAutoConfiguration.class))
			.withPropertyValues("cometchat.url=ws://configured.example:15674/ws")
			.withInitializer((context) -> TestDockerComposeConnections.register(context,
					List.of(rabbit(Map.of(5672, 32770), Map.of(), Map.of()))))
			.run((context) -> assertThat(context.getBean(DefaultCometChatClient.class).getUrl())
				.isEqualTo(URI.create("ws://configured.example:15674/ws")));
	}

	@Test
	void withoutDockerComposeTheFactoryIsSkipped() throws Exception {
		try (HidingClassLoader loader = new HidingClassLoader(List.of("org.springframework.boot.docker."))) {
			assertThat(loader.connectionDetailsFactories()).as("factories that could be instantiated")
				.isNotEmpty()
				.doesNotContain(CometChatDockerComposeConnectionDetailsFactory.class.getName());
		}
	}

	private static TestRunningService rabbit(Map<Integer, Integer> ports, Map<String, @Nullable String> env,
			Map<String, String> labels) {
		return new TestRunningService("rabbitmq", "rabbitmq:4.1-management", "127.0.0.1", ports, env, labels);
	}

	private static Map<Class<?>, ConnectionDetails> allConnectionDetails(RunningService service) {
		return new ConnectionDetailsFactories(null).getConnectionDetails(TestDockerComposeConnections.source(service),
				false);
	}

	private static CometChatConnectionDetails connectionDetails(RunningService service) {
		Map<Class<?>, ConnectionDetails> all = allConnectionDetails(service);
		assertThat(all).containsKey(CometChatConnectionDetails.class);
		return (CometChatConnectionDetails) all.get(CometChatConnectionDetails.class);
	}

	/**
	 * A running service as {@code docker compose ps} and {@code docker inspect} describe it.
	 *
	 * @param name the service name
	 * @param imageName the image
	 * @param host the host its ports are published on
	 * @param publishedPorts host port by container port
	 * @param env the container's environment
	 * @param labels the service's labels
	 */
	record TestRunningService(String name, String imageName, String host, Map<Integer, Integer> publishedPorts,
			Map<String, @Nullable String> env, Map<String, String> labels) implements RunningService {

		@Override
		public ImageReference image() {
			return ImageReference.of(this.imageName);
		}

		@Override
		public ConnectionPorts ports() {
			return new ConnectionPorts() {

				@Override
				public int get(int containerPort) {
					Integer hostPort = TestRunningService.this.publishedPorts.get(containerPort);
					// As Spring Boot's own ConnectionPorts tells that a port is not published
					if (hostPort == null) {
						throw new IllegalStateException(
								"No host port mapping found for container port %s".formatted(containerPort));
					}
					return hostPort;
				}

				@Override
				public List<Integer> getAll() {
					return List.copyOf(TestRunningService.this.publishedPorts.values());
				}

				@Override
				public List<Integer> getAll(@Nullable String protocol) {
					return getAll();
				}

			};
		}

	}

}
