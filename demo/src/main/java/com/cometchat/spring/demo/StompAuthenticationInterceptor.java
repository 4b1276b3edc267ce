package com.cometchat.spring.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * {@link ChannelInterceptor} that checks the {@code login} and {@code passcode} headers of every STOMP
 * {@code CONNECT} (or {@code STOMP}) frame against the configured demo users, and makes the uid the session's user
 * (also in the WebSocket session's attributes, for {@link BrokerSessions}).
 *
 * <p>A rejected CONNECT throws from {@link #preSend}: Spring's STOMP handler then answers with an {@code ERROR} frame
 * carrying the exception's message and closes the WebSocket. The message never contains the passcode.
 *
 * @author CometChat
 */
class StompAuthenticationInterceptor implements ChannelInterceptor {

	private final Map<String, String> users;

	/**
	 * Create an interceptor.
	 * @param users the accepted users, from uid to auth token
	 */
	StompAuthenticationInterceptor(Map<String, String> users) {
		this.users = users;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor != null && accessor.getMessageType() == SimpMessageType.CONNECT) {
			String login = accessor.getLogin();
			if (login == null || !matches(this.users.get(login), accessor.getPasscode())) {
				throw new MessageDeliveryException(message, "Bad credentials for user '" + login + "'");
			}
			accessor.setUser(new DemoUser(login));
			Map<String, Object> sessionAttributes = accessor.getSessionAttributes();
			if (sessionAttributes != null) {
				sessionAttributes.put(BrokerSessions.UID_ATTRIBUTE, login);
			}
		}
		return message;
	}

	private static boolean matches(@Nullable String expected, @Nullable String actual) {
		if (expected == null || actual == null) {
			return false;
		}
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * An authenticated demo user.
	 *
	 * @param uid the user's id
	 */
	private record DemoUser(String uid) implements Principal {

		@Override
		public String getName() {
			return this.uid;
		}

	}

}
