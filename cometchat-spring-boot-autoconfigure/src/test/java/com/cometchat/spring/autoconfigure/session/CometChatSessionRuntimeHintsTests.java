package com.cometchat.spring.autoconfigure.session;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CometChatSessionRuntimeHints}.
 */
class CometChatSessionRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	CometChatSessionRuntimeHintsTests() {
		new CometChatSessionRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void everyShippedScriptOfTheSessionTableIsIncluded() throws IOException {
		Resource[] resources = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:com/cometchat/spring/session/*.sql");
		List<String> scripts = Arrays.stream(resources).map(Resource::getFilename).toList();
		assertThat(scripts).contains("schema-postgresql.sql", "migrate-0.1-mysql.sql").hasSizeGreaterThan(9);
		assertThat(scripts).allSatisfy((script) -> assertThat(
				RuntimeHintsPredicates.resource().forResource("com/cometchat/spring/session/" + script))
			.as(script)
			.accepts(this.hints));
	}

	@Test
	void theLocationsTheInitializerReadsAreIncluded() {
		PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver();
		String[] locations = { new CometChatSessionJdbcProperties().getSchema(),
				"classpath:com/cometchat/spring/session/migrate-0.1-@@platform@@.sql" };
		for (String platform : List.of("h2", "hsqldb", "postgresql", "mysql", "mariadb")) {
			resolver.resolveAll(platform, locations)
				.forEach((location) -> assertThat(
						RuntimeHintsPredicates.resource().forResource(location.substring("classpath:".length())))
					.as(location)
					.accepts(this.hints));
		}
	}

}
