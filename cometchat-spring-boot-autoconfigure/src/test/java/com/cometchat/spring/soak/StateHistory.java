package com.cometchat.spring.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.cometchat.spring.client.ConnectionListener;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;

/**
 * The state changes of one client, each with the {@link System#nanoTime()} at which its connection listener got it
 * and its reason: enough to tell whether a fault made the client drop, why, and when it was back.
 */
final class StateHistory implements ConnectionListener {

	private final List<Entry> entries = new ArrayList<>();

	@Override
	public void onStateChange(ConnectionStateChange change) {
		long now = System.nanoTime();
		String reason = (change.reason() != null) ? change.reason().getCode() + " " + change.reason().getMessage()
				: null;
		synchronized (this.entries) {
			this.entries.add(new Entry(now, change.current(), reason));
		}
	}

	/**
	 * Whether the client left {@code CONNECTED} after the given instant.
	 * @param since the instant, by {@link System#nanoTime()}
	 * @return whether it dropped
	 */
	boolean droppedSince(long since) {
		return firstDropSince(since) != null;
	}

	/**
	 * Return when the client was back after its first drop since the given instant: the first state after the drop
	 * that is a state of being back.
	 * @param since the instant, by {@link System#nanoTime()}
	 * @param back the states of being back
	 * @return when, by {@link System#nanoTime()}, or {@code -1} if it did not drop or is not back
	 */
	long backSince(long since, Predicate<ConnectionState> back) {
		Entry drop = firstDropSince(since);
		if (drop == null) {
			return -1;
		}
		synchronized (this.entries) {
			for (Entry entry : this.entries) {
				if (entry.at() > drop.at() && back.test(entry.state())) {
					return entry.at();
				}
			}
		}
		return -1;
	}

	/**
	 * Return why the client first left {@code CONNECTED} after the given instant.
	 * @param since the instant, by {@link System#nanoTime()}
	 * @return the error code and message of the first drop, at most 160 characters, or {@code null}
	 */
	String dropReasonSince(long since) {
		Entry drop = firstDropSince(since);
		if (drop == null || drop.reason() == null) {
			return null;
		}
		return (drop.reason().length() > 160) ? drop.reason().substring(0, 160) + "..." : drop.reason();
	}

	/**
	 * Return how often the client left {@code CONNECTED}.
	 * @return the count
	 */
	int drops() {
		int drops = 0;
		synchronized (this.entries) {
			for (int i = 1; i < this.entries.size(); i++) {
				if (this.entries.get(i - 1).state() == ConnectionState.CONNECTED
						&& this.entries.get(i).state() != ConnectionState.CONNECTED) {
					drops++;
				}
			}
		}
		return drops;
	}

	/**
	 * Return how long the client has been {@code CONNECTED}.
	 * @param now the instant, by {@link System#nanoTime()}
	 * @return the nanoseconds since its last change to {@code CONNECTED}, or {@code -1} if it is not connected
	 */
	long connectedFor(long now) {
		synchronized (this.entries) {
			if (this.entries.isEmpty()) {
				return -1;
			}
			Entry last = this.entries.get(this.entries.size() - 1);
			return (last.state() == ConnectionState.CONNECTED) ? now - last.at() : -1;
		}
	}

	private Entry firstDropSince(long since) {
		synchronized (this.entries) {
			for (Entry entry : this.entries) {
				if (entry.at() >= since && entry.state() != ConnectionState.CONNECTED) {
					return entry;
				}
			}
		}
		return null;
	}

	private record Entry(long at, ConnectionState state, String reason) {
	}

}
