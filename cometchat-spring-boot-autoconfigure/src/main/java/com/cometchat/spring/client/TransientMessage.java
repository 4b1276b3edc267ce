package com.cometchat.spring.client;

import java.time.Instant;
import java.util.Map;

/**
 * A message for whoever is connected now, such as a live location: never queued, resent or receipted, and never
 * delivered to a receiver that connects later.
 *
 * @param sender the uid of the sender
 * @param receiverType whether it was sent to a user or a group
 * @param receiver the uid or guid it was sent to
 * @param data what the sender sent
 * @param sentAt when it was sent, by the sender's clock
 * @author CometChat
 */
public record TransientMessage(String sender, ReceiverType receiverType, String receiver, Map<String, Object> data,
		Instant sentAt) {

	public TransientMessage {
		data = Map.copyOf(data);
	}

}
