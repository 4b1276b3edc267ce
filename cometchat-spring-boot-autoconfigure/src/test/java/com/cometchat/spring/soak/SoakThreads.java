package com.cometchat.spring.soak;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's own threads: daemon threads named {@code soak-…-<n>}, and how they end.
 */
final class SoakThreads {

	private static final long STOP_TIMEOUT_SECONDS = 10;

	private SoakThreads() {
	}

	/**
	 * Return a factory of daemon threads named {@code <name>-1}, {@code <name>-2}, ...
	 * @param name the name of the threads, such as {@code soak-a-sender}
	 * @return the factory
	 */
	static ThreadFactory named(String name) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Let the executors finish what they are doing, run nothing more, and wait for their threads to end.
	 * @param executors the executors
	 */
	static void finish(ExecutorService... executors) {
		for (ExecutorService executor : executors) {
			executor.shutdown();
		}
		awaitTermination(executors);
	}

	/**
	 * Interrupt what the executors are doing, run nothing more, and wait for their threads to end.
	 * @param executors the executors
	 */
	static void stop(ExecutorService... executors) {
		for (ExecutorService executor : executors) {
			executor.shutdownNow();
		}
		awaitTermination(executors);
	}

	private static void awaitTermination(ExecutorService... executors) {
		try {
			for (ExecutorService executor : executors) {
				executor.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
