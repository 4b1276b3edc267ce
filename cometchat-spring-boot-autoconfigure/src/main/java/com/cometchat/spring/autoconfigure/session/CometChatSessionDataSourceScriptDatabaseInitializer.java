package com.cometchat.spring.autoconfigure.session;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.util.StringUtils;

/**
 * {@link DataSourceScriptDatabaseInitializer} for the {@code cometchat_session} table.
 *
 * @author CometChat
 */
public class CometChatSessionDataSourceScriptDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

	private static final Log logger = LogFactory.getLog(CometChatSessionDataSourceScriptDatabaseInitializer.class);

	private volatile boolean pending;

	public CometChatSessionDataSourceScriptDatabaseInitializer(DataSource dataSource,
			CometChatSessionJdbcProperties properties) {
		this(dataSource, properties, null);
	}

	/**
	 * Create an initializer.
	 * @param dataSource the data source
	 * @param properties the properties
	 * @param jdbcUrl the JDBC URL, which gives the platform without connecting (so that the application can start
	 * while the database is down), or {@code null} to ask the database
	 */
	public CometChatSessionDataSourceScriptDatabaseInitializer(DataSource dataSource,
			CometChatSessionJdbcProperties properties, @Nullable String jdbcUrl) {
		super(dataSource, getSettings(dataSource, properties, jdbcUrl));
	}

	/**
	 * Create the table, unless the database is unreachable: then the application starts anyway (the session store
	 * reports the outage) and {@link #initializeIfPending()} creates it when the database is back.
	 */
	@Override
	public void afterPropertiesSet() throws Exception {
		try {
			super.afterPropertiesSet();
			this.pending = false;
		}
		catch (RuntimeException ex) {
			Throwable unreachable = unreachableDatabase(ex);
			if (unreachable == null) {
				throw ex;
			}
			this.pending = true;
			logger.warn("The database is unavailable, the cometchat_session table is not checked yet: "
					+ unreachable.getMessage());
		}
	}

	private static @Nullable Throwable unreachableDatabase(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException) {
				return cause;
			}
		}
		return null;
	}

	/**
	 * Create the table if that could not be done at start.
	 */
	public synchronized void initializeIfPending() {
		if (this.pending) {
			initializeDatabase();
			this.pending = false;
		}
	}

	static DatabaseInitializationSettings getSettings(DataSource dataSource,
			CometChatSessionJdbcProperties properties, @Nullable String jdbcUrl) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver();
		String platform = properties.getPlatform();
		if (!StringUtils.hasText(platform) && jdbcUrl != null) {
			DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(jdbcUrl);
			platform = (driver != DatabaseDriver.UNKNOWN) ? driver.getId() : null;
		}
		List<String> locations = StringUtils.hasText(platform) ? resolver.resolveAll(platform, properties.getSchema())
				: resolver.resolveAll(dataSource, properties.getSchema());
		settings.setSchemaLocations(locations);
		settings.setMode(properties.getInitializeSchema());
		return settings;
	}

}
