package com.cometchat.spring.benchmarks.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client under test that keeps a subscription and reconnects by itself; it records when it was connected (with
 * its subscription restored), when it reported the connection lost and when a message reached its subscription.
 *
 * @author CometChat
 */
public abstract class Probe implements AutoCloseable {

	private final String name;

	private final List<Instant> connected = new CopyOnWriteArrayList<>();

	private final List<Instant> lost = new CopyOnWriteArrayList<>();

	private final List<String> lostReasons = new CopyOnWriteArrayList<>();

	private final List<Instant> received = new CopyOnWriteArrayList<>();

	private volatile Consumer<Instant> onLost = (at) -> {
	};

	/** STOMP sessions opened (CONNECTED received), to see doubled sessions. */
	protected final AtomicInteger sessionsOpened = new AtomicInteger();

	protected Probe(String name) {
		this.name = name;
	}

	public String name() {
		return this.name;
	}

	/**
	 * Connect and subscribe; returns at once, see {@link #awaitConnectedAfter}.
	 */
	public abstract void start();

	/**
	 * Return the destination this client subscribes to.
	 * @return the STOMP destination
	 */
	public abstract String destination();

	/**
	 * Run an action (on the client's thread, so it must be quick) each time the client reports its connection lost.
	 * @param action called with the time of the report
	 */
	public void onLost(Consumer<Instant> action) {
		this.onLost = action;
	}

	protected void connected(Instant at) {
		this.sessionsOpened.incrementAndGet();
		this.connected.add(at);
	}

	protected void lost(Instant at) {
		lost(at, null);
	}

	protected void lost(Instant at, String reason) {
		this.lost.add(at);
		if (reason != null) {
			this.lostReasons.add(reason);
		}
		this.onLost.accept(at);
	}

	protected void received(Instant at) {
		this.received.add(at);
	}

	/**
	 * Return what the client said when it reported its connection lost, when it says anything.
	 * @return the reasons, oldest first
	 */
	public List<String> lostReasons() {
		return this.lostReasons;
	}

	public int sessionsOpened() {
		return this.sessionsOpened.get();
	}

	public Optional<Instant> firstConnectedAfter(Instant after) {
		return this.connected.stream().filter((at) -> at.isAfter(after)).findFirst();
	}

	public Optional<Instant> firstLostAfter(Instant after) {
		return this.lost.stream().filter((at) -> at.isAfter(after)).findFirst();
	}

	public Optional<Instant> firstReceivedAfter(Instant after) {
		return this.received.stream().filter((at) -> at.isAfter(after)).min(Comparator.naturalOrder());
	}

	public Optional<Instant> awaitConnectedAfter(Instant after, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Optional<Instant> at = firstConnectedAfter(after);
			if (at.isPresent()) {
				return at;
			}
			Thread.sleep(5);
		}
		return Optional.empty();
	}

	public abstract boolean isConnected();

	@Override
	public abstract void close();

}
