package com.cometchat.spring.autoconfigure.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.util.StringUtils;

/**
 * {@link DataSourceScriptDatabaseInitializer} for the {@code cometchat_session} table. After the schema script, a table
 * made by the 0.1 script (one row per app id, without {@code primary_session}) is migrated to one row per app id and
 * uid by the shipped {@code migrate-0.1-<platform>.sql}: its row becomes the app's primary session.
 *
 * @author CometChat
 */
public class CometChatSessionDataSourceScriptDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

	private static final Log logger = LogFactory.getLog(CometChatSessionDataSourceScriptDatabaseInitializer.class);

	private static final String MIGRATION_LOCATION = "classpath:com/cometchat/spring/session/migrate-0.1-@@platform@@.sql";

	private static final String TABLE = "cometchat_session";

	private static final String PRIMARY_COLUMN = "primary_session";

	private final DatabaseInitializationMode mode;

	private ResourceLoader resourceLoader = new DefaultResourceLoader();

	private final List<String> migrationLocations;

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
		this.mode = properties.getInitializeSchema();
		this.migrationLocations = locations(dataSource, properties, jdbcUrl, MIGRATION_LOCATION);
	}

	/**
	 * Create the table if it is missing, then migrate a table of the 0.1 layout.
	 */
	@Override
	public boolean initializeDatabase() {
		boolean initialized = super.initializeDatabase();
		return migrate() || initialized;
	}

	private boolean migrate() {
		if (this.mode == DatabaseInitializationMode.NEVER
				|| (this.mode == DatabaseInitializationMode.EMBEDDED && !isEmbeddedDatabase())) {
			return false;
		}
		try (Connection connection = getDataSource().getConnection()) {
			if (!hasColumn(connection, TABLE, "app_id") || hasColumn(connection, TABLE, PRIMARY_COLUMN)) {
				return false;
			}
			ResourceDatabasePopulator populator = new ResourceDatabasePopulator();
			this.migrationLocations.stream()
				.map(this.resourceLoader::getResource)
				.filter(Resource::exists)
				.forEach(populator::addScript);
			logger.info("Migrating the cometchat_session table of 0.1 (one row per app id) to one row per app id and "
					+ "uid; the saved session becomes the primary one");
			populator.populate(connection);
			return true;
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Could not migrate the cometchat_session table", ex);
		}
	}

	/**
	 * Whether the table has the column, asked with a query that reads no row: unquoted names match in any case, and
	 * on H2 it costs a fraction of the eight metadata look-ups it replaces (part of figure 6's start-up cut).
	 */
	private static boolean hasColumn(Connection connection, String table, String column) {
		try (Statement statement = connection.createStatement()) {
			statement.executeQuery("SELECT " + column + " FROM " + table + " WHERE 1 = 0").close();
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		super.setResourceLoader(resourceLoader);
		this.resourceLoader = resourceLoader;
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
		settings.setSchemaLocations(locations(dataSource, properties, jdbcUrl, properties.getSchema()));
		settings.setMode(properties.getInitializeSchema());
		return settings;
	}

	/**
	 * Resolve {@code @@platform@@} from the configured platform, else the JDBC URL (without connecting), else the
	 * database (connecting).
	 */
	private static List<String> locations(DataSource dataSource, CometChatSessionJdbcProperties properties,
			@Nullable String jdbcUrl, String location) {
		PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver();
		String platform = properties.getPlatform();
		if (!StringUtils.hasText(platform) && jdbcUrl != null) {
			DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(jdbcUrl);
			platform = (driver != DatabaseDriver.UNKNOWN) ? driver.getId() : null;
		}
		return StringUtils.hasText(platform) ? resolver.resolveAll(platform, location)
				: resolver.resolveAll(dataSource, location);
	}

}
