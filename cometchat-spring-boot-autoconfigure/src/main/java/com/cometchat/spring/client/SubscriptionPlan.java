package com.cometchat.spring.client;

import java.util.Map;
import java.util.Set;

import com.cometchat.spring.client.transport.Credentials;

/**
 * Which subscriptions a logged-in user wants: their inbox, each joined group's topic and, unless presence is off,
 * the presence topic. Ids are stable across connections and restarts ({@code cometchat-{appId}-{uid}-user},
 * {@code -group-{guid}}, {@code -presence}). Confined to the connection loop, like the {@link ConnectionManager}
 * whose registry it fills.
 *
 * <p>Durable group subscriptions are asked for in the words of both brokers that keep them, each ignoring the
 * other's headers: RabbitMQ's ({@code durable:true}, {@code auto-delete:false}; the queue is named after the
 * destination and the subscription id) and ActiveMQ Artemis's ({@code durable-subscription-name:group-{guid}}, with
 * the connection's {@code client-id} {@code cometchat-{appId}-{uid}}; the queue is
 * {@code {client-id}.group-{guid}}). Both names are the same for every connection of the user, from any replica, so
 * that a reconnect finds the messages kept for it. Leaving the group (and logging out) unsubscribes with the same
 * headers, which deletes the kept subscription on both brokers; done while the socket is down, that reaches no broker.
 *
 * @author CometChat
 */
final class SubscriptionPlan {

	private final String appId;

	private final Destinations destinations;

	private final boolean durableGroups;

	private final boolean presence;

	private final ConnectionManager manager;

	SubscriptionPlan(String appId, Destinations destinations, boolean durableGroups,
			PresenceSubscription presenceSubscription, ConnectionManager manager) {
		this.appId = appId;
		this.destinations = destinations;
		this.durableGroups = durableGroups;
		this.presence = presenceSubscription != PresenceSubscription.NONE;
		this.manager = manager;
	}

	/**
	 * Want exactly the subscriptions of this user and these groups.
	 */
	void want(String uid, Set<String> groups) {
		this.manager.unsubscribeAll();
		this.manager.subscribe(id(uid, "user"), this.destinations.user(this.appId, uid), Map.of());
		groups.forEach((guid) -> join(uid, guid));
		if (this.presence) {
			this.manager.subscribe(id(uid, "presence"), this.destinations.presence(this.appId), Map.of());
		}
	}

	void join(String uid, String guid) {
		this.manager.subscribe(id(uid, "group-" + guid), this.destinations.group(this.appId, guid),
				groupHeaders(guid));
	}

	void leave(String uid, String guid) {
		this.manager.unsubscribe(id(uid, "group-" + guid));
	}

	void clear() {
		this.manager.unsubscribeAll();
	}

	/**
	 * The credentials to connect with: with durable groups, they carry the user's client-id.
	 */
	Credentials identify(Credentials credentials) {
		return this.durableGroups ? credentials.withClientId(clientId(credentials.uid())) : credentials;
	}

	private String clientId(String uid) {
		return "cometchat-" + this.appId + "-" + uid;
	}

	private String id(String uid, String name) {
		return clientId(uid) + "-" + name;
	}

	private Map<String, String> groupHeaders(String guid) {
		return this.durableGroups ? Map.of("durable", "true", "auto-delete", "false", "durable-subscription-name",
				"group-" + guid) : Map.of();
	}

}
