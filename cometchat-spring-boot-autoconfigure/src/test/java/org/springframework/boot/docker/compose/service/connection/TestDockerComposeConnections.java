package org.springframework.boot.docker.compose.service.connection;

import java.util.List;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.lifecycle.TestDockerComposeServicesReadyEvents;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * Spring Boot's Docker Compose service connections for tests without Docker: a {@link DockerComposeConnectionSource}
 * for one service (its constructor is package-private; Spring Boot's own tests are in this package), and the
 * registration of connection details beans that Spring Boot does once its services run.
 */
public final class TestDockerComposeConnections {

	private TestDockerComposeConnections() {
	}

	/**
	 * Create a source for a service, as Spring Boot does for each running service.
	 * @param service the service
	 * @return the source
	 */
	public static DockerComposeConnectionSource source(RunningService service) {
		return new DockerComposeConnectionSource(service, new StandardEnvironment());
	}

	/**
	 * Register the connection details of the services in a context that is not refreshed yet, with Spring Boot's
	 * own listener and the factories of {@code spring.factories}, as when its Docker Compose services are ready.
	 * @param context the context
	 * @param services the running services
	 */
	public static void register(ConfigurableApplicationContext context, List<RunningService> services) {
		new DockerComposeServiceConnectionsApplicationListener()
			.onApplicationEvent(TestDockerComposeServicesReadyEvents.create(context, services));
	}

}
