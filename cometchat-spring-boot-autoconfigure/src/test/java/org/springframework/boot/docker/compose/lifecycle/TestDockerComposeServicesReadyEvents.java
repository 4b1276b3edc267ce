package org.springframework.boot.docker.compose.lifecycle;

import java.util.List;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.context.ApplicationContext;

/**
 * Creates the {@link DockerComposeServicesReadyEvent} that Spring Boot publishes once its Docker Compose services
 * run, for tests without Docker (its constructor is package-private).
 */
public final class TestDockerComposeServicesReadyEvents {

	private TestDockerComposeServicesReadyEvents() {
	}

	/**
	 * Create the event.
	 * @param context the application context being prepared
	 * @param services the running services
	 * @return the event
	 */
	public static DockerComposeServicesReadyEvent create(ApplicationContext context, List<RunningService> services) {
		return new DockerComposeServicesReadyEvent(context, services);
	}

}
