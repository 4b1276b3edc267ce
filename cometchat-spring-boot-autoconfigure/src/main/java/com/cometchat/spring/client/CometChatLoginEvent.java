package com.cometchat.spring.client;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published for every login and logout outcome of a {@link CometChatClient} that has an event publisher, alongside
 * the {@link LoginListener} callbacks.
 *
 * @author CometChat
 */
public class CometChatLoginEvent extends ApplicationEvent {

	private final Type type;

	private final @Nullable String uid;

	private final @Nullable CometChatException error;

	public CometChatLoginEvent(CometChatClient source, Type type, @Nullable String uid,
			@Nullable CometChatException error) {
		super(source);
		this.type = type;
		this.uid = uid;
		this.error = error;
	}

	/**
	 * Return what happened.
	 * @return the type of event
	 */
	public Type getType() {
		return this.type;
	}

	/**
	 * Return the uid of the user concerned, if known.
	 * @return the uid or {@code null}
	 */
	public @Nullable String getUid() {
		return this.uid;
	}

	/**
	 * Return the failure for {@link Type#LOGIN_FAILURE} and {@link Type#LOGOUT_FAILURE}.
	 * @return the failure or {@code null}
	 */
	public @Nullable CometChatException getError() {
		return this.error;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.type + " uid=" + this.uid
				+ ((this.error != null) ? " error=" + this.error.getCode() : "") + "]";
	}

	/**
	 * Login and logout outcomes.
	 */
	public enum Type {

		/**
		 * A login succeeded.
		 */
		LOGIN_SUCCESS,

		/**
		 * A login failed.
		 */
		LOGIN_FAILURE,

		/**
		 * A logout succeeded.
		 */
		LOGOUT_SUCCESS,

		/**
		 * A logout failed.
		 */
		LOGOUT_FAILURE

	}

}
