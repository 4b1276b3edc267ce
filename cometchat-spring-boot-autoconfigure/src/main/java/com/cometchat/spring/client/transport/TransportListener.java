package com.cometchat.spring.client.transport;

import java.util.Map;

import com.cometchat.spring.client.CometChatException;

/**
 * Receives what happens to one {@link TransportConnection}.
 *
 * @author CometChat
 */
public interface TransportListener {

	/**
	 * The broker answered {@code CONNECT} with {@code CONNECTED}.
	 */
	void onConnected();

	/**
	 * The connection failed or was lost (also: a frame could not be written). May be called more than once.
	 * {@link com.cometchat.spring.client.ErrorCode#AUTH_REJECTED} means the broker refused the credentials and
	 * retrying would not help.
	 * @param error why
	 */
	void onFailure(CometChatException error);

	/**
	 * A message arrived on a subscription. Called on a transport thread, in arrival order.
	 * @param subscriptionId the subscription id
	 * @param headers the {@code MESSAGE} headers
	 * @param payload the body
	 * @return whether the message was taken: the transport then acknowledges it; one that was not taken (its session
	 * ended) is not acknowledged, and the broker delivers it again on a later connection of that user
	 */
	boolean onMessage(String subscriptionId, Map<String, String> headers, byte[] payload);

}
