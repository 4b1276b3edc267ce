package com.cometchat.spring.client;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

/**
 * Published, when a client is built with {@link CometChatClientBuilder#publishMessageEvents(boolean)} (property
 * {@code cometchat.publish-message-events}), for every message and every event about messages, users and groups that
 * its listeners hear: a {@link ChatMessage}, {@link UserPresence}, {@link TypingIndicator}, {@link MessageReceipt},
 * {@link MessageEdit}, {@link MessageReaction}, {@link TransientMessage} or {@link GroupMemberEvent}. The payload
 * type is the event's generic type, so that {@code @EventListener void on(CometChatMessageEvent<ChatMessage> event)}
 * hears messages only.
 *
 * <p>Published on the client's callback executor, in order, after its listeners.
 *
 * @param <T> the type of the payload
 * @author CometChat
 */
public class CometChatMessageEvent<T> extends ApplicationEvent implements ResolvableTypeProvider {

	private final @Nullable String uid;

	private final T payload;

	/**
	 * Create an event.
	 * @param source the client that received it
	 * @param uid the user who received it (with a connection manager, which of its sessions), or {@code null} when
	 * not known
	 * @param payload what was received
	 */
	public CometChatMessageEvent(CometChatClient source, @Nullable String uid, T payload) {
		super(source);
		this.uid = uid;
		this.payload = payload;
	}

	/**
	 * Return the user who received it.
	 * @return the uid, or {@code null} when not known
	 */
	public @Nullable String getUid() {
		return this.uid;
	}

	/**
	 * Return what was received.
	 * @return the message or event
	 */
	public T getPayload() {
		return this.payload;
	}

	@Override
	public CometChatClient getSource() {
		return (CometChatClient) super.getSource();
	}

	@Override
	public ResolvableType getResolvableType() {
		return ResolvableType.forClassWithGenerics(getClass(), ResolvableType.forInstance(this.payload));
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[uid=" + this.uid + ", " + this.payload + "]";
	}

}
