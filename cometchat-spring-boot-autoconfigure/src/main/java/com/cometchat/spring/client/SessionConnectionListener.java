package com.cometchat.spring.client;

/**
 * Hears of the connection of every session of a {@link CometChatConnectionManager}, with the uid it is for. Called
 * on the callback executor, in order per session.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface SessionConnectionListener {

	/**
	 * A session's connection changed state.
	 * @param uid the session's user
	 * @param change the change
	 */
	void onStateChange(String uid, ConnectionStateChange change);

}
