package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A message to send, with the id that receivers use to drop duplicates after a resend.
 *
 * @param id the message id, sent as the {@code cometchat-message-id} header and used as receipt id
 * @param destination the destination
 * @param headers extra {@code SEND} headers
 * @param payload the body
 * @param ephemeral whether the message only matters now (presence): sent without receipt, never queued or resent
 * @author CometChat
 */
record OutboundMessage(String id, String destination, Map<String, String> headers, byte[] payload,
		boolean ephemeral) {

	/**
	 * Header that carries the message id.
	 */
	static final String MESSAGE_ID_HEADER = "cometchat-message-id";

	/**
	 * A JSON message with its id as {@link #MESSAGE_ID_HEADER}. Durable ones are sent {@code persistent:true}, so that
	 * RabbitMQ and Artemis keep them across a broker restart.
	 * @param id the message id
	 * @param destination the destination
	 * @param payload the JSON body
	 * @param ephemeral whether it only matters now
	 * @return the message
	 */
	static OutboundMessage json(String id, String destination, byte[] payload, boolean ephemeral) {
		return new OutboundMessage(id, destination, Map.of(MESSAGE_ID_HEADER, id, "content-type", "application/json",
				"persistent", String.valueOf(!ephemeral)), payload, ephemeral);
	}

	/**
	 * A transient JSON event (typing, a transient message): ephemeral, and expiring at the brokers that keep what a
	 * user's queue receives while they are away: RabbitMQ's {@code expiration} (a per-message TTL in milliseconds) and
	 * ActiveMQ Artemis's {@code expires} (when, in epoch milliseconds). Without a {@code persistent} header (both
	 * brokers default to non-persistent): RabbitMQ answers a {@code SEND} to an existing {@code /queue/} with
	 * {@code persistent:false} with {@code RESOURCE_LOCKED} and closes the connection.
	 * @param id the message id
	 * @param destination the destination
	 * @param payload the JSON body
	 * @param expiresAt when it expires
	 * @param ttl how long it lives
	 * @return the message
	 */
	static OutboundMessage transientJson(String id, String destination, byte[] payload, Instant expiresAt,
			Duration ttl) {
		return new OutboundMessage(id, destination,
				Map.of(MESSAGE_ID_HEADER, id, "content-type", "application/json", "expiration",
						String.valueOf(ttl.toMillis()), "expires", String.valueOf(expiresAt.toEpochMilli())),
				payload, true);
	}

	@Override
	public String toString() {
		return "OutboundMessage[id=" + this.id + ", destination=" + this.destination + ", " + this.payload.length
				+ " bytes]";
	}

}
