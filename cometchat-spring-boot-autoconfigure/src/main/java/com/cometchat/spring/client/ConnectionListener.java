package com.cometchat.spring.client;

/**
 * Listener for the connection of a {@link CometChatClient}.
 *
 * <p>{@link #onStateChange(ConnectionStateChange)} receives every change. The default methods are CometChat's
 * callbacks and are invoked right after it: {@link #onConnecting()} for {@code CONNECTING} and {@code RECONNECTING},
 * {@link #onConnected()}, {@link #onDisconnected()} for {@code DISCONNECTED} and {@code FAILED}, and
 * {@link #onConnectionError(CometChatException)} whenever a change carries a failure. Listeners run in order on a
 * dispatcher of their own, so a slow listener delays other listeners but never the connection.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface ConnectionListener {

	/**
	 * Called for every change of state.
	 * @param change the change
	 */
	void onStateChange(ConnectionStateChange change);

	/**
	 * Called when the socket starts connecting or reconnecting.
	 */
	default void onConnecting() {
	}

	/**
	 * Called when the socket is connected.
	 */
	default void onConnected() {
	}

	/**
	 * Called when the socket is closed on purpose or has failed for good.
	 */
	default void onDisconnected() {
	}

	/**
	 * Called when a change of state carries a failure.
	 * @param error the failure
	 */
	default void onConnectionError(CometChatException error) {
	}

}
