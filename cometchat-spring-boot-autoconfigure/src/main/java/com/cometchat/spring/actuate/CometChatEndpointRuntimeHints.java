package com.cometchat.spring.actuate;

import com.cometchat.spring.actuate.CometChatEndpoint.ReplicasDescriptor;
import com.cometchat.spring.actuate.CometChatEndpoint.SessionsPage;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the {@link CometChatEndpoint}: what its read operation on a part returns as
 * {@code Object} ({@code sessions}, {@code replicas}), which Spring Boot's hints for operations cannot see; the other
 * operations' return types it covers itself.
 *
 * @author CometChat
 */
class CometChatEndpointRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingRegistrar.registerReflectionHints(hints.reflection(), SessionsPage.class,
				ReplicasDescriptor.class);
	}

}
