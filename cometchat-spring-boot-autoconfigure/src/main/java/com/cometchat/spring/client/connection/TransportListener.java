package com.cometchat.spring.client.connection;

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
	 * The connection failed or was lost. {@link com.cometchat.spring.client.ErrorCode#AUTH_REJECTED} means the
	 * broker refused the credentials and retrying would not help.
	 * @param error why
	 */
	void onFailure(CometChatException error);

	/**
	 * A message arrived on a subscription. Called on a transport thread, in arrival order.
	 * @param subscriptionId the subscription id
	 * @param headers the {@code MESSAGE} headers
	 * @param payload the body
	 */
	void onMessage(String subscriptionId, Map<String, String> headers, byte[] payload);

}
