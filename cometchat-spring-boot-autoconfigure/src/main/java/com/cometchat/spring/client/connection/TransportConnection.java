package com.cometchat.spring.client.connection;

import java.util.concurrent.CompletableFuture;

/**
 * A connection opened by a {@link Transport}.
 *
 * @author CometChat
 */
public interface TransportConnection {

	/**
	 * Close the connection (gracefully when it is established). Must not block the caller.
	 * @return a future completing when the connection is closed
	 */
	CompletableFuture<Void> close();

}
