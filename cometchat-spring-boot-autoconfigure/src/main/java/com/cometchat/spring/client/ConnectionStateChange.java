package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One change of {@link ConnectionState}. {@code previous} and {@code current} always differ.
 *
 * @param previous the state before the change
 * @param current the state after the change
 * @param reason why the change happened, or {@code null} when it was asked for (connect, disconnect) or succeeded
 * @param attempt the reconnect attempt this change belongs to ({@code 0} outside of reconnecting)
 * @param retryIn the delay before the next attempt when {@code current} is {@link ConnectionState#RECONNECTING},
 * otherwise {@code null}
 * @param timestamp when the change happened
 * @author CometChat
 */
public record ConnectionStateChange(ConnectionState previous, ConnectionState current,
		@Nullable CometChatException reason, int attempt, @Nullable Duration retryIn, Instant timestamp) {

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder().append(this.previous).append(" -> ").append(this.current);
		if (this.attempt > 0) {
			text.append(" attempt=").append(this.attempt);
		}
		if (this.retryIn != null) {
			text.append(" retryIn=").append(this.retryIn.toMillis()).append("ms");
		}
		if (this.reason != null) {
			text.append(" reason=").append(this.reason.getCode()).append(" (").append(this.reason.getMessage()).append(')');
		}
		return text.toString();
	}

}
