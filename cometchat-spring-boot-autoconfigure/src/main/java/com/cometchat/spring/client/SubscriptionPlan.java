package com.cometchat.spring.client;

import java.util.Map;
import java.util.Set;

/**
 * Which subscriptions a logged-in user wants: their inbox, each joined group's topic and, unless presence is off,
 * the presence topic. Ids are stable across connections and restarts ({@code cometchat-{appId}-{uid}-user},
 * {@code -group-{guid}}, {@code -presence}): RabbitMQ names durable subscription queues after them. Confined to the
 * connection loop, like the {@link ConnectionManager} whose registry it fills.
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
		this.manager.subscribe(id(uid, "group-" + guid), this.destinations.group(this.appId, guid), groupHeaders());
	}

	void leave(String uid, String guid) {
		this.manager.unsubscribe(id(uid, "group-" + guid));
	}

	void clear() {
		this.manager.unsubscribeAll();
	}

	private String id(String uid, String name) {
		return "cometchat-" + this.appId + "-" + uid + "-" + name;
	}

	private Map<String, String> groupHeaders() {
		return this.durableGroups ? Map.of("durable", "true", "auto-delete", "false") : Map.of();
	}

}
