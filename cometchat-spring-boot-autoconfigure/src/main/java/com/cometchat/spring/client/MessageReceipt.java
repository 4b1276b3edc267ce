package com.cometchat.spring.client;

import java.time.Instant;

/**
 * A receiver of a message says it was delivered to them, or that they read it. For a group message every member
 * that marks it sends their own receipt.
 *
 * @param messageId the id of the message
 * @param sender the uid of who marked it (the receiver of the message)
 * @param receiverType whether the message was sent to a user or a group
 * @param receiver the uid or guid the message was sent to
 * @param type delivered or read
 * @param at when it was marked, by the marking user's clock
 * @author CometChat
 */
public record MessageReceipt(String messageId, String sender, ReceiverType receiverType, String receiver, Type type,
		Instant at) {

	/**
	 * What a receipt says.
	 */
	public enum Type {

		/**
		 * The message reached the user's client.
		 */
		DELIVERED,

		/**
		 * The user read the message.
		 */
		READ

	}

}
