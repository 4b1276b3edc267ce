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
 * @param payload an object of the application to send as the data of a custom message, converted when the message is
 * sent (then {@code data} is empty); {@code null} for none
 * @author CometChat
 */
public record OutgoingMessage(ReceiverType receiverType, String receiver, String type, @Nullable String text,
		@Nullable String customType, Map<String, Object> data, @Nullable Object payload) {

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
		Assert.isTrue(payload == null || data.isEmpty(), "A message has either 'data' or a 'payload', not both");
		data = Map.copyOf(data);
	}

	/**
	 * Create a message without a payload object.
	 * @param receiverType whether the receiver is a user or a group
	 * @param receiver the uid or guid of the receiver
	 * @param type {@code text} or {@code custom}
	 * @param text the text of a text message
	 * @param customType the application's type of a custom message
	 * @param data the data of a custom message (JSON-compatible values)
	 */
	public OutgoingMessage(ReceiverType receiverType, String receiver, String type, @Nullable String text,
			@Nullable String customType, Map<String, Object> data) {
		this(receiverType, receiver, type, text, customType, data, null);
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

	/**
	 * Create a custom message whose data is an object of the application, such as a record. The client converts it
	 * to a JSON object when the message is sent, with its {@code JsonMapper}: under Spring Boot the application's
	 * {@code JsonMapper} bean, so that its modules, naming strategy and settings apply. A payload that is not an
	 * object in JSON (a string, a number, a list) fails the send with {@link ErrorCode#INVALID_ARGUMENT}. Receivers
	 * read it back with {@link ChatMessage#data(Class)}.
	 * @param receiverType user or group
	 * @param receiver the uid or guid
	 * @param customType the application's type, such as {@code location}
	 * @param payload the object
	 * @return the message
	 */
	public static OutgoingMessage custom(ReceiverType receiverType, String receiver, String customType,
			Object payload) {
		Assert.notNull(payload, "'payload' must not be null");
		return new OutgoingMessage(receiverType, receiver, CUSTOM, null, customType, Map.of(), payload);
	}

	/**
	 * Return this message with its payload converted to data.
	 * @param converter the client's converter
	 * @return the message to send
	 */
	OutgoingMessage withPayloadConverted(PayloadConverter converter) {
		return (this.payload != null) ? new OutgoingMessage(this.receiverType, this.receiver, this.type, this.text,
				this.customType, converter.write(this.payload), null) : this;
	}

}
