package com.cometchat.spring.autoconfigure.session;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * The {@code cometchat_session} table, for the JPA and the JDBC session stores alike: the starter's schema scripts run
 * on the single {@link DataSource}. Like Spring Boot's own table-creating auto-configurations, it imports
 * {@link DatabaseInitializationDependencyConfigurer}, so that the table exists before Hibernate validates the schema
 * even in an application without Boot's JDBC auto-configurations.
 *
 * @author CometChat
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CometChatSessionJdbcProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
@ImportRuntimeHints(CometChatSessionRuntimeHints.class)
class CometChatSessionSchemaConfiguration {

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
