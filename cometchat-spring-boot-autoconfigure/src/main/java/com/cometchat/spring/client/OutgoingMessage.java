package com.cometchat.spring.client;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A message to send with {@link CometChatClient#sendMessage(OutgoingMessage)}: a text message or a custom message
 * with structured data.
 *
 * @param receiverType whether the receiver is a user or a group
 * @param receiver the uid or guid of the receiver
 * @param type {@code text} or {@code custom}
 * @param text the text of a text message
 * @param customType the application's type of a custom message
 * @param data the data of a custom message (JSON-compatible values)
 * @author CometChat
 */
public record OutgoingMessage(ReceiverType receiverType, String receiver, String type, @Nullable String text,
		@Nullable String customType, Map<String, Object> data) {

	/**
	 * Type of text messages.
	 */
	public static final String TEXT = "text";

	/**
	 * Type of custom messages.
	 */
	public static final String CUSTOM = "custom";

	public OutgoingMessage {
		Assert.notNull(receiverType, "'receiverType' must not be null");
		data = Map.copyOf(data);
	}

	/**
	 * Create a text message.
	 * @param receiverType user or group
	 * @param receiver the uid or guid
	 * @param text the text
	 * @return the message
	 */
	public static OutgoingMessage text(ReceiverType receiverType, String receiver, String text) {
		return new OutgoingMessage(receiverType, receiver, TEXT, text, null, Map.of());
	}

	/**
	 * Create a custom message.
	 * @param receiverType user or group
	 * @param receiver the uid or guid
	 * @param customType the application's type, such as {@code location}
	 * @param data the data
	 * @return the message
	 */
	public static OutgoingMessage custom(ReceiverType receiverType, String receiver, String customType,
			Map<String, Object> data) {
		return new OutgoingMessage(receiverType, receiver, CUSTOM, null, customType, data);
	}

}
