package com.cometchat.spring.client.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

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

	private final LongSupplier nanoTime;

	/** When the last turn ended, by {@link #nanoTime}. */
	private volatile long lastTurnEnded;

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
		this(delegate, afterTurn, System::nanoTime);
	}

	/**
	 * Create a serial executor that runs an action at the end of every turn, and reads the time from the given
	 * source for {@link #claimTurn(long)}.
	 * @param delegate the executor that runs the turns
	 * @param afterTurn run after the tasks of each turn, unless the executor was shut down; or {@code null}
	 * @param nanoTime the time in nanoseconds, as {@link System#nanoTime()}
	 */
	public SerialExecutor(Executor delegate, @Nullable Runnable afterTurn, LongSupplier nanoTime) {
		this.delegate = delegate;
		this.afterTurn = afterTurn;
		this.nanoTime = nanoTime;
		this.lastTurnEnded = nanoTime.getAsLong() - (1L << 62);
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
	 * Take the next turn for the calling thread, if no turn is running or handed to the delegate: tasks queued from
	 * now on wait for {@link #runClaimedTurn()}, which the caller must call (in a {@code finally} block). Lets a
	 * thread that may block queue work and then run it itself, without a hop to the delegate's threads.
	 * @return whether the turn was taken; if not, the turn that runs or is handed over takes the tasks
	 */
	public boolean claimTurn() {
		return claimTurn(0);
	}

	/**
	 * Take the next turn for the calling thread, as {@link #claimTurn()} does, but only if the last turn ended at
	 * least the given time ago: a thread that hands over work in a burst then leaves it to the delegate, whose turns
	 * take what was queued meanwhile together, instead of running one turn per task.
	 * @param idleNanos how long the executor must have been idle, in nanoseconds
	 * @return whether the turn was taken; if not, the turn that runs or is handed over takes the tasks, or the caller
	 * hands them over with {@link #execute} as usual
	 */
	public boolean claimTurn(long idleNanos) {
		if (this.shutDown || (idleNanos > 0 && this.nanoTime.getAsLong() - this.lastTurnEnded < idleNanos)) {
			return false;
		}
		return this.scheduled.compareAndSet(false, true);
	}

	/**
	 * Run the turn taken with {@link #claimTurn()} on the calling thread: the tasks queued so far (as a turn does, at
	 * most a batch; the rest go to the delegate), then the end-of-turn action.
	 */
	public void runClaimedTurn() {
		drain();
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
			this.lastTurnEnded = this.nanoTime.getAsLong();
		}
		this.scheduled.set(false);
		if (!this.tasks.isEmpty() && !this.shutDown) {
			schedule();
		}
	}

}
