package com.cometchat.spring.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * {@link TaskScheduler} in virtual time: nothing runs until {@link #advance(Duration)} moves the clock, and then due
 * tasks run in time order on the calling thread. Only one-shot {@link #schedule(Runnable, Instant)} is supported.
 * Thread-safe: other threads may schedule while the test advances the clock.
 */
public final class VirtualScheduler implements TaskScheduler {

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparing((Task task) -> task.due).thenComparingLong((task) -> task.sequence));

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private long sequence;

	@Override
	public Clock getClock() {
		return new Clock() {

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return now();
			}

		};
	}

	public synchronized Instant now() {
		return this.now;
	}

	/**
	 * Move the clock forward, running every task that falls due on the way, in order.
	 * @param duration how far to move
	 */
	public synchronized void advance(Duration duration) {
		Instant target = this.now.plus(duration);
		while (true) {
			Task next = this.tasks.peek();
			if (next == null || next.due.isAfter(target)) {
				break;
			}
			this.tasks.poll();
			this.now = next.due;
			if (!next.cancelled) {
				next.done = true;
				next.runnable.run();
			}
		}
		this.now = target;
	}

	/**
	 * Return the number of tasks that are scheduled and not cancelled.
	 * @return the number of pending tasks
	 */
	public synchronized long pendingTasks() {
		return this.tasks.stream().filter((task) -> !task.cancelled).count();
	}

	@Override
	public synchronized ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		Task scheduled = new Task(task, startTime.isBefore(this.now) ? this.now : startTime, this.sequence++);
		this.tasks.add(scheduled);
		return scheduled;
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		throw new UnsupportedOperationException();
	}

	private final class Task implements ScheduledFuture<Object> {

		private final Runnable runnable;

		private final Instant due;

		private final long sequence;

		private volatile boolean cancelled;

		private volatile boolean done;

		Task(Runnable runnable, Instant due, long sequence) {
			this.runnable = runnable;
			this.due = due;
			this.sequence = sequence;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(Duration.between(VirtualScheduler.this.now, this.due));
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			if (this.done) {
				return false;
			}
			this.cancelled = true;
			return true;
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean isDone() {
			return this.done || this.cancelled;
		}

		@Override
		public Object get() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Object get(long timeout, TimeUnit unit) {
			throw new UnsupportedOperationException();
		}

	}

}
