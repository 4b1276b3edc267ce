package com.cometchat.spring.autoconfigure.session;

import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
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
		super(dataSource, getSettings(dataSource, properties));
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
		catch (DataAccessResourceFailureException ex) {
			this.pending = true;
			logger.warn("The database is unavailable, the cometchat_session table is not checked yet: "
					+ ex.getMostSpecificCause().getMessage());
		}
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
			CometChatSessionJdbcProperties properties) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver();
		String platform = properties.getPlatform();
		List<String> locations = StringUtils.hasText(platform) ? resolver.resolveAll(platform, properties.getSchema())
				: resolver.resolveAll(dataSource, properties.getSchema());
		settings.setSchemaLocations(locations);
		settings.setMode(properties.getInitializeSchema());
		return settings;
	}

}
