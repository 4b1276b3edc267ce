package com.cometchat.spring.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details to connect to a STOMP-over-WebSocket broker, from properties or from a service connection.
 *
 * @author CometChat
 */
public interface CometChatConnectionDetails extends ConnectionDetails {

	/**
	 * Return the broker's STOMP-over-WebSocket endpoint.
	 * @return the {@code ws://} or {@code wss://} URL
	 */
	URI getUrl();

	/**
	 * Return the virtual host for the STOMP {@code host} header.
	 * @return the virtual host, or {@code null} for none
	 */
	default @Nullable String getVirtualHost() {
		return "/";
	}

}
