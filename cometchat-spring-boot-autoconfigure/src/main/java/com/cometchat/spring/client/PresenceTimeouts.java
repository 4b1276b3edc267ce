package com.cometchat.spring.client;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * The watched users a client heard online, so that one who stops announcing it is reported offline: a process that
 * died or a link that was cut says no goodbye. A user whose announcement says how often it is repeated
 * ({@code every}) and who is not heard from again for that interval times the missed heartbeats is reported offline,
 * by the receiver's clock. Listeners hear each user alternate, online first: an announcement of a user who is online
 * already keeps them online without telling the listeners again, and an offline (announced or timed out) of a user who
 * is not online is not passed on, so no user is reported offline twice or without having been online. A user whose
 * announcements do not say how often they come (heartbeats off, or an older client) is never timed out.
 *
 * <p>Time counts only while the client's own connection is up: while it is down the client hears nobody, so the
 * timers stop, and they start again from the whole timeout when it is up again.
 *
 * <p>Confined to the listener dispatcher's queue; the timers run on the client's scheduler (and so on its clock), and
 * their expiries come back through the queue with the session epoch they were set in. With the timeout off (a
 * heartbeat interval of zero) every presence is passed on as it comes.
 *
 * @author CometChat
 */
final class PresenceTimeouts {

	private final ListenerDispatcher dispatcher;

	private final TaskScheduler scheduler;

	private final Clock clock;

	/** How many intervals without an announcement make a user offline; zero when the timeout is off. */
	private final int missedHeartbeats;

	/** The users online, by uid. */
	private final Map<String, Online> online = new HashMap<>();

	/** The session whose users are watched. */
	private long epoch;

	/** Whether the client's connection is up, so that time counts. */
	private boolean connected;

	/**
	 * Create the watcher.
	 * @param dispatcher where to report, and where expiries are delivered
	 * @param scheduler the client's scheduler
	 * @param heartbeatInterval the client's own heartbeat interval; zero switches the timeout off
	 * @param missedHeartbeats how many intervals without an announcement make a user offline
	 */
	PresenceTimeouts(ListenerDispatcher dispatcher, TaskScheduler scheduler, Duration heartbeatInterval,
			int missedHeartbeats) {
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.clock = scheduler.getClock();
		this.missedHeartbeats = heartbeatInterval.isZero() ? 0 : missedHeartbeats;
	}

	/**
	 * A presence of a watched user arrived (on the dispatcher's queue).
	 * @param presence the presence
	 * @param every how often its sender announces online again, or {@code null} when it does not say
	 * @param epoch the session it arrived in
	 */
	void received(UserPresence presence, @Nullable Duration every, long epoch) {
		if (this.missedHeartbeats == 0) {
			this.dispatcher.presenceChanged(presence);
			return;
		}
		if (epoch != this.epoch) {
			// Who was online in an earlier session is not this session's to report
			this.online.values().forEach(Online::stop);
			this.online.clear();
			this.epoch = epoch;
		}
		Online previous = this.online.remove(presence.uid());
		if (previous != null) {
			previous.stop();
		}
		if (!presence.online()) {
			if (previous != null) {
				this.dispatcher.presenceChanged(presence);
			}
			return;
		}
		Online entry = new Online(presence, (every != null) ? every.multipliedBy(this.missedHeartbeats) : null, epoch);
		this.online.put(presence.uid(), entry);
		if (this.connected) {
			arm(entry);
		}
		if (previous == null) {
			this.dispatcher.presenceChanged(presence);
		}
	}

	/**
	 * The client's connection went up or down (on the dispatcher's queue, in order with the presences).
	 * @param connected whether it is up now
	 */
	void connectionChanged(boolean connected) {
		if (connected == this.connected) {
			return;
		}
		this.connected = connected;
		for (Online entry : this.online.values()) {
			if (connected) {
				arm(entry);
			}
			else {
				entry.stop();
			}
		}
	}

	private void arm(Online entry) {
		Duration timeout = entry.timeout;
		if (timeout == null) {
			return;
		}
		long run = entry.stop();
		entry.expiry = this.scheduler.schedule(() -> this.dispatcher.deliver(entry.epoch, () -> expire(entry, run)),
				this.clock.instant().plus(timeout));
	}

	private void expire(Online entry, long run) {
		UserPresence last = entry.presence;
		// An expiry that fired while it was being stopped or set again is not the current one
		if (entry.runs != run || !this.online.remove(last.uid(), entry)) {
			return;
		}
		this.dispatcher.presenceChanged(new UserPresence(last.uid(), false, last.role(), this.clock.instant()));
	}

	/**
	 * A user heard online, and their expiry while the client is connected.
	 */
	private static final class Online {

		private final UserPresence presence;

		/** How long the user stays online without an announcement; {@code null} for as long as it takes. */
		private final @Nullable Duration timeout;

		private final long epoch;

		private @Nullable ScheduledFuture<?> expiry;

		/** Counts the expiries set and stopped, so that a late one knows it is not the current one. */
		private long runs;

		Online(UserPresence presence, @Nullable Duration timeout, long epoch) {
			this.presence = presence;
			this.timeout = timeout;
			this.epoch = epoch;
		}

		/**
		 * Stop the expiry, if any.
		 * @return the run the next expiry belongs to
		 */
		long stop() {
			ScheduledFuture<?> expiry = this.expiry;
			if (expiry != null) {
				expiry.cancel(false);
				this.expiry = null;
			}
			return ++this.runs;
		}

	}

}
