package com.cometchat.spring.autoconfigure.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatProperties;
import com.cometchat.spring.autoconfigure.InvalidCometChatPropertyException;
import com.cometchat.spring.autoconfigure.session.CometChatJdbcSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJpaSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatSessionJdbcProperties;
import com.cometchat.spring.client.CometChatResources;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.cluster.FencedSessionStore;
import com.cometchat.spring.cluster.JdbcLeaseStore;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.cluster.LeaseStore;
import com.cometchat.spring.metrics.CometChatClusterMetrics;
import com.cometchat.spring.session.JdbcSessionStore;
import com.cometchat.spring.session.JpaSessionStore;
import com.cometchat.spring.session.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of leases for
 * {@code cometchat.cluster.mode=lease} (or {@code auto} on a PostgreSQL, MySQL or MariaDB database): the tables {@code cometchat_replica} and {@code cometchat_session_lease} (the
 * shipped scripts, like the session table's), a {@link JdbcLeaseStore} on the application's data source, and a
 * {@link LeaseKeeper} that the connection manager uses: each saved session of the manager is then held by exactly one
 * instance of the application. With the default {@code single}, nothing of this exists.
 *
 * @author CometChat
 */
@AutoConfiguration(after = { CometChatAutoConfiguration.class, CometChatJpaSessionAutoConfiguration.class,
		CometChatJdbcSessionAutoConfiguration.class })
@ConditionalOnClass({ JdbcTemplate.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnBooleanProperty(name = "cometchat.enabled", matchIfMissing = true)
@Conditional(OnLeaseModeCondition.class)
@ConditionalOnBean(DefaultCometChatConnectionManager.class)
@ImportRuntimeHints(CometChatClusterRuntimeHints.class)
public final class CometChatClusterAutoConfiguration {

	private static final String SCHEMA_LOCATION = "classpath:com/cometchat/spring/cluster/schema-@@platform@@.sql";

	@Bean
	@ConditionalOnSingleCandidate(DataSource.class)
	@Conditional(OnDatabaseSessionStoreCondition.class)
	@ConditionalOnMissingBean(name = "cometChatClusterSchemaInitializer")
	DataSourceScriptDatabaseInitializer cometChatClusterSchemaInitializer(DataSource dataSource,
			ObjectProvider<CometChatSessionJdbcProperties> sessionProperties,
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		CometChatSessionJdbcProperties properties = sessionProperties.getIfAvailable(CometChatSessionJdbcProperties::new);
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		String platform = platform(dataSource, properties, connectionDetails.getIfAvailable());
		settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver().resolveAll(platform,
				SCHEMA_LOCATION));
		settings.setMode(properties.getInitializeSchema());
		return new DataSourceScriptDatabaseInitializer(dataSource, settings);
	}

	@Bean
	@ConditionalOnSingleCandidate(DataSource.class)
	@Conditional(OnDatabaseSessionStoreCondition.class)
	@ConditionalOnMissingBean
	LeaseStore cometChatLeaseStore(DataSource dataSource,
			ObjectProvider<CometChatSessionJdbcProperties> sessionProperties,
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		CometChatSessionJdbcProperties properties = sessionProperties.getIfAvailable(CometChatSessionJdbcProperties::new);
		String platform = platform(dataSource, properties, connectionDetails.getIfAvailable());
		try {
			return new JdbcLeaseStore(dataSource, JdbcLeaseStore.Platform.of(platform));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCometChatPropertyException("cometchat.cluster.mode", "lease",
					"the session database is " + platform + ", and leases need H2, PostgreSQL, MySQL or MariaDB",
					"Keep the sessions in one of those databases, or set cometchat.cluster.mode to single.");
		}
	}

	@Bean
	@ConditionalOnBean(LeaseStore.class)
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	LeaseKeeper cometChatLeaseKeeper(LeaseStore leaseStore, DefaultCometChatConnectionManager manager,
			CometChatProperties properties, CometChatResources resources, SessionStore sessionStore,
			ObjectProvider<DataSource> dataSource, ObjectProvider<PlatformTransactionManager> transactionManager) {
		CometChatProperties.Cluster cluster = properties.getCluster();
		LeaseKeeper keeper = new LeaseKeeper(leaseStore, properties.getAppId(), host(),
				new LeaseKeeper.Settings(cluster.getLeaseTtl(), cluster.getRenewInterval(), cluster.getLeaseMargin()),
				resources.getScheduler(), resources.getStoreExecutor(), System::nanoTime, manager.leaseListener());
		DataSource database = dataSource.getIfUnique();
		if (database != null) {
			// Every write for a session is conditional on still holding its lease, in the application's transactions
			PlatformTransactionManager transactions = transactionManager
				.getIfUnique(() -> new DataSourceTransactionManager(database));
			JdbcLeaseStore.Platform platform = (leaseStore instanceof JdbcLeaseStore jdbc) ? jdbc.getPlatform()
					: JdbcLeaseStore.Platform.H2;
			manager.useLeases(keeper, new FencedSessionStore(sessionStore, keeper, database,
					new TransactionTemplate(transactions), platform));
		}
		else {
			manager.useLeases(keeper);
		}
		return keeper;
	}

	/**
	 * The meters of this replica's leases, when Micrometer is there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class ClusterMetricsConfiguration {

		@Bean
		SmartInitializingSingleton cometChatClusterMetrics(ObjectProvider<MeterRegistry> registry,
				ObjectProvider<LeaseKeeper> keeper, CometChatProperties properties) {
			return () -> {
				MeterRegistry meters = registry.getIfUnique();
				LeaseKeeper leases = keeper.getIfUnique();
				if (meters != null && leases != null) {
					CometChatClusterMetrics.bind(meters, properties.getAppId(), leases);
				}
			};
		}

	}

	/**
	 * Fails the start when leases are asked for but the sessions are not in a database the instances share.
	 * @param sessionStore the session store in use
	 * @return never
	 */
	@Bean
	@ConditionalOnMissingBean({ JpaSessionStore.class, JdbcSessionStore.class })
	Object cometChatClusterNeedsADatabase(SessionStore sessionStore, CometChatProperties properties) {
		throw new InvalidCometChatPropertyException("cometchat.cluster.mode",
				properties.getCluster().getMode().name().toLowerCase(java.util.Locale.ROOT),
				"the sessions are kept in " + sessionStore.getClass().getSimpleName()
						+ ", which the instances do not share",
				"Keep the sessions in a database (cometchat.session.store=jpa with spring-boot-starter-data-jpa, or "
						+ "cometchat.session.store=jdbc), or "
						+ "set cometchat.cluster.mode to single.");
	}

	/**
	 * Matches when the sessions are kept in a database the instances share: the JPA or the JDBC session store.
	 */
	static final class OnDatabaseSessionStoreCondition extends AnyNestedCondition {

		OnDatabaseSessionStoreCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(JpaSessionStore.class)
		static final class Jpa {

		}

		@ConditionalOnBean(JdbcSessionStore.class)
		static final class Jdbc {

		}

	}

	private static String platform(DataSource dataSource, CometChatSessionJdbcProperties properties,
			@Nullable JdbcConnectionDetails details) {
		if (StringUtils.hasText(properties.getPlatform())) {
			return properties.getPlatform();
		}
		String url = (details != null) ? details.getJdbcUrl() : null;
		if (url == null) {
			try {
				url = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getURL);
			}
			catch (MetaDataAccessException ex) {
				throw new IllegalStateException("Could not tell which database holds the CometChat sessions", ex);
			}
		}
		return DatabaseDriver.fromJdbcUrl(url).getId();
	}

	private static String host() {
		String pid = Long.toString(ProcessHandle.current().pid());
		try {
			return InetAddress.getLocalHost().getHostName() + "/" + pid;
		}
		catch (UnknownHostException ex) {
			return "unknown/" + pid;
		}
	}

}
