package com.cometchat.spring.client.transport;

import org.springframework.util.Assert;

/**
 * What a {@link Transport} needs to log a user in on the broker. {@link #toString()} never shows the token.
 *
 * @param uid the user's id, sent as STOMP {@code login}
 * @param authToken the auth token, sent as STOMP {@code passcode}
 * @author CometChat
 */
public record Credentials(String uid, String authToken) {

	public Credentials {
		Assert.hasText(uid, "'uid' must not be empty");
		Assert.hasText(authToken, "'authToken' must not be empty");
	}

	@Override
	public String toString() {
		return "Credentials[uid=" + this.uid + ", authToken=******]";
	}

}
