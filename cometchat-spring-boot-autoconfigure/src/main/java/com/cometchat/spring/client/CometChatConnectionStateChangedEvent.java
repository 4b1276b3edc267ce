package com.cometchat.spring.client;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published for every {@link ConnectionStateChange} of a {@link CometChatClient} that has an event publisher.
 *
 * @author CometChat
 */
public class CometChatConnectionStateChangedEvent extends ApplicationEvent {

	private final @Nullable String uid;

	private final ConnectionStateChange change;

	/**
	 * Create an event.
	 * @param source the client
	 * @param change the change
	 */
	public CometChatConnectionStateChangedEvent(CometChatClient source, ConnectionStateChange change) {
		this(source, null, change);
	}

	/**
	 * Create an event.
	 * @param source the client
	 * @param uid the user whose connection it is, or {@code null} when nobody is logged in
	 * @param change the change
	 */
	public CometChatConnectionStateChangedEvent(CometChatClient source, @Nullable String uid,
			ConnectionStateChange change) {
		super(source);
		this.uid = uid;
		this.change = change;
	}

	/**
	 * Return the user whose connection changed (with a connection manager, which of its sessions).
	 * @return the uid, or {@code null} when nobody was logged in
	 */
	public @Nullable String getUid() {
		return this.uid;
	}

	/**
	 * Return the change of state.
	 * @return the change
	 */
	public ConnectionStateChange getChange() {
		return this.change;
	}

	@Override
	public CometChatClient getSource() {
		return (CometChatClient) super.getSource();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[uid=" + this.uid + ", " + this.change + "]";
	}

}
