package com.cometchat.spring.client.transport;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a {@link Transport} needs to log a user in on the broker. {@link #toString()} never shows the token.
 *
 * @param uid the user's id, sent as STOMP {@code login}
 * @param authToken the auth token, sent as STOMP {@code passcode}
 * @param clientId the STOMP {@code client-id} to connect with, or {@code null} for none: ActiveMQ Artemis names a
 * durable subscription after it and the subscription's {@code durable-subscription-name}
 * @author CometChat
 */
public record Credentials(String uid, String authToken, @Nullable String clientId) {

	public Credentials {
		Assert.hasText(uid, "'uid' must not be empty");
		Assert.hasText(authToken, "'authToken' must not be empty");
		Assert.isTrue(clientId == null || !clientId.isBlank(), "'clientId' must not be blank");
	}

	/**
	 * Credentials without a client-id.
	 * @param uid the user's id, sent as STOMP {@code login}
	 * @param authToken the auth token, sent as STOMP {@code passcode}
	 */
	public Credentials(String uid, String authToken) {
		this(uid, authToken, null);
	}

	/**
	 * Return these credentials with the given client-id.
	 * @param clientId the STOMP {@code client-id}
	 * @return the credentials
	 */
	public Credentials withClientId(String clientId) {
		return new Credentials(this.uid, this.authToken, clientId);
	}

	@Override
	public String toString() {
		return "Credentials[uid=" + this.uid + ", authToken=******"
				+ ((this.clientId != null) ? ", clientId=" + this.clientId : "") + "]";
	}

}
