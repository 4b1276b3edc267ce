package com.cometchat.spring.client;

import com.cometchat.spring.client.CometChatLoginEvent.Type;
import org.jspecify.annotations.Nullable;

/**
 * What a connection manager hears of each of its sessions, with the uid: one instance for all of them, so that a
 * session costs the manager no listener registrations. Called on the session's listener queue, before the session's
 * own listeners.
 *
 * @author CometChat
 */
interface SessionHooks {

	/**
	 * A change of state of the connection of {@code uid}.
	 * @param uid the uid of the credentials the connection was opened with
	 * @param change the change
	 */
	void stateChanged(String uid, ConnectionStateChange change);

	/**
	 * A message for the session's user.
	 * @param uid the user
	 * @param message the message
	 */
	void messageReceived(String uid, ChatMessage message);

	/**
	 * A presence the session's user was told of.
	 * @param uid the user
	 * @param presence the presence
	 */
	void presenceChanged(String uid, UserPresence presence);

	/**
	 * Anything the session's listeners hear, as its record, after the typed hook of its kind (if any).
	 * @param client the session's client
	 * @param uid the user
	 * @param event the event, one of those {@link CometChatEventListener} hears
	 */
	void eventReceived(CometChatClient client, String uid, Object event);

	/**
	 * A login or logout outcome.
	 * @param type the outcome
	 * @param uid the uid it is for
	 * @param error the error of a failure
	 */
	void loginOutcome(Type type, @Nullable String uid, @Nullable CometChatException error);

}
