package com.cometchat.spring.client;

import java.time.Instant;
import java.util.Map;

/**
 * Someone started or stopped typing to a user or in a group. Transient: sent only while connected, never queued,
 * resent or receipted; a receiver ends an indicator nobody ended {@link CometChatClient#TYPING_TIMEOUT} after its last
 * start.
 *
 * @param sender the uid of who is typing
 * @param receiverType whether they type to a user or in a group
 * @param receiver the uid or guid they type to
 * @param metadata what the sender attached, empty for nothing
 * @param at when it happened, by the sender's clock (for an expiry: by the receiver's clock)
 * @param started whether they started typing ({@code false}: they stopped, or their indicator expired)
 * @author CometChat
 */
public record TypingIndicator(String sender, ReceiverType receiverType, String receiver, Map<String, Object> metadata,
		Instant at, boolean started) {

	public TypingIndicator {
		metadata = Map.copyOf(metadata);
	}

}
