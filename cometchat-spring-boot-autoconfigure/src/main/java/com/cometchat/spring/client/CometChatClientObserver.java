package com.cometchat.spring.client;

import java.time.Duration;

/**
 * Observes a client for metrics. Called synchronously on the client's threads (the connection loop, the writer
 * that completed a send, the thread that read a {@code RECEIPT}, the listener dispatcher) and, for a send written
 * straight from the caller's thread, on that thread: implementations must be quick and must not block (counting and
 * timing are fine). {@link #stateChanged} is called on the loop only, in order; {@link #pendingSendsChanged} one call
 * at a time, in order.
 *
 * @author CometChat
 * @see CometChatClientBuilder#addObserver(CometChatClientObserver)
 */
public interface CometChatClientObserver {

	/**
	 * The connection changed state.
	 * @param change the change
	 */
	default void stateChanged(ConnectionStateChange change) {
	}

	/**
	 * A message was confirmed by the broker (or written, without receipts).
	 * @param sendToConfirmation the time from {@code sendMessage()} to the confirmation
	 */
	default void messageSent(Duration sendToConfirmation) {
	}

	/**
	 * A send failed.
	 * @param reason why
	 */
	default void messageFailed(ErrorCode reason) {
	}

	/**
	 * A message reached the listeners.
	 */
	default void messageReceived() {
	}

	/**
	 * A second copy of a message was dropped.
	 */
	default void duplicateDropped() {
	}

	/**
	 * A body of a kind or protocol version this client does not know, or an edit by anybody else than the sender,
	 * was taken and ignored.
	 */
	default void eventIgnored() {
	}

	/**
	 * The number of sends waiting for a connection or their receipt changed.
	 * @param pending the number now
	 */
	default void pendingSendsChanged(int pending) {
	}

}
