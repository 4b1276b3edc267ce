package com.cometchat.spring.autoconfigure.cluster;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the shipped scripts of the lease tables, which
 * {@link CometChatClusterAutoConfiguration} reads from the class path.
 *
 * @author CometChat
 */
class CometChatClusterRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("com/cometchat/spring/cluster/schema-*.sql");
	}

}
