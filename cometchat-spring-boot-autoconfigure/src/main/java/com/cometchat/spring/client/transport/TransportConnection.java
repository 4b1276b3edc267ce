package com.cometchat.spring.client.transport;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A connection opened by a {@link Transport}. Frames are written in call order, one connection at a time, off the
 * caller's thread; no method blocks the caller, except {@link #writeOnCallingThread}, which a caller that may block
 * uses to write its frames itself.
 *
 * <p>A connection has one lifecycle: opening, open, closing, closed. {@link #close()} and {@link #abort()} may be
 * called in any phase, also before the socket exists: a socket that opens after either is closed at once, and nothing
 * is sent on it. Once closed, no socket of the connection exists and none will.
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
	 * failing with {@code ErrorCode.NOT_CONNECTED} when the frame could not be written (the connection is then
	 * reported lost as well) or with {@code ErrorCode.RECEIPT_TIMEOUT} when no receipt came
	 */
	CompletableFuture<Void> send(String destination, Map<String, String> headers, byte[] payload,
			@Nullable String receiptId);

	/**
	 * Do work that hands frames to this connection, then write them on the calling thread if the connection lets it
	 * (no other thread is writing its frames; {@link WebSocketStompTransport} also wants its writer idle for a moment,
	 * so that a burst is written together): they skip the hand-off to the writer's pool, and the caller blocks while
	 * the socket takes them, as a caller of Spring's {@code StompSession} does. Otherwise they are written as without
	 * this call. Order is kept either way. Only for a caller that may block: the client calls it for a send on the
	 * thread of the application's call and for an {@code ACK} on the thread that read the message, never on the loop.
	 * @param <T> the type of the work's result
	 * @param work the work, called once, on the calling thread
	 * @return what the work returned
	 */
	default <T> T writeOnCallingThread(Supplier<T> work) {
		return work.get();
	}

	/**
	 * Close the connection gracefully ({@code DISCONNECT} and the WebSocket close handshake) after the frames written
	 * before. The caller bounds the wait and calls {@link #abort()} when it is over.
	 * @return a future completing when the connection is closed
	 */
	CompletableFuture<Void> close();

	/**
	 * Close the connection at once, without {@code DISCONNECT} or a close handshake: the link is taken for dead (a
	 * silent peer, an error, a timeout). Frames not written yet are dropped; a write blocked on the socket fails.
	 * @return a future completing when the socket is gone
	 */
	CompletableFuture<Void> abort();

}
