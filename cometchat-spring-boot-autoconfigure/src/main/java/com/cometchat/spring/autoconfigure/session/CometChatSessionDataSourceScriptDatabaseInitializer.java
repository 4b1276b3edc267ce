package com.cometchat.spring.autoconfigure.session;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.util.StringUtils;

/**
 * {@link DataSourceScriptDatabaseInitializer} for the {@code cometchat_session} table.
 *
 * @author CometChat
 */
public class CometChatSessionDataSourceScriptDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

	public CometChatSessionDataSourceScriptDatabaseInitializer(DataSource dataSource,
			CometChatSessionJdbcProperties properties) {
		super(dataSource, getSettings(dataSource, properties));
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
