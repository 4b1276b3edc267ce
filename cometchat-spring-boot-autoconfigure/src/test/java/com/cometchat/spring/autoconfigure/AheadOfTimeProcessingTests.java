package com.cometchat.spring.autoconfigure;

import com.cometchat.spring.actuate.CometChatEndpoint;
import com.cometchat.spring.autoconfigure.actuate.CometChatEndpointAutoConfiguration;
import com.cometchat.spring.autoconfigure.cluster.CometChatClusterAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJpaSessionAutoConfiguration;
import com.cometchat.spring.session.CometChatSession;
import com.cometchat.spring.session.CometChatSessionRepository;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a native image of an application with the starter needs, as Spring's ahead-of-time processing of its context
 * finds it (what {@code spring-boot:process-aot} runs before {@code native-image}): the hints of the starter's own
 * registrars, and what Spring covers without them (the JPA entity, the repository, the properties).
 */
class AheadOfTimeProcessingTests {

	@Test
	void theHintsCoverWhatTheStarterReadsReflectively() {
		RuntimeHints hints = processAheadOfTime("cometchat.url=ws://localhost:15674/ws",
				"spring.datasource.url=jdbc:h2:mem:aot", "cometchat.cluster.mode=lease",
				"management.endpoints.web.exposure.include=cometchat");
		// The starter's registrars, through @ImportRuntimeHints
		assertThat(RuntimeHintsPredicates.resource().forResource("com/cometchat/spring/session/schema-h2.sql"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("com/cometchat/spring/session/migrate-0.1-h2.sql"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("com/cometchat/spring/cluster/schema-h2.sql"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(CometChatEndpoint.SessionsPage.class)).accepts(hints);
		// Spring's own processing: the persistence unit, Spring Data and configuration properties
		assertThat(RuntimeHintsPredicates.reflection().onType(CometChatSession.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(CometChatSession.class, "authToken"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(CometChatSession.Key.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(CometChatSessionRepository.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(CometChatProperties.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(CometChatEndpoint.ConnectionDescriptor.class))
			.accepts(hints);
	}

	private static RuntimeHints processAheadOfTime(String... properties) {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			TestPropertyValues.of(properties).applyTo(context);
			context.register(Application.class);
			DefaultGenerationContext generationContext = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(AheadOfTimeProcessingTests.class.getPackageName(),
							"AotApplication")),
					new InMemoryGeneratedFiles());
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			return generationContext.getRuntimeHints();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
			DataJpaRepositoriesAutoConfiguration.class, TransactionAutoConfiguration.class,
			CometChatAutoConfiguration.class, CometChatJpaSessionAutoConfiguration.class,
			CometChatClusterAutoConfiguration.class, CometChatEndpointAutoConfiguration.class })
	static class Application {

	}

}
