package com.cometchat.spring.autoconfigure.session;

import javax.sql.DataSource;

import com.cometchat.spring.session.CometChatSession;
import jakarta.persistence.EntityManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that adds the CometChat
 * session entity and repository to the application's JPA setup, and creates their table.
 *
 * <p>The package of {@link CometChatSession} is registered with {@link AutoConfigurationPackage}, never with
 * {@code @EntityScan} or {@code @EnableJpaRepositories}, so the application's own entities and repositories are still
 * found. It therefore runs before Hibernate and Spring Data JPA are configured. Like Spring Boot's own auto-configurations
 * that create tables, it imports {@link DatabaseInitializationDependencyConfigurer}, so that the table exists before
 * Hibernate validates the schema even in an application without Boot's JDBC auto-configurations.
 *
 * @author CometChat
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		beforeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@ConditionalOnClass({ JpaRepository.class, EntityManager.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnBooleanProperty(name = "cometchat.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "cometchat.session.store", havingValue = "jpa", matchIfMissing = true)
@AutoConfigurationPackage(basePackageClasses = CometChatSession.class)
@EnableConfigurationProperties(CometChatSessionJdbcProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
@ImportRuntimeHints(CometChatSessionRuntimeHints.class)
public final class CometChatJpaSessionAutoConfiguration {

	@Bean
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnMissingBean
	CometChatSessionDataSourceScriptDatabaseInitializer cometChatSessionDataSourceScriptDatabaseInitializer(
			DataSource dataSource, CometChatSessionJdbcProperties properties,
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		JdbcConnectionDetails details = connectionDetails.getIfAvailable();
		return new CometChatSessionDataSourceScriptDatabaseInitializer(dataSource, properties,
				(details != null) ? details.getJdbcUrl() : null);
	}

}
