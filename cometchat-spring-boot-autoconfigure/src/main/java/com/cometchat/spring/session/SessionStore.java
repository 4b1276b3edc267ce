package com.cometchat.spring.session;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a {@link com.cometchat.spring.client.CometChatClient} keeps its logged-in session between runs, one per app
 * id. Calls may block (they are made off the connection loop) and report failures by throwing.
 *
 * @author CometChat
 * @see JpaSessionStore
 * @see InMemorySessionStore
 */
public interface SessionStore {

	/**
	 * Load the session of an app.
	 * @param appId the app id
	 * @return the session, or empty
	 */
	Optional<StoredSession> load(String appId);

	/**
	 * Save a session, replacing any earlier one of the same app.
	 * @param session the session
	 */
	void save(StoredSession session);

	/**
	 * Delete the session of an app, if any.
	 * @param appId the app id
	 */
	void delete(String appId);

	/**
	 * Record that the session's socket connected.
	 * @param appId the app id
	 * @param connectedAt when it connected
	 */
	default void markConnected(String appId, Instant connectedAt) {
		load(appId).ifPresent((session) -> save(session.withLastConnectedAt(connectedAt)));
	}

}
