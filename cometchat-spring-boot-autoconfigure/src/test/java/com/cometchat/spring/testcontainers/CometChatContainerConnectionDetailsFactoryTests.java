package com.cometchat.spring.testcontainers;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import com.cometchat.spring.test.HidingClassLoader;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.springframework.boot.testcontainers.service.connection.TestContainerConnectionSources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link CometChatContainerConnectionDetailsFactory}, without Docker: the container is a mock that reports a
 * host and a mapped port; Spring Boot's service connection support finds the factory in {@code spring.factories}.
 * {@code CometChatContainerConnectionDetailsFactoryIT} does the same with a real container, where Docker runs.
 */
class CometChatContainerConnectionDetailsFactoryTests {

	@Test
	void mapsTheWebStompPortToAWebSocketUrlAndTheDefaultVirtualHost() throws Exception {
		RabbitMQContainer container = rabbit(Set.of(5672, 15674));
		CometChatConnectionDetails details = connectionDetails(source(RabbitMQContainer.class, container, Map.of()));
		assertThat(details.getUrl()).isEqualTo(URI.create("ws://docker-host:32771/ws"));
		assertThat(details.getVirtualHost()).isEqualTo("/");
	}

	@Test
	void anyConnectionNameIsAccepted() throws Exception {
		RabbitMQContainer container = rabbit(Set.of(15674));
		CometChatConnectionDetails details = connectionDetails(
				source(RabbitMQContainer.class, container, Map.of("name", "my-broker")));
		assertThat(details.getUrl()).hasPort(32771);
	}

	@Test
	void aContainerWithoutWebStompIsReportedByName() throws Exception {
		CometChatConnectionDetails details = connectionDetails(
				source(RabbitMQContainer.class, rabbit(Set.of(5672, 15672)), Map.of()));
		assertThatIllegalStateException().isThrownBy(details::getUrl)
			.withMessageContaining("does not expose Web-STOMP's port 15674");
	}

	@Test
	void aServiceConnectionRestrictedToAnotherTypeIsNotUsed() {
		ContainerConnectionSource<RabbitMQContainer> source = source(RabbitMQContainer.class, rabbit(Set.of(15674)),
				Map.of("type", new Class<?>[] { JdbcConnectionDetails.class }));
		assertThat(new ConnectionDetailsFactories(null).getConnectionDetails(source, false)).isEmpty();
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void otherContainersAreNotUsed() {
		GenericContainer<?> container = mock(GenericContainer.class);
		ContainerConnectionSource source = source((Class) GenericContainer.class, container, Map.of());
		assertThat(new ConnectionDetailsFactories(null).getConnectionDetails(source, false))
			.doesNotContainKey(CometChatConnectionDetails.class);
	}

	@Test
	void withoutTestcontainersTheFactoryIsSkipped() throws Exception {
		try (HidingClassLoader loader = new HidingClassLoader(List.of("org.testcontainers.",
				"org.springframework.boot.testcontainers."))) {
			assertThat(loader.connectionDetailsFactories()).as("factories that could be instantiated")
				.doesNotContain(CometChatContainerConnectionDetailsFactory.class.getName());
		}
	}

	@Test
	void withoutTheRabbitMqModuleTheFactoryIsSkipped() throws Exception {
		// An application that uses Testcontainers for other services only
		try (HidingClassLoader loader = new HidingClassLoader(List.of("org.testcontainers.rabbitmq."))) {
			assertThat(loader.connectionDetailsFactories()).as("factories that could be instantiated and typed")
				.isNotEmpty()
				.doesNotContain(CometChatContainerConnectionDetailsFactory.class.getName());
			// And should it be called, it checks for the container class first
			Object factory = loader.instantiate(CometChatContainerConnectionDetailsFactory.class.getName());
			assertThat(factory.getClass()
				.getMethod("getConnectionDetails", Object.class)
				.invoke(factory, new Object[] { null })).isNull();
		}
	}

	private static RabbitMQContainer rabbit(Set<Integer> exposedPorts) {
		RabbitMQContainer container = mock(RabbitMQContainer.class);
		given(container.getHost()).willReturn("docker-host");
		given(container.getMappedPort(15674)).willReturn(32771);
		given(container.getExposedPorts()).willReturn(List.copyOf(exposedPorts));
		return container;
	}

	private static <C extends org.testcontainers.containers.Container<?>> ContainerConnectionSource<C> source(
			Class<C> type, C container, Map<String, Object> attributes) {
		return TestContainerConnectionSources.create(type, "rabbitmq:4-management", attributes, () -> container);
	}

	private static CometChatConnectionDetails connectionDetails(ContainerConnectionSource<?> source)
			throws Exception {
		Map<Class<?>, ConnectionDetails> all = new ConnectionDetailsFactories(null).getConnectionDetails(source, true);
		assertThat(all).containsKey(CometChatConnectionDetails.class);
		ConnectionDetails details = all.get(CometChatConnectionDetails.class);
		// As the bean registrar does: the container is taken from the source when the bean is initialized
		((InitializingBean) details).afterPropertiesSet();
		return (CometChatConnectionDetails) details;
	}

}
