package com.cometchat.spring.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.cometchat.spring.client.transport.TransportConnection;
import org.jspecify.annotations.Nullable;

/**
 * The subscriptions the session <em>wants</em>, by stable id. Applied once to every new connection, so they are
 * restored after each reconnect and never doubled. Confined to the connection loop.
 *
 * @author CometChat
 */
final class SubscriptionRegistry {

	private final Map<String, Wanted> wanted = new LinkedHashMap<>();

	/**
	 * Add a subscription; applied at once when connected. Adding an id again with the same destination does nothing.
	 */
	void add(String id, String destination, Map<String, String> headers, @Nullable TransportConnection connected) {
		Wanted subscription = new Wanted(destination, Map.copyOf(headers));
		Wanted previous = this.wanted.put(id, subscription);
		if (subscription.equals(previous) || connected == null) {
			return;
		}
		if (previous != null) {
			connected.unsubscribe(id, previous.headers());
		}
		connected.subscribe(id, destination, subscription.headers());
	}

	void remove(String id, @Nullable TransportConnection connected) {
		Wanted removed = this.wanted.remove(id);
		if (removed != null && connected != null) {
			connected.unsubscribe(id, removed.headers());
		}
	}

	void removeAll(@Nullable TransportConnection connected) {
		for (String id : Set.copyOf(this.wanted.keySet())) {
			remove(id, connected);
		}
	}

	void applyTo(TransportConnection connection) {
		this.wanted.forEach((id, subscription) -> connection.subscribe(id, subscription.destination(),
				subscription.headers()));
	}

	Map<String, String> destinations() {
		Map<String, String> destinations = new LinkedHashMap<>();
		this.wanted.forEach((id, subscription) -> destinations.put(id, subscription.destination()));
		return destinations;
	}

	private record Wanted(String destination, Map<String, String> headers) {
	}

}
