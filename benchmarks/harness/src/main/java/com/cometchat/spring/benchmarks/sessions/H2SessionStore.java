package com.cometchat.spring.benchmarks.sessions;

import com.cometchat.spring.autoconfigure.session.CometChatJdbcSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJpaSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatSessionDataSourceScriptDatabaseInitializer;
import com.cometchat.spring.session.CometChatSessionRepository;
import com.cometchat.spring.session.JpaSessionStore;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.TokenCipher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The session store an application gets from the starter with spring-boot-starter-data-jpa, on H2 in memory: the
 * starter's JPA session auto-configuration and a {@link JpaSessionStore} bean made as the starter makes it (tokens in
 * clear, the default without an encryption key). The database lives as long as this JVM, so a connection manager
 * closed and created again finds the sessions the first one saved, as after an application restart.
 *
 * @author CometChat
 */
final class H2SessionStore implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private H2SessionStore(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start the store.
	 * @param kind {@code jpa} (the starter's {@code JpaSessionStore}) or {@code jdbc} (its {@code JdbcSessionStore},
	 * {@code cometchat.session.store=jdbc}), each on the same H2 database and table
	 * @return the store
	 */
	static H2SessionStore start(String kind) {
		// The harness logs through slf4j-simple; Boot would otherwise configure java.util.logging
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				kind.equals("jdbc") ? JdbcStoreConfiguration.class : StoreConfiguration.class)
			.web(WebApplicationType.NONE)
			.bannerMode(org.springframework.boot.Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("spring.datasource.url=jdbc:h2:mem:cometchat-bench;DB_CLOSE_DELAY=-1",
					"spring.jpa.open-in-view=false", "cometchat.session.store=" + kind)
			.run();
		return new H2SessionStore(context);
	}

	SessionStore store() {
		return this.context.getBean(SessionStore.class);
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, CometChatJpaSessionAutoConfiguration.class,
			HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
			TransactionAutoConfiguration.class })
	static class StoreConfiguration {

		@Bean
		JpaSessionStore cometChatJpaSessionStore(CometChatSessionRepository repository,
				ObjectProvider<CometChatSessionDataSourceScriptDatabaseInitializer> schema) {
			CometChatSessionDataSourceScriptDatabaseInitializer initializer = schema.getIfAvailable();
			return new JpaSessionStore(repository, TokenCipher.NONE,
					(initializer != null) ? initializer::initializeIfPending : () -> {
					});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, TransactionAutoConfiguration.class,
			CometChatJdbcSessionAutoConfiguration.class })
	static class JdbcStoreConfiguration {

		@Bean
		TokenCipher cometChatTokenCipher() {
			return TokenCipher.NONE;
		}

	}

}
