package com.cometchat.spring.client;

/**
 * Listener for messages to the logged-in user and to the groups they joined. Each message id reaches a listener
 * once, also when the broker delivers it twice after a resend.
 *
 * <p>{@link #onMessageReceived(ChatMessage)} receives every message; {@link #onTextMessageReceived} and
 * {@link #onCustomMessageReceived}, CometChat's callbacks, are invoked right after it by type. The other default
 * methods are CometChat's callbacks for what happens to messages: typing, receipts, edits, deletions, reactions and
 * transient messages (their guarantees are in {@code docs/protocol.md}).
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

	/**
	 * Called when a user starts typing to the logged-in user or in one of their groups.
	 * @param indicator who types where
	 */
	default void onTypingStarted(TypingIndicator indicator) {
	}

	/**
	 * Called when a user stops typing, or {@link CometChatClient#TYPING_TIMEOUT} after their last start when they did
	 * not say so.
	 * @param indicator who typed where
	 */
	default void onTypingEnded(TypingIndicator indicator) {
	}

	/**
	 * Called when a receiver of a message the logged-in user sent marks it delivered.
	 * @param receipt the receipt
	 */
	default void onMessagesDelivered(MessageReceipt receipt) {
	}

	/**
	 * Called when a receiver of a message the logged-in user sent marks it read.
	 * @param receipt the receipt
	 */
	default void onMessagesRead(MessageReceipt receipt) {
	}

	/**
	 * Called when the sender of a message edited it.
	 * @param edit the new text
	 */
	default void onMessageEdited(MessageEdit edit) {
	}

	/**
	 * Called when the sender of a message deleted it.
	 * @param deletion the deletion ({@link MessageEdit#isDeletion()})
	 */
	default void onMessageDeleted(MessageEdit deletion) {
	}

	/**
	 * Called for a transient message.
	 * @param message the message
	 */
	default void onTransientMessageReceived(TransientMessage message) {
	}

	/**
	 * Called when a user added a reaction to a message.
	 * @param reaction the reaction
	 */
	default void onMessageReactionAdded(MessageReaction reaction) {
	}

	/**
	 * Called when a user removed their reaction from a message.
	 * @param reaction the reaction
	 */
	default void onMessageReactionRemoved(MessageReaction reaction) {
	}

}
