package com.cometchat.spring.client.connection;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A connection opened by a {@link Transport}. Frames are written in call order; no method blocks the caller.
 *
 * @author CometChat
 */
public interface TransportConnection {

	/**
	 * Subscribe to a destination; its messages go to {@link TransportListener#onMessage}.
	 * @param subscriptionId the subscription id, unique on this connection and stable across connections
	 * @param destination the destination
	 * @param headers extra {@code SUBSCRIBE} headers
	 */
	void subscribe(String subscriptionId, String destination, Map<String, String> headers);

	/**
	 * Cancel a subscription made on this connection.
	 * @param subscriptionId the subscription id
	 * @param headers extra {@code UNSUBSCRIBE} headers
	 */
	void unsubscribe(String subscriptionId, Map<String, String> headers);

	/**
	 * Send a message.
	 * @param destination the destination
	 * @param headers extra {@code SEND} headers
	 * @param payload the body
	 * @param receiptId the id of the receipt to ask for, or {@code null} for none
	 * @return a future completing when the broker sent the receipt (or, without one, when the frame was written);
	 * failing when the frame could not be written or, with {@code ErrorCode.RECEIPT_TIMEOUT}, when no receipt came
	 */
	CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
			@org.jspecify.annotations.Nullable String receiptId);

	/**
	 * Close the connection (gracefully when it is established) after the frames written before.
	 * @return a future completing when the connection is closed
	 */
	CompletableFuture<Void> close();

}
