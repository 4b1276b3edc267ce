package com.cometchat.spring.autoconfigure.session;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Configuration properties for the table of the JPA session store.
 *
 * @author CometChat
 */
@ConfigurationProperties("cometchat.session")
public class CometChatSessionJdbcProperties {

	private static final String DEFAULT_SCHEMA_LOCATION = "classpath:com/cometchat/spring/session/schema-@@platform@@.sql";

	/**
	 * Database schema initialization mode. The shipped scripts only create what is missing, so 'always' is safe on
	 * an existing database and covers file and server databases that Hibernate does not set up.
	 */
	private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.ALWAYS;

	/**
	 * Path to the SQL file to use to initialize the database schema.
	 */
	private String schema = DEFAULT_SCHEMA_LOCATION;

	/**
	 * Platform to use in initialization scripts if the @@platform@@ placeholder is used. Auto-detected by default.
	 */
	private @Nullable String platform;

	public DatabaseInitializationMode getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public String getSchema() {
		return this.schema;
	}

	public void setSchema(String schema) {
		this.schema = schema;
	}

	public @Nullable String getPlatform() {
		return this.platform;
	}

	public void setPlatform(@Nullable String platform) {
		this.platform = platform;
	}

}
