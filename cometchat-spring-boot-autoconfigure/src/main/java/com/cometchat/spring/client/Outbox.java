package com.cometchat.spring.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

import com.cometchat.spring.client.transport.TransportConnection;
import org.jspecify.annotations.Nullable;

/**
 * Sends that are waiting for a connection or for their {@code RECEIPT}. Driven by the connection loop, except for
 * the fast lane: while the loop keeps the lane open (connected, nothing queued), a send is handed to the connection
 * from the caller's thread without a hop through the loop ({@link #offerNow}). Every method holds the outbox's
 * monitor, so a send on the lane is either recorded before the loop closes the lane (and then resent or failed like
 * any other) or finds it closed and takes the loop's way. Nothing is written to a socket under the monitor: the
 * caller of the lane writes its frame after leaving it.
 *
 * <p>A send made while connected is written at once. While not connected, sends wait in a queue bounded by the
 * capacity (capacity {@code 0}: no waiting, the send fails at once) and are written in order on the next
 * {@code CONNECTED}. A send that was written but not confirmed when the connection dropped, or whose write failed (the
 * connection is then aborted), is written again, first, on the next connection, with the same message id. Nothing
 * leaves the outbox without completing its future: confirmed, or failed with a reason. The futures complete on the
 * thread that settles them: the loop, a writer, or the thread that read the {@code RECEIPT}; they are internal, never
 * handed to user code.
 *
 * @author CometChat
 */
final class Outbox {

	private final int capacity;

	private final boolean receipts;

	private final Deque<Pending> queued = new ArrayDeque<>();

	private final Map<String, Pending> inFlight = new LinkedHashMap<>();

	/**
	 * Ephemeral sends handed to a writer and not written yet: a connection that drops takes them with it (its writer
	 * drops what waits), so they fail with the drop instead of waiting forever.
	 */
	private final Set<CompletableFuture<Void>> ephemeralWrites = new HashSet<>();

	/** Told the count of pending sends after every change, under the monitor (so in order), on any thread. */
	private final IntConsumer pendingChanged;

	private int lastPending;

	/** The connection a send may be written to from any thread, with its reporter; {@code null} when closed. */
	private @Nullable Lane lane;

	Outbox(int capacity, boolean receipts, IntConsumer pendingChanged) {
		this.capacity = capacity;
		this.receipts = receipts;
		this.pendingChanged = pendingChanged;
	}

	/**
	 * Write a message on the connection, or queue it for the next one.
	 * @param message the message
	 * @param connected the connection when connected, otherwise {@code null}
	 * @param reporter posts the outcome of the write back to the loop
	 * @return a future completing when the message is confirmed
	 */
	synchronized CompletableFuture<Void> offer(OutboundMessage message, @Nullable TransportConnection connected,
			Reporter reporter) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		Pending pending = new Pending(message, result);
		if (connected != null) {
			write(pending, connected, reporter);
		}
		else if (this.capacity == 0) {
			result.completeExceptionally(new CometChatException(ErrorCode.NOT_CONNECTED,
					"Not connected, and there is no send queue (send-queue-capacity is 0)"));
		}
		else if (this.queued.size() >= this.capacity) {
			result.completeExceptionally(new CometChatException(ErrorCode.QUEUE_FULL,
					"The send queue is full (" + this.capacity + " messages waiting for the connection)"));
		}
		else {
			this.queued.add(pending);
		}
		pendingChanged();
		return result;
	}

	/**
	 * Return the connection of the open lane.
	 * @return the connection, or {@code null} when the lane is closed
	 */
	synchronized @Nullable TransportConnection laneConnection() {
		Lane lane = this.lane;
		return (lane != null) ? lane.connection() : null;
	}

	/**
	 * Hand a message at once to the connection, from the caller's thread, if the lane is open to that connection and
	 * nothing waits before it.
	 * @param message the message
	 * @param connection the connection the caller found the lane open to ({@link #laneConnection()})
	 * @return a future completing when the message is confirmed, or {@code null} when the lane is closed or open to
	 * another connection: the send then takes the loop's way
	 */
	synchronized @Nullable CompletableFuture<Void> offerNow(OutboundMessage message, TransportConnection connection) {
		Lane lane = this.lane;
		if (lane == null || lane.connection() != connection || !this.queued.isEmpty()) {
			return null;
		}
		CompletableFuture<Void> result = new CompletableFuture<>();
		write(new Pending(message, result), lane.connection(), lane.reporter());
		pendingChanged();
		return result;
	}

	/**
	 * Open the lane to a connection whose queue was flushed (on the loop).
	 * @param connection the connection
	 * @param reporter posts the outcome of each write back to the loop
	 */
	synchronized void openLane(TransportConnection connection, Reporter reporter) {
		this.lane = new Lane(connection, reporter);
	}

	/**
	 * Close the lane (on the loop): from now on sends take the loop's way.
	 */
	synchronized void closeLane() {
		this.lane = null;
	}

	/**
	 * Write every queued message, in order, to the connection.
	 * @param connection the connection
	 * @param reporter posts the outcome of each write back to the loop
	 */
	synchronized void flush(TransportConnection connection, Reporter reporter) {
		Pending next;
		while ((next = this.queued.poll()) != null) {
			write(next, connection, reporter);
		}
		pendingChanged();
	}

	private void write(Pending pending, TransportConnection connection, Reporter reporter) {
		OutboundMessage message = pending.message();
		if (message.ephemeral()) {
			CompletableFuture<Void> written = connection.send(message.destination(), message.headers(),
					message.payload(), null);
			this.ephemeralWrites.add(pending.result());
			written.whenComplete((done, failure) -> {
				synchronized (this) {
					this.ephemeralWrites.remove(pending.result());
				}
				complete(pending.result(), failure);
			});
			return;
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

	/**
	 * Complete or fail a written message. Unknown ids (already requeued or failed) are ignored.
	 * @param id the message id
	 * @param failure the failure, or {@code null} when confirmed (or written, without receipts)
	 * @return whether the write itself failed: the connection must then be aborted, and the message is sent again
	 * on the next one
	 */
	synchronized boolean onResult(String id, @Nullable Throwable failure) {
		Pending pending = this.inFlight.get(id);
		if (pending == null) {
			return false;
		}
		Throwable cause = Failures.unwrap(failure);
		if (cause instanceof CometChatException ex && ex.getCode() == ErrorCode.RECEIPT_TIMEOUT) {
			this.inFlight.remove(id);
			pending.result().completeExceptionally(ex);
		}
		else if (cause == null) {
			this.inFlight.remove(id);
			pending.result().complete(null);
		}
		else {
			return true;
		}
		pendingChanged();
		return false;
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
	synchronized void connectionLost() {
		this.lane = null;
		failEphemeral(new CometChatException(ErrorCode.CONNECTION_LOST,
				"The connection dropped before the message was written; it is not sent again"));
		List<Pending> unconfirmed = new ArrayList<>(this.inFlight.values());
		this.inFlight.clear();
		for (int i = unconfirmed.size() - 1; i >= 0; i--) {
			this.queued.addFirst(unconfirmed.get(i));
		}
	}

	/**
	 * Fail every message with the given reason.
	 * @param reason the reason
	 */
	synchronized void failAll(CometChatException reason) {
		this.lane = null;
		failEphemeral(reason);
		List<Pending> all = new ArrayList<>(this.inFlight.values());
		all.addAll(this.queued);
		this.inFlight.clear();
		this.queued.clear();
		all.forEach((pending) -> pending.result().completeExceptionally(reason));
		pendingChanged();
	}

	private void failEphemeral(CometChatException reason) {
		List<CompletableFuture<Void>> unwritten = new ArrayList<>(this.ephemeralWrites);
		this.ephemeralWrites.clear();
		unwritten.forEach((result) -> result.completeExceptionally(reason));
	}

	/**
	 * Return whether a send completes on the broker's {@code RECEIPT}.
	 * @return whether receipts are on
	 */
	boolean receipts() {
		return this.receipts;
	}

	/**
	 * Return the number of sends that wait for a connection or for their receipt.
	 * @return the count
	 */
	synchronized int pendingCount() {
		return this.queued.size() + this.inFlight.size();
	}

	private void pendingChanged() {
		int pending = pendingCount();
		if (pending != this.lastPending) {
			this.lastPending = pending;
			this.pendingChanged.accept(pending);
		}
	}

	/**
	 * Takes the outcome of a write: settles a success in the outbox, posts a failure to the loop.
	 */
	@FunctionalInterface
	interface Reporter {

		void report(String id, @Nullable Throwable failure);

	}

	private record Pending(OutboundMessage message, CompletableFuture<Void> result) {
	}

	private record Lane(TransportConnection connection, Reporter reporter) {
	}

}
