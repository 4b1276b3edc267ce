package com.cometchat.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata generated from {@link CometChatProperties} and the additional metadata.
 */
class ConfigurationMetadataTests {

	@Test
	void autoEstablishSocketConnectionIsABooleanDefaultingToTrue() throws IOException {
		Map<String, Object> property = property("cometchat.auto-establish-socket-connection");
		assertThat(property).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true)
			.containsEntry("sourceType", CometChatProperties.class.getName());
		assertThat((String) property.get("description")).startsWith("Whether");
	}

	@Test
	void everyPropertyHasADescription() throws IOException {
		List<Map<String, Object>> properties = properties();
		assertThat(properties).hasSizeGreaterThan(20);
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank()
			.doesNotStartWith("The "));
	}

	@Test
	void timesAreDurations() throws IOException {
		for (String name : new String[] { "cometchat.connect-timeout", "cometchat.heartbeat.outgoing",
				"cometchat.heartbeat.incoming", "cometchat.reconnect.initial-interval",
				"cometchat.reconnect.max-interval", "cometchat.reconnect.jitter",
				"cometchat.presence.heartbeat-interval" }) {
			assertThat(property(name)).as(name).containsEntry("type", "java.time.Duration");
		}
	}

	@Test
	void healthIndicatorSwitchIsDescribed() throws IOException {
		assertThat(property("management.health.cometchat.enabled")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true);
	}

	private static Map<String, Object> property(String name) throws IOException {
		return properties().stream()
			.filter((property) -> name.equals(property.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No metadata for " + name));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> properties() throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			Map<String, Object> metadata = JsonMapper.builder().build().readValue(in, Map.class);
			return (List<Map<String, Object>>) metadata.get("properties");
		}
	}

}
