package com.cometchat.spring.client.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks one at a time, in submission order, on a shared {@link Executor}: a queue, not a thread. Thousands of
 * serial executors can share a small pool. With a direct executor ({@code Runnable::run}) tasks submitted while a
 * task runs are queued and run after it, never nested, which keeps tests deterministic.
 *
 * <p>The client runs each connection loop and each listener dispatcher on one, and the WebSocket transport writes
 * the frames of each connection through one.
 *
 * @author CometChat
 */
public final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	/** Tasks run per turn before yielding the shared thread to other serial executors. */
	private static final int BATCH = 64;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Executor delegate;

	private final @Nullable Runnable afterTurn;

	private volatile boolean shutDown;

	private volatile @Nullable Thread draining;

	/**
	 * Create a serial executor.
	 * @param delegate the executor that runs the turns
	 */
	public SerialExecutor(Executor delegate) {
		this(delegate, null);
	}

	/**
	 * Create a serial executor that runs an action at the end of every turn, on the turn's thread
	 * (the WebSocket transport writes the frames it held back then).
	 * @param delegate the executor that runs the turns
	 * @param afterTurn run after the tasks of each turn, unless the executor was shut down; or {@code null}
	 */
	public SerialExecutor(Executor delegate, @Nullable Runnable afterTurn) {
		this.delegate = delegate;
		this.afterTurn = afterTurn;
	}

	/**
	 * Queue a task; after {@link #shutDown()} it is dropped.
	 * @param task the task
	 */
	@Override
	public void execute(Runnable task) {
		if (this.shutDown) {
			return;
		}
		this.tasks.add(task);
		schedule();
	}

	/**
	 * Return whether the calling thread is running a task of this executor.
	 * @return whether this is the executor's thread right now
	 */
	public boolean inExecutor() {
		return this.draining == Thread.currentThread();
	}

	/**
	 * Drop the tasks that wait and every later one; a task that is running finishes.
	 */
	public void shutDown() {
		this.shutDown = true;
		this.tasks.clear();
	}

	private void schedule() {
		if (this.scheduled.compareAndSet(false, true)) {
			try {
				this.delegate.execute(this::drain);
			}
			catch (RuntimeException ex) {
				this.scheduled.set(false);
				throw ex;
			}
		}
	}

	private void drain() {
		this.draining = Thread.currentThread();
		try {
			for (int i = 0; i < BATCH && !this.shutDown; i++) {
				Runnable task = this.tasks.poll();
				if (task == null) {
					break;
				}
				try {
					task.run();
				}
				catch (Throwable ex) {
					logger.error("Task failed on serial executor", ex);
				}
			}
			if (this.afterTurn != null && !this.shutDown) {
				try {
					this.afterTurn.run();
				}
				catch (Throwable ex) {
					logger.error("End of turn failed on serial executor", ex);
				}
			}
		}
		finally {
			this.draining = null;
		}
		this.scheduled.set(false);
		if (!this.tasks.isEmpty() && !this.shutDown) {
			schedule();
		}
	}

}
