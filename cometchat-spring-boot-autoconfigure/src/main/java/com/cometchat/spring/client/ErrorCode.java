package com.cometchat.spring.client;

/**
 * Why an operation failed or a connection changed state.
 *
 * @author CometChat
 */
public enum ErrorCode {

	/**
	 * The operation needs a logged-in user and there is none.
	 */
	USER_NOT_LOGGED_IN,

	/**
	 * An argument was missing or malformed.
	 */
	INVALID_ARGUMENT,

	/**
	 * Another login is in flight.
	 */
	LOGIN_IN_PROGRESS,

	/**
	 * The broker rejected the credentials (STOMP {@code ERROR} in reply to {@code CONNECT}).
	 */
	AUTH_REJECTED,

	/**
	 * No STOMP {@code CONNECTED} frame arrived within the connect timeout.
	 */
	CONNECT_TIMEOUT,

	/**
	 * The WebSocket could not be opened (refused, handshake failed, unreachable).
	 */
	CONNECT_FAILED,

	/**
	 * An established connection was lost (closed by the peer, transport error, heart-beats missed).
	 */
	CONNECTION_LOST,

	/**
	 * The broker sent a STOMP {@code ERROR} frame on an established connection.
	 */
	SERVER_ERROR,

	/**
	 * The broker rejected the auth token of a saved session and the {@link CometChatTokenProvider} gave no usable new
	 * one: it failed, gave no token within the connect timeout, gave {@code null}, a blank token or the token just
	 * rejected, or the broker rejected the token it had just given too. Also the last error (the connection untouched)
	 * when a refresh before a known expiry got no usable token.
	 */
	TOKEN_REFRESH_FAILED,

	/**
	 * The reconnect back-off gave up.
	 */
	RETRIES_EXHAUSTED,

	/**
	 * The operation needs a connected socket and there is none.
	 */
	NOT_CONNECTED,

	/**
	 * The operation was cancelled because the connection was closed on purpose.
	 */
	DISCONNECTED,

	/**
	 * A send found the send queue full ({@code cometchat.send-queue-capacity}).
	 */
	QUEUE_FULL,

	/**
	 * The broker did not confirm a send with a {@code RECEIPT} in time; the message may or may not have been
	 * delivered.
	 */
	RECEIPT_TIMEOUT,

	/**
	 * An inbound message could not be read.
	 */
	INVALID_MESSAGE,

	/**
	 * The session store could not load, save or delete the session.
	 */
	SESSION_STORE_ERROR,

	/**
	 * A later call overtook this one before it took effect (a {@code logout()} while a {@code login()} was in flight),
	 * or the client was closed first: nothing of it remains.
	 */
	SUPERSEDED,

	/**
	 * With several replicas on one database: this replica does not hold the session's lease (another replica holds
	 * it, or this one lost it), so nothing may leave for that user from here.
	 */
	NOT_SESSION_HOLDER,

	/**
	 * Not a failure: the reason given to {@link CometChatTokenProvider#refreshToken} when a token is refreshed before
	 * the expiry the provider told ({@link CometChatTokenProvider#expiresAt}), rather than after a rejection.
	 */
	TOKEN_EXPIRING

}
