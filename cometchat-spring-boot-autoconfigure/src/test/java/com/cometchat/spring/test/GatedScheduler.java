package com.cometchat.spring.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * A {@link VirtualScheduler} as the threads of one simulated process see it: its tasks fall due in shared virtual
 * time, but run through a gate of that process (which may hold them back, as in a GC pause, or drop them, as after a
 * kill).
 */
public final class GatedScheduler implements TaskScheduler {

	private final VirtualScheduler time;

	private final Executor gate;

	/**
	 * Create a scheduler.
	 * @param time the shared virtual time
	 * @param gate runs each task that falls due
	 */
	public GatedScheduler(VirtualScheduler time, Executor gate) {
		this.time = time;
		this.gate = gate;
	}

	@Override
	public Clock getClock() {
		return this.time.getClock();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		return this.time.schedule(() -> this.gate.execute(task), startTime);
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

}
