package com.cometchat.spring.client.connection;

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
public record OutboundMessage(String id, String destination, Map<String, String> headers, byte[] payload,
		boolean ephemeral) {

	/**
	 * Header that carries the message id.
	 */
	public static final String MESSAGE_ID_HEADER = "cometchat-message-id";

	@Override
	public String toString() {
		return "OutboundMessage[id=" + this.id + ", destination=" + this.destination + ", " + this.payload.length
				+ " bytes]";
	}

}
