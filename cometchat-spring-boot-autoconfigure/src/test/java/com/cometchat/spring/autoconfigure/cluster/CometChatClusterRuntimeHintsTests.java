package com.cometchat.spring.autoconfigure.cluster;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CometChatClusterRuntimeHints}.
 */
class CometChatClusterRuntimeHintsTests {

	@Test
	void everyShippedScriptOfTheLeaseTablesIsIncluded() throws IOException {
		RuntimeHints hints = new RuntimeHints();
		new CometChatClusterRuntimeHints().registerHints(hints, getClass().getClassLoader());
		Resource[] resources = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:com/cometchat/spring/cluster/*.sql");
		List<String> scripts = Arrays.stream(resources).map(Resource::getFilename).toList();
		assertThat(scripts).contains("schema-h2.sql", "schema-postgresql.sql", "schema-mysql.sql",
				"schema-mariadb.sql");
		assertThat(scripts).allSatisfy((script) -> assertThat(
				RuntimeHintsPredicates.resource().forResource("com/cometchat/spring/cluster/" + script))
			.as(script)
			.accepts(hints));
	}

}
