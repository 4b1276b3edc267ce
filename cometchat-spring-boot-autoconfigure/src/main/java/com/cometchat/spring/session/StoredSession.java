package com.cometchat.spring.session;

import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A saved login: who is logged in to which app, with the token to reconnect. One per (app id, uid); the one that the
 * single {@link com.cometchat.spring.client.CometChatClient} logged in is its <em>primary</em> session (at most one per
 * app id), the others belong to the connection manager. {@link #toString()} never shows the token.
 *
 * @param appId the app id
 * @param uid the logged-in user's id; with the app id, the key of the session
 * @param region the app region
 * @param authToken the user's auth token
 * @param createdAt when the user logged in
 * @param lastConnectedAt when the socket was last connected, if ever
 * @param groups the guids of the groups the user joined
 * @param primary whether this is the single client's session
 * @author CometChat
 */
public record StoredSession(String appId, String uid, @Nullable String region, String authToken, Instant createdAt,
		@Nullable Instant lastConnectedAt, Set<String> groups, boolean primary) {

	public StoredSession {
		Assert.hasText(appId, "'appId' must not be empty");
		Assert.hasText(uid, "'uid' must not be empty");
		Assert.hasText(authToken, "'authToken' must not be empty");
		Assert.notNull(createdAt, "'createdAt' must not be null");
		groups = Collections.unmodifiableSet(new TreeSet<>(groups));
	}

	/**
	 * A primary session: the one the single client logged in.
	 * @param appId the app id
	 * @param uid the user's id
	 * @param region the app region
	 * @param authToken the user's auth token
	 * @param createdAt when the user logged in
	 * @param lastConnectedAt when the socket was last connected, if ever
	 * @param groups the guids of the groups the user joined
	 */
	public StoredSession(String appId, String uid, @Nullable String region, String authToken, Instant createdAt,
			@Nullable Instant lastConnectedAt, Set<String> groups) {
		this(appId, uid, region, authToken, createdAt, lastConnectedAt, groups, true);
	}

	/**
	 * A primary session without groups.
	 * @param appId the app id
	 * @param uid the user's id
	 * @param region the app region
	 * @param authToken the user's auth token
	 * @param createdAt when the user logged in
	 * @param lastConnectedAt when the socket was last connected, if ever
	 */
	public StoredSession(String appId, String uid, @Nullable String region, String authToken, Instant createdAt,
			@Nullable Instant lastConnectedAt) {
		this(appId, uid, region, authToken, createdAt, lastConnectedAt, Set.of());
	}

	/**
	 * Return a copy with the given groups.
	 * @param groups the guids of the joined groups
	 * @return the copy
	 */
	public StoredSession withGroups(Set<String> groups) {
		return new StoredSession(this.appId, this.uid, this.region, this.authToken, this.createdAt,
				this.lastConnectedAt, groups, this.primary);
	}

	/**
	 * Return a copy with another auth token (a fresh one from a token provider).
	 * @param authToken the token
	 * @return the copy
	 */
	public StoredSession withAuthToken(String authToken) {
		return new StoredSession(this.appId, this.uid, this.region, authToken, this.createdAt, this.lastConnectedAt,
				this.groups, this.primary);
	}

	/**
	 * Return a copy with the given last-connected time.
	 * @param connectedAt when the socket connected
	 * @return the copy
	 */
	public StoredSession withLastConnectedAt(Instant connectedAt) {
		return new StoredSession(this.appId, this.uid, this.region, this.authToken, this.createdAt, connectedAt,
				this.groups, this.primary);
	}

	/**
	 * Return a copy that is, or is not, the single client's session.
	 * @param primary whether it is
	 * @return the copy
	 */
	public StoredSession withPrimary(boolean primary) {
		return new StoredSession(this.appId, this.uid, this.region, this.authToken, this.createdAt,
				this.lastConnectedAt, this.groups, primary);
	}

	@Override
	public String toString() {
		return "StoredSession[appId=" + this.appId + ", uid=" + this.uid + ", region=" + this.region
				+ ", authToken=******, createdAt=" + this.createdAt + ", lastConnectedAt=" + this.lastConnectedAt
				+ ", groups=" + this.groups + ", primary=" + this.primary + "]";
	}

}
