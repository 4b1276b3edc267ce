package com.cometchat.spring.autoconfigure.session;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the session table's shipped scripts, which
 * {@link CometChatSessionDataSourceScriptDatabaseInitializer} reads from the class path: the schema of each platform
 * and the migration of the 0.1 table. The entity and the repository need nothing here: Spring's processing of the
 * persistence unit and of Spring Data repositories covers them.
 *
 * @author CometChat
 */
class CometChatSessionRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources()
			.registerPattern("com/cometchat/spring/session/schema-*.sql")
			.registerPattern("com/cometchat/spring/session/migrate-*.sql");
	}

}
