package com.cometchat.spring.client.connection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared {@link Executor}: a queue, not a thread. Thousands of
 * serial executors can share a small pool. With a direct executor ({@code Runnable::run}) tasks submitted while a
 * task runs are queued and run after it, never nested, which keeps tests deterministic.
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

	public SerialExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		schedule();
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
		for (int i = 0; i < BATCH; i++) {
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
		this.scheduled.set(false);
		if (!this.tasks.isEmpty()) {
			schedule();
		}
	}

}
