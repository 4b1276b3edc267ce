package com.cometchat.spring.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;

import org.springframework.stereotype.Component;

/**
 * The last changes of the bot's connection, for the page's timeline: a {@link ConnectionStateChange} listener that
 * keeps the most recent {@value #CAPACITY} changes and counts the reconnect attempts since the application started.
 *
 * @author CometChat
 */
@Component
class BotConnectionTimeline {

	static final int CAPACITY = 50;

	private static final String LISTENER_ID = "demo-timeline";

	private final Instant startedAt;

	private final Deque<ConnectionStateChange> changes = new ArrayDeque<>(CAPACITY);

	private int reconnects;

	BotConnectionTimeline(CometChatClient client) {
		this.startedAt = Instant.now();
		client.addConnectionListener(LISTENER_ID, this::record);
	}

	private synchronized void record(ConnectionStateChange change) {
		if (this.changes.size() == CAPACITY) {
			this.changes.removeFirst();
		}
		this.changes.addLast(change);
		if (change.current() == ConnectionState.RECONNECTING) {
			this.reconnects++;
		}
	}

	/**
	 * Return when recording started: the bot's client was {@code INITIALIZED} then.
	 * @return the start of the timeline
	 */
	Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * Return the recorded changes, oldest first.
	 * @return at most {@value #CAPACITY} changes
	 */
	synchronized List<ConnectionStateChange> changes() {
		return List.copyOf(this.changes);
	}

	/**
	 * Return how many times the connection went to {@code RECONNECTING} since the application started: once per
	 * drop and once per failed retry.
	 * @return the number of reconnect attempts
	 */
	synchronized int reconnects() {
		return this.reconnects;
	}

}
