package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import com.cometchat.spring.client.transport.SerialExecutor;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * The session store calls of one client, made one at a time in the order they were asked for, on the store executor,
 * never on the loop nor beside the frames: a save asked for before a delete is done before it, so a delete is never overtaken by an earlier
 * save that would bring the row back, and two saves of the groups commit in the order they were made.
 *
 * <p>Each call's future completes on the connection loop with its result, or fails with
 * {@link ErrorCode#SESSION_STORE_ERROR}, so that what the loop does with the outcome is done before anything the loop
 * is asked to do later. {@link #close(Duration)} lets the calls already asked for finish within the bound and fails
 * what is left, with a reason.
 *
 * @author CometChat
 */
final class SessionWriter {

	private final SessionStore store;

	private final String appId;

	/** The user of a connection manager's session; {@code null} for the single client's (primary) session. */
	private final @Nullable String uid;

	private final SerialExecutor queue;

	private final Executor loop;

	private final TaskScheduler scheduler;

	private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	SessionWriter(SessionStore store, String appId, @Nullable String uid, Executor storeExecutor, Executor loop,
			TaskScheduler scheduler) {
		this.store = store;
		this.appId = appId;
		this.uid = uid;
		this.queue = new SerialExecutor(storeExecutor);
		this.loop = loop;
		this.scheduler = scheduler;
	}

	CompletableFuture<Optional<StoredSession>> load() {
		String uid = this.uid;
		return submit(() -> (uid != null) ? this.store.load(this.appId, uid) : this.store.load(this.appId),
				"Could not load the saved session of " + describe());
	}

	CompletableFuture<Void> save(StoredSession session) {
		StoredSession saved = session.withPrimary(this.uid == null);
		return submit(() -> {
			this.store.save(saved);
			return null;
		}, "Could not save the session of uid '" + session.uid() + "'");
	}

	CompletableFuture<Void> delete() {
		String uid = this.uid;
		return submit(() -> {
			if (uid != null) {
				this.store.delete(this.appId, uid);
			}
			else {
				this.store.delete(this.appId);
			}
			return null;
		}, "Could not delete the session of " + describe());
	}

	CompletableFuture<Void> markConnected(String uid, Instant connectedAt) {
		return submit(() -> {
			this.store.markConnected(this.appId, uid, connectedAt);
			return null;
		}, "Could not record the connect time of the session of uid '" + uid + "'");
	}

	private String describe() {
		return (this.uid != null) ? "uid '" + this.uid + "' of app '" + this.appId + "'" : "app '" + this.appId + "'";
	}

	private <T> CompletableFuture<T> submit(Supplier<T> call, String failure) {
		CompletableFuture<T> result = new CompletableFuture<>();
		if (this.closed) {
			result.completeExceptionally(closedError(failure));
			return result;
		}
		this.pending.add(result);
		result.whenComplete((done, ex) -> this.pending.remove(result));
		this.queue.execute(() -> {
			if (result.isDone()) {
				return;
			}
			try {
				T value = call.get();
				onLoop(result, () -> result.complete(value), failure);
			}
			catch (RuntimeException ex) {
				CometChatException error = new CometChatException(ErrorCode.SESSION_STORE_ERROR,
						failure + ": " + ex.getMessage(), ex);
				onLoop(result, () -> result.completeExceptionally(error), failure);
			}
		});
		return result;
	}

	/**
	 * Hand an outcome to the loop, unless {@link #close(Duration)} failed the call meanwhile; a loop that is gone
	 * (the resources were closed after the shutdown timeout) fails the call here instead.
	 */
	private void onLoop(CompletableFuture<?> result, Runnable outcome, String failure) {
		if (result.isDone()) {
			return;
		}
		try {
			this.loop.execute(outcome);
		}
		catch (RejectedExecutionException ex) {
			result.completeExceptionally(closedError(failure));
		}
	}

	/**
	 * Return a future that completes once every call asked for so far has finished, one way or the other.
	 * @return the future
	 */
	CompletableFuture<Void> idle() {
		return CompletableFuture.allOf(this.pending.toArray(CompletableFuture[]::new)).handle((done, failure) -> null);
	}

	/**
	 * Take no more calls; let those asked for finish within the timeout (on the client's clock), then fail the rest.
	 * @param timeout how long to wait for them
	 * @return a future completing when every call finished or failed
	 */
	CompletableFuture<Void> close(Duration timeout) {
		this.closed = true;
		CompletableFuture<Void> drained = CompletableFuture.allOf(this.pending.toArray(CompletableFuture[]::new));
		if (drained.isDone()) {
			this.queue.shutDown();
			// A call that failed was reported to its caller; the close itself did not fail
			return drained.handle((done, failure) -> null);
		}
		var giveUp = this.scheduler.schedule(() -> {
			this.queue.shutDown();
			CometChatException error = new CometChatException(ErrorCode.SESSION_STORE_ERROR,
					"A session store call did not finish within " + timeout.toMillis() + "ms of closing the client");
			this.loop.execute(() -> Set.copyOf(this.pending).forEach((call) -> call.completeExceptionally(error)));
		}, this.scheduler.getClock().instant().plus(timeout));
		return drained.handle((done, failure) -> {
			giveUp.cancel(false);
			this.queue.shutDown();
			return null;
		});
	}

	private static CometChatException closedError(String what) {
		return new CometChatException(ErrorCode.SESSION_STORE_ERROR, what + ": the client is closed");
	}

}
