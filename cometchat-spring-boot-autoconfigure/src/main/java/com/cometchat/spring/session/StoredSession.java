package com.cometchat.spring.session;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A saved login: who is logged in to which app, with the token to reconnect. {@link #toString()} never shows the
 * token.
 *
 * @param appId the app id, the key of the session
 * @param uid the logged-in user's id
 * @param region the app region
 * @param authToken the user's auth token
 * @param createdAt when the user logged in
 * @param lastConnectedAt when the socket was last connected, if ever
 * @author CometChat
 */
public record StoredSession(String appId, String uid, @Nullable String region, String authToken, Instant createdAt,
		@Nullable Instant lastConnectedAt) {

	public StoredSession {
		Assert.hasText(appId, "'appId' must not be empty");
		Assert.hasText(uid, "'uid' must not be empty");
		Assert.hasText(authToken, "'authToken' must not be empty");
		Assert.notNull(createdAt, "'createdAt' must not be null");
	}

	/**
	 * Return a copy with the given last-connected time.
	 * @param connectedAt when the socket connected
	 * @return the copy
	 */
	public StoredSession withLastConnectedAt(Instant connectedAt) {
		return new StoredSession(this.appId, this.uid, this.region, this.authToken, this.createdAt, connectedAt);
	}

	@Override
	public String toString() {
		return "StoredSession[appId=" + this.appId + ", uid=" + this.uid + ", region=" + this.region
				+ ", authToken=******, createdAt=" + this.createdAt + ", lastConnectedAt=" + this.lastConnectedAt + "]";
	}

}
