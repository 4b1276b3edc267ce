package com.cometchat.spring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Gives a fresh auth token for a user whose token the broker rejected, so that a saved session whose token expired
 * reconnects by itself instead of going to {@link ConnectionState#FAILED}. As a Spring bean it is picked up by the
 * auto-configuration, for the single client and for every session of the connection manager; without Spring, give it
 * to {@link CometChatClientBuilder#tokenProvider(CometChatTokenProvider)}.
 *
 * <p>When it is asked: the broker rejected ({@link ErrorCode#AUTH_REJECTED}) the token of the saved session, of the
 * configured service account or of a token this provider gave earlier and a broker accepted, on a reconnect, on the
 * connect at start or on {@code connect()}. Not when the broker rejects the token of a {@code login(uid, authToken)}
 * in flight: the application gave that token just now, and its login fails with {@code AUTH_REJECTED} as without a
 * provider. Once per rejection: if the broker rejects the token it just gave too, the connection goes to
 * {@code FAILED} with {@link ErrorCode#TOKEN_REFRESH_FAILED} and it is not asked again until the next
 * {@code connect()} or {@code login()}.
 *
 * <p>While it runs, the connection is {@link ConnectionState#RECONNECTING} (no {@code retryIn}); a token it gives is
 * used for the next attempt at once and saved in the session store (encrypted as every saved token), in place of the
 * rejected one. A {@code logout()}, {@code login()} or {@code disconnect()} made meanwhile wins: what it answers
 * afterwards is dropped.
 *
 * <p>It is called on the client's callback executor (where listeners run), never on the connection loop or the I/O
 * threads, and it may block, typically to ask the application's server for a token; it holds one callback thread
 * while it does. If it throws, gives {@code null}, a blank token or the token just rejected, or has not answered
 * within the connect timeout ({@code cometchat.connect-timeout}), the connection goes to {@code FAILED} with
 * {@link ErrorCode#TOKEN_REFRESH_FAILED}, whose message says which; a later answer is dropped. Tokens never appear in
 * logs, events, health or {@code toString()}.
 *
 * <p>Before a known expiry: a provider that knows when a token expires (the {@code exp} of a JWT) says so with
 * {@link #expiresAt}. The client asks it for every token it holds (after a login, the restore of the saved session, a
 * service account's start and every fresh token), and the provider is then asked for a fresh token
 * {@code max(connect timeout, 30 s)} before that expiry, with {@link ErrorCode#TOKEN_EXPIRING} as the reason, while the
 * session lasts and the client runs. A live connection stays up (STOMP does not authenticate it again): the fresh token
 * is saved at once and used from the next connect on, and its own expiry is watched in turn. If that call fails (the
 * same outcomes as above), nothing changes but a warning in the log and {@link ErrorCode#TOKEN_REFRESH_FAILED} as the
 * connection's last error; the provider is not asked again before the expiry, and a rejection later asks it as usual.
 *
 * @author CometChat
 * @see CometChatClientBuilder#tokenProvider(CometChatTokenProvider)
 */
@FunctionalInterface
public interface CometChatTokenProvider {

	/**
	 * Return a fresh auth token for the user.
	 * @param uid the user whose token the broker rejected or expires soon
	 * @param rejection the broker's rejection ({@link ErrorCode#AUTH_REJECTED}), with the broker's message, or
	 * {@link ErrorCode#TOKEN_EXPIRING} when the token is refreshed before its known expiry
	 * @return a token other than the one rejected (or expiring), or {@code null} when there is none
	 * @throws Exception when no token can be had
	 */
	@Nullable String refreshToken(String uid, CometChatException rejection) throws Exception;

	/**
	 * Return when a token expires, if the application knows (for a JWT, its {@code exp} claim), so that it is
	 * refreshed before it expires rather than after the broker rejects it. Called like {@link #refreshToken}, on the
	 * callback executor, never on the connection loop: it is the application's code, even if it is usually quick (it
	 * should not block). If it throws, the expiry is taken as unknown (logged as a warning).
	 * @param uid the user whose token it is
	 * @param token the token
	 * @return when it expires, or {@code null} when that is unknown (the default: the token is refreshed only when the
	 * broker rejects it)
	 * @throws Exception when it cannot be told (taken as unknown)
	 */
	default @Nullable Instant expiresAt(String uid, String token) throws Exception {
		return null;
	}

}
