package com.cometchat.spring.client;

import org.springframework.context.ApplicationEvent;

/**
 * Published for every {@link ConnectionStateChange} of a {@link CometChatClient} that has an event publisher.
 *
 * @author CometChat
 */
public class CometChatConnectionStateChangedEvent extends ApplicationEvent {

	private final ConnectionStateChange change;

	public CometChatConnectionStateChangedEvent(CometChatClient source, ConnectionStateChange change) {
		super(source);
		this.change = change;
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
		return getClass().getSimpleName() + "[" + this.change + "]";
	}

}
