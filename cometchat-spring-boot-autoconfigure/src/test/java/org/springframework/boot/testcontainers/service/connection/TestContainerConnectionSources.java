package org.springframework.boot.testcontainers.service.connection;

import java.util.Map;
import java.util.function.Supplier;

import org.testcontainers.containers.Container;

import org.springframework.boot.origin.Origin;
import org.springframework.core.annotation.MergedAnnotation;

/**
 * Creates {@link ContainerConnectionSource} instances for tests of connection details factories, without Docker
 * (its constructors are package-private; Spring Boot's own tests do the same).
 */
public final class TestContainerConnectionSources {

	private TestContainerConnectionSources() {
	}

	/**
	 * Create a source as for a {@code @ServiceConnection} field.
	 * @param <C> the container type
	 * @param containerType the declared container type
	 * @param imageName the container's image name
	 * @param attributes attributes of the {@code @ServiceConnection} annotation ({@code name}, {@code type})
	 * @param container supplies the container
	 * @return the source
	 */
	public static <C extends Container<?>> ContainerConnectionSource<C> create(Class<C> containerType,
			String imageName, Map<String, Object> attributes, Supplier<C> container) {
		MergedAnnotation<ServiceConnection> annotation = MergedAnnotation.of(ServiceConnection.class, attributes);
		Origin origin = new Origin() {

			@Override
			public String toString() {
				return "test field of type " + containerType.getName();
			}

		};
		return new ContainerConnectionSource<>("test", origin, containerType, imageName, annotation, container, null,
				null);
	}

}
