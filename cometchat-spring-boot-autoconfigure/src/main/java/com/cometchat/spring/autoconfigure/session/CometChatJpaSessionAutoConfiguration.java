package com.cometchat.spring.autoconfigure.session;

import com.cometchat.spring.session.CometChatSession;
import jakarta.persistence.EntityManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that adds the CometChat
 * session entity and repository to the application's JPA setup, and creates their table.
 *
 * <p>The package of {@link CometChatSession} is registered with {@link AutoConfigurationPackage}, never with
 * {@code @EntityScan} or {@code @EnableJpaRepositories}, so the application's own entities and repositories are still
 * found. It therefore runs before Hibernate and Spring Data JPA are configured. The table comes from
 * {@link CometChatSessionSchemaConfiguration}, before Hibernate validates the schema.
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
@Import(CometChatSessionSchemaConfiguration.class)
public final class CometChatJpaSessionAutoConfiguration {

}
