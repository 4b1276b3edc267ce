package com.cometchat.spring.client;

/**
 * Listener for messages to the logged-in user and to the groups they joined. Each message id reaches a listener
 * once, also when the broker delivers it twice after a resend.
 *
 * <p>{@link #onMessageReceived(ChatMessage)} receives every message; the default methods, CometChat's callbacks, are
 * invoked right after it by type.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface MessageListener {

	/**
	 * Called for every message.
	 * @param message the message
	 */
	void onMessageReceived(ChatMessage message);

	/**
	 * Called for a text message.
	 * @param message the message
	 */
	default void onTextMessageReceived(ChatMessage message) {
	}

	/**
	 * Called for a custom message.
	 * @param message the message
	 */
	default void onCustomMessageReceived(ChatMessage message) {
	}

}
