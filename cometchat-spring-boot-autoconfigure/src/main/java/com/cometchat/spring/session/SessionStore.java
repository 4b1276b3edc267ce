package com.cometchat.spring.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where logged-in sessions are kept between runs: one per (app id, uid). The single
 * {@link com.cometchat.spring.client.CometChatClient} keeps its session as the app's <em>primary</em> session (at
 * most one per app id); the connection manager keeps one session per user. Calls may block (they are made off the
 * connection loop, one client's calls one at a time) and report failures by throwing.
 *
 * @author CometChat
 * @see JpaSessionStore
 * @see InMemorySessionStore
 */
public interface SessionStore {

	/**
	 * Load the primary session of an app: the one the single client logged in.
	 * @param appId the app id
	 * @return the session, or empty
	 */
	Optional<StoredSession> load(String appId);

	/**
	 * Load the session of one user.
	 * @param appId the app id
	 * @param uid the user's id
	 * @return the session, or empty
	 */
	Optional<StoredSession> load(String appId, String uid);

	/**
	 * Load every session of an app, the primary one included.
	 * @param appId the app id
	 * @return the sessions
	 */
	List<StoredSession> loadAll(String appId);

	/**
	 * Save a session, replacing the one of the same app id and uid; a primary session also ends the app's earlier
	 * primary session of another user, if any.
	 * @param session the session
	 */
	void save(StoredSession session);

	/**
	 * Delete the primary session of an app, if any.
	 * @param appId the app id
	 */
	void delete(String appId);

	/**
	 * Delete the session of one user, if any.
	 * @param appId the app id
	 * @param uid the user's id
	 */
	void delete(String appId, String uid);

	/**
	 * Record that a session's socket connected; a session that is not saved stays unsaved.
	 * @param appId the app id
	 * @param uid the user's id
	 * @param connectedAt when it connected
	 */
	default void markConnected(String appId, String uid, Instant connectedAt) {
		load(appId, uid).ifPresent((session) -> save(session.withLastConnectedAt(connectedAt)));
	}

}
