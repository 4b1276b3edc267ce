package com.cometchat.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.DefaultCometChatClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} {@code cometchat}: the connection of the CometChat client ({@code GET}) and control
 * of its socket ({@code POST /actuator/cometchat/connect} and {@code /disconnect}), in auto and manual mode alike.
 * Never shows the auth token. Exposed over the web only when the application exposes it, like every endpoint.
 *
 * @author CometChat
 */
@Endpoint(id = "cometchat")
public class CometChatEndpoint {

	private final CometChatClient client;

	private final String url;

	/**
	 * Create the endpoint.
	 * @param client the client
	 * @param url the broker URL, without secrets
	 */
	public CometChatEndpoint(CometChatClient client, String url) {
		this.client = client;
		this.url = url;
	}

	@ReadOperation
	public ConnectionDescriptor connection() {
		ConnectionSnapshot snapshot = this.client.getConnectionSnapshot();
		CometChatException lastError = snapshot.lastError();
		List<String> subscriptions = List.of();
		@Nullable Integer pendingSends = null;
		@Nullable Boolean auto = null;
		if (this.client instanceof DefaultCometChatClient client) {
			subscriptions = List.copyOf(client.getSubscriptions().orTimeout(5, TimeUnit.SECONDS).join().values());
			pendingSends = client.getPendingSends().orTimeout(5, TimeUnit.SECONDS).join();
			auto = client.isAutoEstablishSocketConnection();
		}
		return new ConnectionDescriptor(snapshot.state().name(), snapshot.state().status(),
				this.client.getLoggedInUser().map(CometChatUser::uid).orElse(null), this.url, auto, snapshot.since(),
				snapshot.attempt(), snapshot.retryIn(),
				(lastError != null) ? lastError.getCode() + ": " + lastError.getMessage() : null, subscriptions,
				pendingSends);
	}

	/**
	 * Connect or disconnect the socket. Returns at once with the state after the request was taken.
	 * @param action {@code connect} or {@code disconnect}
	 * @return the connection
	 */
	@WriteOperation
	public ConnectionDescriptor control(@Selector Action action) {
		switch (action) {
			case CONNECT -> this.client.connect().exceptionally((failure) -> null);
			case DISCONNECT -> this.client.disconnect()
				.orTimeout(5, TimeUnit.SECONDS)
				.exceptionally((failure) -> null)
				.join();
		}
		return connection();
	}

	/**
	 * Actions on the socket.
	 */
	public enum Action {

		/**
		 * Connect the socket (completes later; the answer shows the state right after the request).
		 */
		CONNECT,

		/**
		 * Disconnect the socket and stop reconnecting.
		 */
		DISCONNECT

	}

	/**
	 * What the endpoint shows.
	 *
	 * @param state the state
	 * @param status the state in CometChat's words
	 * @param user the logged-in uid
	 * @param url the broker URL
	 * @param autoEstablishSocketConnection whether the client connects by itself
	 * @param since when the state was entered
	 * @param attempt the reconnect attempt
	 * @param retryIn the delay before the next attempt
	 * @param lastError the last failure
	 * @param subscriptions the destinations subscribed to
	 * @param pendingSends sends waiting for a connection or a receipt
	 */
	public record ConnectionDescriptor(String state, String status, @Nullable String user, String url,
			@Nullable Boolean autoEstablishSocketConnection, Instant since, int attempt, @Nullable Duration retryIn,
			@Nullable String lastError, List<String> subscriptions, @Nullable Integer pendingSends) {

	}

}
