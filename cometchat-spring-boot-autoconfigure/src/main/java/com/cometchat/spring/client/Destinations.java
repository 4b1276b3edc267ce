package com.cometchat.spring.client;

import org.springframework.util.Assert;

/**
 * STOMP destination templates, because brokers name destinations differently. Placeholders: {@code {appId}},
 * {@code {uid}}, {@code {guid}}. The defaults work on Spring's simple broker, ActiveMQ Artemis
 * ({@code anycastPrefix=/queue/;multicastPrefix=/topic/}) and RabbitMQ, where {@code /queue/name} is a durable queue
 * that keeps a user's messages while they are offline and {@code /topic/key} goes through {@code amq.topic}.
 *
 * @param user the inbox of a user
 * @param group the topic of a group
 * @param presence the presence topic of the app
 * @author CometChat
 */
public record Destinations(String user, String group, String presence) {

	/**
	 * Default templates.
	 */
	public static final Destinations DEFAULT = new Destinations("/queue/cometchat.{appId}.user.{uid}",
			"/topic/cometchat.{appId}.group.{guid}", "/topic/cometchat.{appId}.presence");

	public Destinations {
		Assert.isTrue(user.contains("{uid}"), "The user destination must contain {uid}");
		Assert.isTrue(group.contains("{guid}"), "The group destination must contain {guid}");
	}

	String user(String appId, String uid) {
		return this.user.replace("{appId}", appId).replace("{uid}", uid);
	}

	String group(String appId, String guid) {
		return this.group.replace("{appId}", appId).replace("{guid}", guid);
	}

	String presence(String appId) {
		return this.presence.replace("{appId}", appId);
	}

}
