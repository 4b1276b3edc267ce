package com.cometchat.spring.client;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Tells the others that the logged-in user is online (on every connect, and again every heartbeat interval while
 * connected, so that a receiver notices when the announcements stop) or offline (before a deliberate disconnect,
 * logout or stop). Announcements are ephemeral: sent only while connected, never queued, resent or receipted.
 * Confined to the connection loop; the heartbeat timer runs on the client's scheduler and hands each beat to the
 * loop.
 *
 * @author CometChat
 */
final class PresenceAnnouncer {

	private final String destination;

	private final @Nullable String role;

	private final MessageCodec codec;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Executor loop;

	private final ConnectionManager manager;

	/** How often to announce online again while connected; zero for never. */
	private final Duration heartbeatInterval;

	/** The heartbeats going on, if any. */
	private @Nullable Heartbeat heartbeat;

	PresenceAnnouncer(String destination, @Nullable String role, MessageCodec codec, TaskScheduler scheduler,
			Executor loop, ConnectionManager manager, Duration heartbeatInterval) {
		this.destination = destination;
		this.role = role;
		this.codec = codec;
		this.scheduler = scheduler;
		this.clock = scheduler.getClock();
		this.loop = loop;
		this.manager = manager;
		this.heartbeatInterval = heartbeatInterval;
	}

	/**
	 * Announce the user online if the socket is connected, and again every heartbeat interval until
	 * {@link #offline(String)} or {@link #connectionLost()}.
	 * @param uid the user
	 */
	void online(String uid) {
		stopHeartbeats();
		if (announce(uid, true) && !this.heartbeatInterval.isZero()) {
			Heartbeat heartbeat = new Heartbeat(uid);
			this.heartbeat = heartbeat;
			scheduleBeat(heartbeat);
		}
	}

	/**
	 * Stop the heartbeats and announce the user offline if the socket is still connected.
	 * @param uid the user, or {@code null} for nobody
	 */
	void offline(@Nullable String uid) {
		stopHeartbeats();
		if (uid != null) {
			announce(uid, false);
		}
	}

	/**
	 * The connection is no longer up: stop the heartbeats (the next connect announces online again).
	 */
	void connectionLost() {
		stopHeartbeats();
	}

	private void stopHeartbeats() {
		Heartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			this.heartbeat = null;
			ScheduledFuture<?> next = heartbeat.next;
			if (next != null) {
				next.cancel(false);
			}
		}
	}

	private void scheduleBeat(Heartbeat heartbeat) {
		heartbeat.next = this.scheduler.schedule(() -> this.loop.execute(() -> beat(heartbeat)),
				this.clock.instant().plus(this.heartbeatInterval));
	}

	private void beat(Heartbeat heartbeat) {
		// A beat that fired while it was being stopped finds another heartbeat, or none
		if (heartbeat != this.heartbeat) {
			return;
		}
		if (announce(heartbeat.uid, true)) {
			scheduleBeat(heartbeat);
		}
		else {
			this.heartbeat = null;
		}
	}

	private boolean announce(String uid, boolean online) {
		if (this.manager.state() != ConnectionState.CONNECTED) {
			return false;
		}
		UserPresence presence = new UserPresence(uid, online, this.role, this.clock.instant());
		String id = UUID.randomUUID().toString();
		// Receivers time out only a user who says how often to expect them
		Duration every = (online && !this.heartbeatInterval.isZero()) ? this.heartbeatInterval : null;
		byte[] body = this.codec.write(presence, every);
		this.manager.send(OutboundMessage.json(id, this.destination, body, true)).exceptionally((failure) -> null);
		return true;
	}

	/**
	 * The heartbeats of one announcement online; loop only.
	 */
	private static final class Heartbeat {

		private final String uid;

		private @Nullable ScheduledFuture<?> next;

		Heartbeat(String uid) {
			this.uid = uid;
		}

	}

}
