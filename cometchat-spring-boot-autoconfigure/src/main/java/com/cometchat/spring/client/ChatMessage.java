package com.cometchat.spring.client;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message received by the logged-in user, sent to them or to a group they joined.
 *
 * @param id the message id, the same for every copy of the message (listeners never see an id twice)
 * @param sender the uid of the sender
 * @param receiverType whether it was sent to a user or a group
 * @param receiver the uid or guid it was sent to
 * @param type {@code text} or {@code custom}
 * @param text the text of a text message
 * @param customType the application's type of a custom message
 * @param data the data of a custom message
 * @param sentAt when the sender sent it, by the sender's clock
 * @author CometChat
 */
public record ChatMessage(String id, String sender, ReceiverType receiverType, String receiver, String type,
		@Nullable String text, @Nullable String customType, Map<String, Object> data, Instant sentAt) {

	/**
	 * Return whether this is a text message.
	 * @return whether the type is {@code text}
	 */
	public boolean isText() {
		return OutgoingMessage.TEXT.equals(this.type);
	}

}
