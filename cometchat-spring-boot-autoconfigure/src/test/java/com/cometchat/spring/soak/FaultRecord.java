package com.cometchat.spring.soak;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * One injected fault and how long the system took to recover from it.
 * <p>
 * A client reconnects at once only after a drop from a connection that stayed up for the connect timeout (10 s);
 * hit again sooner, it waits for its back-off (1 s, 2 s, 4 s, then 5 s, each ±jitter). {@code stable} tells the two
 * cases apart.
 *
 * @param number the fault's number, from 1
 * @param type the fault
 * @param target the client whose link it hit, {@code null} for the broker
 * @param at when it was injected, in seconds since the soak began
 * @param effect what it did, in words (how many connections it reached, how long the link was silent, ...)
 * @param hit the clients whose connection it reached and that had to come back
 * @param stable whether every client in {@code hit} had been {@code CONNECTED} for the connect timeout or longer
 * @param reconnectMillis from the heal (or the injection, for instantaneous faults) until every client in {@code hit}
 * was {@code CONNECTED} again (C: settled), {@code 0} when none was hit, {@code -1} if that did not happen within the
 * recovery timeout
 * @param receiveMillis from the heal (or the injection) until B's listener got a message that A sent after it,
 * {@code -1} if that did not happen within the recovery timeout
 */
record FaultRecord(int number, FaultType type, @Nullable ClientRole target, double at, String effect,
		Set<ClientRole> hit, boolean stable, long reconnectMillis, long receiveMillis) {

	boolean recovered() {
		return this.reconnectMillis >= 0 && this.receiveMillis >= 0;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "fault %d %s on %s at %.1fs: %s; hit [%s]%s; reconnect %s; receive %s",
				this.number, this.type.label(), (this.target != null) ? this.target : "broker", this.at, this.effect,
				this.hit.stream().map(Enum::name).collect(Collectors.joining(",")), this.stable ? "" : " not stable",
				millis(this.reconnectMillis), millis(this.receiveMillis));
	}

	private static String millis(long millis) {
		return (millis >= 0) ? millis + "ms" : "not within the timeout";
	}

}
