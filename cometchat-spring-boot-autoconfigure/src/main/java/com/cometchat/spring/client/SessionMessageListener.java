package com.cometchat.spring.client;

/**
 * Hears of the messages every session of a {@link CometChatConnectionManager} receives (its user's inbox and groups),
 * with the uid of the session that received it. Called on the callback executor, in order per session.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface SessionMessageListener {

	/**
	 * A session received a message.
	 * @param uid the receiving session's user
	 * @param message the message
	 */
	void onMessageReceived(String uid, ChatMessage message);

}
