package com.cometchat.spring.autoconfigure.session;

import javax.sql.DataSource;

import com.cometchat.spring.autoconfigure.CometChatProperties;
import com.cometchat.spring.session.JdbcSessionStore;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.TokenCipher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the plain-JDBC session
 * store: a {@link JdbcSessionStore} on the application's single {@link DataSource}, with the same table, scripts and
 * token encryption as the JPA store but nothing added to the application's persistence unit. Used when
 * {@code cometchat.session.store=jdbc}, and by default when Spring Data JPA is not on the class path (the JPA store is
 * the default where it is). Runs before {@code CometChatAutoConfiguration}, whose in-memory store steps back when a
 * {@link SessionStore} exists.
 *
 * @author CometChat
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		beforeName = "com.cometchat.spring.autoconfigure.CometChatAutoConfiguration")
@ConditionalOnClass({ JdbcTemplate.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnBooleanProperty(name = "cometchat.enabled", matchIfMissing = true)
@Conditional(CometChatJdbcSessionAutoConfiguration.OnJdbcSessionStoreCondition.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(CometChatProperties.class)
@Import(CometChatSessionSchemaConfiguration.class)
public final class CometChatJdbcSessionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TokenCipher cometChatTokenCipher(CometChatProperties properties) {
		return SessionTokenCiphers.fromProperties(properties);
	}

	@Bean
	@ConditionalOnMissingBean(SessionStore.class)
	JdbcSessionStore cometChatJdbcSessionStore(DataSource dataSource, TokenCipher tokenCipher,
			ObjectProvider<PlatformTransactionManager> transactionManager,
			ObjectProvider<CometChatSessionDataSourceScriptDatabaseInitializer> schema) {
		// The application's transactions when it has one manager (a connection manager with leases checks its lease
		// in the same transaction as the write), otherwise transactions of the store's own on the data source
		PlatformTransactionManager transactions = transactionManager
			.getIfUnique(() -> new DataSourceTransactionManager(dataSource));
		CometChatSessionDataSourceScriptDatabaseInitializer initializer = schema.getIfAvailable();
		return new JdbcSessionStore(dataSource, new TransactionTemplate(transactions), tokenCipher,
				(initializer != null) ? initializer::initializeIfPending : () -> {
				});
	}

	/**
	 * Matches when the JDBC store is asked for, or when no store is asked for and Spring Data JPA is absent.
	 */
	static final class OnJdbcSessionStoreCondition extends AnyNestedCondition {

		OnJdbcSessionStoreCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty(name = "cometchat.session.store", havingValue = "jdbc")
		static final class Chosen {

		}

		@ConditionalOnProperty(name = "cometchat.session.store", havingValue = "default-when-not-set",
				matchIfMissing = true)
		@ConditionalOnMissingClass("org.springframework.data.jpa.repository.JpaRepository")
		static final class DefaultWithoutJpa {

		}

	}

}
