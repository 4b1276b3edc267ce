package com.cometchat.spring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * {@link Executor} that only queues: the test runs the tasks, all of them or one at a time, in the order it chooses
 * (also newest first, to play a pool whose threads finish in another order than they started).
 */
public final class ManualExecutor implements Executor {

	private final List<Runnable> tasks = new ArrayList<>();

	@Override
	public synchronized void execute(Runnable task) {
		this.tasks.add(task);
	}

	/**
	 * Return the number of queued tasks.
	 * @return the count
	 */
	public synchronized int queued() {
		return this.tasks.size();
	}

	/**
	 * Run queued tasks, oldest first, until none is left (also those queued meanwhile).
	 */
	public void runAll() {
		Runnable next;
		while ((next = take(0)) != null) {
			next.run();
		}
	}

	/**
	 * Run queued tasks, newest first, until none is left (also those queued meanwhile).
	 */
	public void runAllNewestFirst() {
		Runnable next;
		while ((next = take(-1)) != null) {
			next.run();
		}
	}

	private synchronized Runnable take(int index) {
		if (this.tasks.isEmpty()) {
			return null;
		}
		return this.tasks.remove((index < 0) ? this.tasks.size() - 1 : index);
	}

}
