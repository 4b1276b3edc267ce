package com.cometchat.spring.client;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.springframework.scheduling.TaskScheduler;

/**
 * The typing indicators a client received and that have not ended: one that its sender does not end is ended
 * {@link CometChatClient#TYPING_TIMEOUT} after its last start, as CometChat's UI kits do, so that a sender that
 * crashed or lost its link mid-word does not type forever. Confined to the listener dispatcher's queue; the timers run
 * on the client's scheduler (and so on its clock).
 *
 * @author CometChat
 */
final class TypingTimeouts {

	private final ListenerDispatcher dispatcher;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Duration timeout;

	/** By sender and where they type. */
	private final Map<Key, Active> active = new HashMap<>();

	TypingTimeouts(ListenerDispatcher dispatcher, TaskScheduler scheduler, Duration timeout) {
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.clock = scheduler.getClock();
		this.timeout = timeout;
	}

	/**
	 * A typing indicator arrived (on the dispatcher's queue).
	 * @param indicator who types where, and whether they started or ended
	 * @param epoch the session it arrived in
	 */
	void received(TypingIndicator indicator, long epoch) {
		Key key = new Key(indicator.sender(), indicator.receiverType(), indicator.receiver());
		Active previous = this.active.remove(key);
		if (previous != null) {
			previous.expiry().cancel(false);
			if (previous.epoch() != epoch) {
				// Left by an earlier session, whose expiry the dispatcher dropped: not typing in this one
				previous = null;
			}
		}
		if (!indicator.started()) {
			this.dispatcher.typingChanged(indicator);
			return;
		}
		Active[] entry = new Active[1];
		ScheduledFuture<?> expiry = this.scheduler.schedule(
				() -> this.dispatcher.deliver(epoch, () -> expire(key, entry[0])), this.clock.instant().plus(this.timeout));
		entry[0] = new Active(indicator, expiry, epoch);
		this.active.put(key, entry[0]);
		if (previous == null) {
			this.dispatcher.typingChanged(indicator);
		}
	}

	private void expire(Key key, Active entry) {
		if (this.active.remove(key, entry)) {
			TypingIndicator started = entry.indicator();
			this.dispatcher.typingChanged(new TypingIndicator(started.sender(), started.receiverType(),
					started.receiver(), started.metadata(), this.clock.instant(), false));
		}
	}

	private record Key(String sender, ReceiverType receiverType, String receiver) {
	}

	private record Active(TypingIndicator indicator, ScheduledFuture<?> expiry, long epoch) {
	}

}
