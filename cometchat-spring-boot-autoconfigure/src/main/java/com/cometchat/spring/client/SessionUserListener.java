package com.cometchat.spring.client;

/**
 * Hears of the presence changes every session of a {@link CometChatConnectionManager} is told of, with the uid of the
 * session. Called on the callback executor, in order per session.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface SessionUserListener {

	/**
	 * A session heard of a user going online or offline.
	 * @param uid the session's user
	 * @param presence the presence
	 */
	void onPresenceChange(String uid, UserPresence presence);

}
