package com.cometchat.spring.client.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * A WebSocket that writes the STOMP text frames handed to it between two {@link #flush() flushes} as one WebSocket
 * message, up to a limit in bytes. STOMP frames end with a NUL octet, and STOMP brokers read a WebSocket message as a
 * stream of frames (Spring's own broker, ActiveMQ Artemis and RabbitMQ do; Spring's client splits a large frame over
 * several messages for the same reason), so a burst of frames costs one write instead of one per frame.
 *
 * <p>The connection's writer flushes at the end of every turn, so a lone frame goes out as soon as it was handed over,
 * as before. A frame at or over the limit, a binary frame, a ping or a pong flushes what is held and is written on its
 * own, and so does a close. Not thread-safe: only the connection's writer uses it.
 *
 * @author CometChat
 */
final class CoalescingWebSocketSession extends WebSocketSessionDecorator {

	private final int limit;

	private final Function<Throwable, ? extends Throwable> writeFailure;

	/** The first frame held, written as it is when no other joins it (no copy for a lone frame). */
	private @Nullable TextMessage first;

	/**
	 * The frames held, once there are two or more; made per message, so that an idle connection keeps no buffer (a
	 * connection manager holds thousands).
	 */
	private @Nullable List<TextMessage> held;

	private int heldBytes;

	private int heldFrames;

	/** Completed when the frames held now were written, failed when writing them failed; made when needed. */
	private @Nullable List<CompletableFuture<Void>> awaitingWrite;

	/**
	 * Create a coalescing WebSocket.
	 * @param delegate the WebSocket
	 * @param limit the largest WebSocket message made of several frames, in bytes
	 * @param writeFailure what the futures waiting for a write that failed fail with, given why it failed
	 */
	CoalescingWebSocketSession(WebSocketSession delegate, int limit,
			Function<Throwable, ? extends Throwable> writeFailure) {
		super(delegate);
		Assert.isTrue(limit > 0, "'limit' must be positive");
		this.limit = limit;
		this.writeFailure = writeFailure;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		if (message instanceof TextMessage text) {
			int length = text.getPayloadLength();
			if (length < this.limit) {
				if (this.heldBytes + length > this.limit) {
					flush();
				}
				hold(text, length);
				return;
			}
		}
		flush();
		super.sendMessage(message);
	}

	private void hold(TextMessage text, int length) {
		if (this.heldFrames == 0) {
			this.first = text;
		}
		else {
			List<TextMessage> held = this.held;
			if (held == null) {
				TextMessage first = this.first;
				Assert.state(first != null, "No first frame");
				held = new ArrayList<>();
				held.add(first);
				this.held = held;
				this.first = null;
			}
			held.add(text);
		}
		this.heldBytes += length;
		this.heldFrames++;
	}

	/**
	 * Complete the future once every frame handed over so far was written: at once if none is held, otherwise at the
	 * next flush (exceptionally, if that fails).
	 * @param future the future
	 */
	void whenWritten(CompletableFuture<Void> future) {
		if (this.heldFrames == 0) {
			future.complete(null);
		}
		else {
			List<CompletableFuture<Void>> awaitingWrite = this.awaitingWrite;
			if (awaitingWrite == null) {
				awaitingWrite = new ArrayList<>();
				this.awaitingWrite = awaitingWrite;
			}
			awaitingWrite.add(future);
		}
	}

	/**
	 * Write the frames held, if any, as one WebSocket message.
	 * @throws IOException if the write failed; the frames held are dropped and their futures failed
	 */
	void flush() throws IOException {
		if (this.heldFrames == 0) {
			return;
		}
		TextMessage first = this.first;
		TextMessage message = (first != null) ? first : join(this.held, this.heldBytes);
		this.first = null;
		this.held = null;
		this.heldBytes = 0;
		this.heldFrames = 0;
		List<CompletableFuture<Void>> written = (this.awaitingWrite != null) ? this.awaitingWrite : List.of();
		this.awaitingWrite = null;
		try {
			super.sendMessage(message);
		}
		catch (IOException | RuntimeException ex) {
			if (!written.isEmpty()) {
				Throwable failure = this.writeFailure.apply(ex);
				written.forEach((future) -> future.completeExceptionally(failure));
			}
			throw ex;
		}
		written.forEach((future) -> future.complete(null));
	}

	/**
	 * One message of the frames' bytes (the encoder's, not copied until here): the least a text message made of
	 * several costs, as Spring decodes its bytes to the string the WebSocket library writes.
	 */
	private static TextMessage join(@Nullable List<TextMessage> frames, int length) {
		Assert.state(frames != null, "No frames held");
		byte[] joined = new byte[length];
		int at = 0;
		for (TextMessage frame : frames) {
			byte[] bytes = frame.asBytes();
			System.arraycopy(bytes, 0, joined, at, bytes.length);
			at += bytes.length;
		}
		return new TextMessage(joined);
	}

	@Override
	public void close() throws IOException {
		close(CloseStatus.NORMAL);
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		try {
			flush();
		}
		finally {
			super.close(status);
		}
	}

}
