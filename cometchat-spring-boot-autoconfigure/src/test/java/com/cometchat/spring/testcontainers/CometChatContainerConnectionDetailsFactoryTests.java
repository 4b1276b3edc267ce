package com.cometchat.spring.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
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
			assertThat(registeredFactories(loader)).as("factories that could be instantiated")
				.noneMatch((name) -> name.startsWith("com.cometchat"));
		}
	}

	@Test
	void withoutTheRabbitMqModuleTheFactoryIsSkipped() throws Exception {
		// An application that uses Testcontainers for other services only
		try (HidingClassLoader loader = new HidingClassLoader(List.of("org.testcontainers.rabbitmq."))) {
			assertThat(registeredFactories(loader)).as("factories that could be instantiated and typed")
				.isNotEmpty()
				.doesNotContain(CometChatContainerConnectionDetailsFactory.class.getName());
			// And should it be called, it checks for the container class first
			Object factory = instantiate(loader, CometChatContainerConnectionDetailsFactory.class.getName());
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

	/**
	 * Return the names of the factories that Spring Boot's registry could instantiate from {@code spring.factories},
	 * in the given class loader.
	 */
	private static List<String> registeredFactories(ClassLoader loader) throws Exception {
		Class<?> registry = loader.loadClass(ConnectionDetailsFactories.class.getName());
		Object factories = registry.getConstructor(ClassLoader.class).newInstance(loader);
		java.lang.reflect.Field field = registry.getDeclaredField("registrations");
		field.setAccessible(true);
		List<?> registrations = (List<?>) field.get(factories);
		List<String> names = new java.util.ArrayList<>();
		for (Object registration : registrations) {
			java.lang.reflect.Method factory = registration.getClass().getDeclaredMethod("factory");
			factory.setAccessible(true);
			names.add(factory.invoke(registration).getClass().getName());
		}
		return names;
	}

	private static Object instantiate(ClassLoader loader, String className) throws Exception {
		java.lang.reflect.Constructor<?> constructor = loader.loadClass(className).getDeclaredConstructor();
		constructor.setAccessible(true);
		return constructor.newInstance();
	}

	/**
	 * Defines every class itself (but the JDK's and logging), from the test class path, and hides the classes of the given
	 * packages, as if their jars were absent. Resources are the test class path's, so {@code spring.factories} still
	 * names the factories whose classes are hidden.
	 */
	static final class HidingClassLoader extends ClassLoader implements AutoCloseable {

		/**
		 * Packages taken from the test class path's loader: the JDK's and logging, which knows nothing of
		 * Testcontainers.
		 */
		private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "org.slf4j.",
				"ch.qos.logback.", "org.apache.commons.logging.");

		private final List<String> hidden;

		/**
		 * Create the loader and make it the thread's context class loader until {@link #close()}, since Spring
		 * looks classes up there ({@code ClassUtils.isPresent(name, null)}).
		 */
		HidingClassLoader(List<String> hidden) {
			super(HidingClassLoader.class.getClassLoader());
			this.hidden = hidden;
			Thread.currentThread().setContextClassLoader(this);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			synchronized (getClassLoadingLock(name)) {
				if (this.hidden.stream().anyMatch(name::startsWith)) {
					throw new ClassNotFoundException(name + " is hidden");
				}
				if (SHARED.stream().anyMatch(name::startsWith)) {
					return super.loadClass(name, resolve);
				}
				Class<?> loaded = findLoadedClass(name);
				if (loaded == null) {
					loaded = define(name);
				}
				if (resolve) {
					resolveClass(loaded);
				}
				return loaded;
			}
		}

		private Class<?> define(String name) throws ClassNotFoundException {
			try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
				if (in == null) {
					throw new ClassNotFoundException(name);
				}
				byte[] bytes = in.readAllBytes();
				return defineClass(name, bytes, 0, bytes.length);
			}
			catch (IOException ex) {
				throw new ClassNotFoundException(name, ex);
			}
		}

		@Override
		public void close() {
			Thread.currentThread().setContextClassLoader(getParent());
		}

	}

}
