package com.cometchat.spring.client.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * Sends that are waiting for a connection or for their {@code RECEIPT}. Confined to the connection loop.
 *
 * <p>While not connected, sends wait in a bounded queue and are written in order on the next {@code CONNECTED}. A
 * send that was written but not yet confirmed when the connection dropped is written again, first, on the next
 * connection, with the same message id. Nothing leaves the outbox without completing its future: confirmed, or
 * failed with a reason.
 *
 * @author CometChat
 */
final class Outbox {

	private final int capacity;

	private final boolean receipts;

	private final Deque<Pending> queued = new ArrayDeque<>();

	private final Map<String, Pending> inFlight = new LinkedHashMap<>();

	/** Sends whose future is not complete yet; read from any thread. */
	private final AtomicInteger pending = new AtomicInteger();

	private final IntConsumer pendingChanged;

	Outbox(int capacity, boolean receipts, IntConsumer pendingChanged) {
		this.capacity = capacity;
		this.receipts = receipts;
		this.pendingChanged = pendingChanged;
	}

	/**
	 * Queue a message, to be written by {@link #flush}.
	 * @return a future completing when the message is confirmed
	 */
	CompletableFuture<Void> offer(OutboundMessage message) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		if (this.queued.size() >= this.capacity) {
			result.completeExceptionally(new CometChatException(ErrorCode.QUEUE_FULL,
					"The send queue is full (" + this.capacity + " messages waiting for the connection)"));
			return result;
		}
		this.queued.add(new Pending(message, result));
		this.pendingChanged.accept(this.pending.incrementAndGet());
		result.whenComplete((done, failure) -> this.pendingChanged.accept(this.pending.decrementAndGet()));
		return result;
	}

	/**
	 * Write every queued message, in order, to the connection.
	 * @param connection the connection
	 * @param reporter posts the outcome of each write back to the loop, stamped with the connection's epoch
	 */
	void flush(TransportConnection connection, Reporter reporter) {
		Pending next;
		while ((next = this.queued.poll()) != null) {
			Pending pending = next;
			OutboundMessage message = pending.message();
			if (message.ephemeral()) {
				connection.send(message.destination(), message.headers(), message.payload(), null)
					.whenComplete((done, failure) -> complete(pending.result(), failure));
				continue;
			}
			this.inFlight.put(message.id(), pending);
			connection
				.send(message.destination(), message.headers(), message.payload(), this.receipts ? message.id() : null)
				.whenComplete((done, failure) -> {
					if (failure == null && !this.receipts) {
						// Without receipts, written is done: complete now rather than after a hop to the loop
						pending.result().complete(null);
					}
					reporter.report(message.id(), failure);
				});
		}
	}

	/**
	 * Complete or fail a written message. Unknown ids (already requeued or failed) are ignored.
	 */
	void onResult(String id, @Nullable Throwable failure) {
		Pending pending = this.inFlight.get(id);
		if (pending == null) {
			return;
		}
		Throwable cause = Failures.unwrap(failure);
		if (cause == null) {
			this.inFlight.remove(id);
			pending.result().complete(null);
		}
		else if (cause instanceof CometChatException ex && ex.getCode() == ErrorCode.RECEIPT_TIMEOUT) {
			this.inFlight.remove(id);
			pending.result().completeExceptionally(ex);
		}
		// A write failure means the connection is going: the drop requeues the message
	}

	private static void complete(CompletableFuture<Void> result, @Nullable Throwable failure) {
		if (failure != null) {
			result.completeExceptionally(failure);
		}
		else {
			result.complete(null);
		}
	}

	/**
	 * The connection dropped: unconfirmed messages go back to the front of the queue, in order.
	 */
	void connectionLost() {
		List<Pending> unconfirmed = new ArrayList<>(this.inFlight.values());
		this.inFlight.clear();
		for (int i = unconfirmed.size() - 1; i >= 0; i--) {
			this.queued.addFirst(unconfirmed.get(i));
		}
	}

	/**
	 * Fail every message with the given reason.
	 */
	void failAll(CometChatException reason) {
		List<Pending> all = new ArrayList<>(this.inFlight.values());
		all.addAll(this.queued);
		this.inFlight.clear();
		this.queued.clear();
		all.forEach((pending) -> pending.result().completeExceptionally(reason));
	}

	int pendingCount() {
		return this.pending.get();
	}

	/**
	 * Posts the outcome of a write back to the loop.
	 */
	@FunctionalInterface
	interface Reporter {

		void report(String id, @Nullable Throwable failure);

	}

	private record Pending(OutboundMessage message, CompletableFuture<Void> result) {
	}

}
