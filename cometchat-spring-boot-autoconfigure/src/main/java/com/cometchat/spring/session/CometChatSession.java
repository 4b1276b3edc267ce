package com.cometchat.spring.session;

import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * A saved login, as a JPA entity (table {@code cometchat_session}, one row per app id and uid; the single client's is
 * marked {@code primary_session}). {@link #toString()} never shows the token.
 *
 * @author CometChat
 */
@Entity
@Table(name = "cometchat_session")
@IdClass(CometChatSession.Key.class)
public class CometChatSession {

	@Id
	@Column(name = "app_id", length = 128, nullable = false)
	private String appId;

	@Id
	@Column(name = "uid", length = 128, nullable = false)
	private String uid;

	@Column(name = "primary_session", nullable = false)
	private boolean primarySession;

	@Column(name = "region", length = 32)
	private @Nullable String region;

	@Column(name = "auth_token", length = 4096, nullable = false)
	private String authToken;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "last_connected_at")
	private @Nullable Instant lastConnectedAt;

	/** Joined groups, comma-separated. */
	@Column(name = "group_ids", length = 4096)
	private @Nullable String groupIds;

	protected CometChatSession() {
		this.appId = "";
		this.uid = "";
		this.authToken = "";
		this.createdAt = Instant.EPOCH;
	}

	public CometChatSession(String appId, String uid, @Nullable String region, String authToken, Instant createdAt,
			@Nullable Instant lastConnectedAt, Set<String> groups, boolean primarySession) {
		this.appId = appId;
		this.uid = uid;
		this.primarySession = primarySession;
		this.region = region;
		this.authToken = authToken;
		this.createdAt = createdAt;
		this.lastConnectedAt = lastConnectedAt;
		this.groupIds = groups.isEmpty() ? null : String.join(",", groups);
	}

	public String getAppId() {
		return this.appId;
	}

	public String getUid() {
		return this.uid;
	}

	/**
	 * Return whether this is the single client's session.
	 * @return whether it is the app's primary session
	 */
	public boolean isPrimarySession() {
		return this.primarySession;
	}

	public @Nullable String getRegion() {
		return this.region;
	}

	public String getAuthToken() {
		return this.authToken;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public @Nullable Instant getLastConnectedAt() {
		return this.lastConnectedAt;
	}

	public void setLastConnectedAt(@Nullable Instant lastConnectedAt) {
		this.lastConnectedAt = lastConnectedAt;
	}

	/**
	 * Return the guids of the groups the user joined.
	 * @return the guids
	 */
	public Set<String> getGroups() {
		return StringUtils.hasText(this.groupIds) ? new TreeSet<>(Arrays.asList(this.groupIds.split(",")))
				: Set.of();
	}

	@Override
	public String toString() {
		return "CometChatSession[appId=" + this.appId + ", uid=" + this.uid + ", primary=" + this.primarySession
				+ ", region=" + this.region + ", authToken=******, createdAt=" + this.createdAt + ", lastConnectedAt="
				+ this.lastConnectedAt + "]";
	}

	/**
	 * The key of a session: app id and uid.
	 *
	 * @param appId the app id
	 * @param uid the user's id
	 */
	public record Key(String appId, String uid) implements Serializable {

		/**
		 * For JPA.
		 */
		public Key() {
			this("", "");
		}

	}

}
