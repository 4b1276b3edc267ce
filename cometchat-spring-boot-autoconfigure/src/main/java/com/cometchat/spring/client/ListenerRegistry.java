package com.cometchat.spring.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * Listeners by id, in the order they were first added; adding an id again replaces its listener in place. Reads are
 * lock-free snapshots.
 *
 * @param <L> the listener type
 * @author CometChat
 */
final class ListenerRegistry<L> {

	private volatile Map<String, L> listeners = Map.of();

	synchronized void add(String id, L listener) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.notNull(listener, "'listener' must not be null");
		Map<String, L> copy = new LinkedHashMap<>(this.listeners);
		copy.put(id, listener);
		this.listeners = copy;
	}

	synchronized void remove(String id) {
		if (this.listeners.containsKey(id)) {
			Map<String, L> copy = new LinkedHashMap<>(this.listeners);
			copy.remove(id);
			this.listeners = copy.isEmpty() ? Map.of() : copy;
		}
	}

	boolean isEmpty() {
		return this.listeners.isEmpty();
	}

	Collection<L> snapshot() {
		return this.listeners.values();
	}

}
