package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Consistent view of a connection at one point in time, for health and diagnostics.
 *
 * @param state the current state
 * @param since when the current state was entered
 * @param attempt the current reconnect attempt ({@code 0} outside of reconnecting)
 * @param retryIn the delay before the next attempt while {@link ConnectionState#RECONNECTING}
 * @param lastError the most recent failure, kept until the next successful connect
 * @author CometChat
 */
public record ConnectionSnapshot(ConnectionState state, Instant since, int attempt, @Nullable Duration retryIn,
		@Nullable CometChatException lastError) {

}
