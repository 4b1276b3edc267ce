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
 * @param senderVerified whether the broker vouched that {@code sender} is who sent it (see
 * {@link CometChatClientBuilder#senderVerification}); {@code false} when it did not, or when nobody asked it to
 * @author CometChat
 */
public record ChatMessage(String id, String sender, ReceiverType receiverType, String receiver, String type,
		@Nullable String text, @Nullable String customType, Map<String, Object> data, Instant sentAt,
		boolean senderVerified) {

	/**
	 * Create a message whose sender nobody vouched for.
	 * @param id the message id
	 * @param sender the uid of the sender
	 * @param receiverType whether it was sent to a user or a group
	 * @param receiver the uid or guid it was sent to
	 * @param type {@code text} or {@code custom}
	 * @param text the text of a text message
	 * @param customType the application's type of a custom message
	 * @param data the data of a custom message
	 * @param sentAt when the sender sent it, by the sender's clock
	 */
	public ChatMessage(String id, String sender, ReceiverType receiverType, String receiver, String type,
			@Nullable String text, @Nullable String customType, Map<String, Object> data, Instant sentAt) {
		this(id, sender, receiverType, receiver, type, text, customType, data, sentAt, false);
	}

	/**
	 * Return this message with its sender vouched for by the broker.
	 * @return the message
	 */
	ChatMessage withSenderVerified() {
		return new ChatMessage(this.id, this.sender, this.receiverType, this.receiver, this.type, this.text,
				this.customType, this.data, this.sentAt, true);
	}

	/**
	 * Return whether this is a text message.
	 * @return whether the type is {@code text}
	 */
	public boolean isText() {
		return OutgoingMessage.TEXT.equals(this.type);
	}

	/**
	 * Return the data of a custom message as an object of the application, such as a record, converted on each call
	 * with the {@code JsonMapper} of the client that received it: under Spring Boot the application's
	 * {@code JsonMapper} bean, so that its modules, naming strategy and settings apply (set with
	 * {@link CometChatClientBuilder#jsonMapper}); otherwise, and for a message made by hand, a default one. The
	 * counterpart of {@link OutgoingMessage#custom(ReceiverType, String, String, Object)}.
	 * @param <T> the type
	 * @param type the type to read the data as
	 * @return the data as that type
	 * @throws CometChatException with {@link ErrorCode#INVALID_MESSAGE} when the data cannot be read as that type (the
	 * message names the type)
	 */
	public <T> T data(Class<T> type) {
		return PayloadConverter.of(this.data).read(this.data, type, "message '" + this.id + "'");
	}

}
