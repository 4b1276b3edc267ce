package com.cometchat.spring.test;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.web.socket.messaging.AbstractSubProtocolEvent;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Thread-safe registry of the users that may connect to a
 * {@link SpringStompBrokerApplication}, mapping uid (STOMP {@code login}) to token
 * (STOMP {@code passcode}). It counts every CONNECT attempt and tracks the STOMP
 * sessions that are currently connected.
 */
public final class StompUsers {

	private final Map<String, String> tokens = new ConcurrentHashMap<>();

	private final AtomicInteger connectAttempts = new AtomicInteger();

	private final Map<String, AtomicInteger> connectAttemptsByUser = new ConcurrentHashMap<>();

	private final Map<String, String> connectedSessions = new ConcurrentHashMap<>();

	/**
	 * Register a user that may connect with the given token as passcode.
	 * @param uid the login
	 * @param token the passcode
	 * @return this registry
	 */
	public StompUsers add(String uid, String token) {
		this.tokens.put(uid, token);
		return this;
	}

	/**
	 * Count a CONNECT attempt and check its credentials.
	 * @param login the STOMP {@code login} header, may be {@code null}
	 * @param passcode the STOMP {@code passcode} header, may be {@code null}
	 * @return the authenticated user, or {@code null} if the credentials are invalid
	 */
	Principal authenticate(String login, String passcode) {
		this.connectAttempts.incrementAndGet();
		if (login == null) {
			return null;
		}
		this.connectAttemptsByUser.computeIfAbsent(login, (key) -> new AtomicInteger()).incrementAndGet();
		boolean valid = passcode != null && Objects.equals(this.tokens.get(login), passcode);
		return valid ? new StompUser(login) : null;
	}

	/**
	 * Return the number of CONNECT attempts, successful or not.
	 * @return the number of attempts
	 */
	public int connectAttempts() {
		return this.connectAttempts.get();
	}

	/**
	 * Return the number of CONNECT attempts, successful or not, with the given login.
	 * @param uid the login
	 * @return the number of attempts
	 */
	public int connectAttempts(String uid) {
		AtomicInteger attempts = this.connectAttemptsByUser.get(uid);
		return (attempts != null) ? attempts.get() : 0;
	}

	/**
	 * Return the STOMP sessions that are currently connected.
	 * @return an immutable snapshot of session id to uid
	 */
	public Map<String, String> connectedSessions() {
		return Map.copyOf(this.connectedSessions);
	}

	@EventListener
	void onConnected(SessionConnectedEvent event) {
		String sessionId = sessionId(event);
		if (sessionId != null) {
			Principal user = event.getUser();
			this.connectedSessions.put(sessionId, (user != null) ? user.getName() : "");
		}
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		this.connectedSessions.remove(event.getSessionId());
	}

	private static String sessionId(AbstractSubProtocolEvent event) {
		return SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
	}

	/**
	 * The {@link Principal} of an authenticated STOMP session.
	 *
	 * @param uid the user id
	 */
	record StompUser(String uid) implements Principal {

		@Override
		public String getName() {
			return this.uid;
		}

	}

}
