package com.cometchat.spring.client;

/**
 * State of the realtime connection of a {@link CometChatClient}.
 *
 * <p>Every change is reported once, as a {@link ConnectionStateChange}; the same state is never reported twice in a
 * row.
 *
 * @author CometChat
 */
public enum ConnectionState {

	/**
	 * Never connected in this run: manual mode, or no session yet.
	 */
	INITIALIZED("disconnected"),

	/**
	 * WebSocket and STOMP {@code CONNECT} in flight, bounded by the connect timeout.
	 */
	CONNECTING("connecting"),

	/**
	 * STOMP {@code CONNECTED} received.
	 */
	CONNECTED("connected"),

	/**
	 * Lost after being wanted; a retry is scheduled.
	 */
	RECONNECTING("connecting"),

	/**
	 * Closed on purpose ({@code disconnect()}, {@code logout()}, application stop); no retries.
	 */
	DISCONNECTED("disconnected"),

	/**
	 * Will not retry by itself: credentials rejected, retries exhausted or fatal configuration.
	 */
	FAILED("disconnected");

	private final String status;

	ConnectionState(String status) {
		this.status = status;
	}

	/**
	 * Return this state in CometChat's words: {@code connecting}, {@code connected} or {@code disconnected}.
	 * @return the CometChat connection status
	 */
	public String status() {
		return this.status;
	}

}
