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
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * {@link ChannelInterceptor} that checks the {@code login} and {@code passcode} headers of every STOMP
 * {@code CONNECT} (or {@code STOMP}) frame against the configured demo users, and makes the uid the session's user
 * (also in the WebSocket session's attributes, for {@link BrokerSessions}).
 *
 * <p>Every {@code SEND} gets the session's user as its {@code user-id} header, whatever the client wrote there, so
 * that receivers with {@code cometchat.sender-verification.header=user-id} can tell who sent a message (as RabbitMQ
 * does); Spring's simple broker passes a SEND's headers on to the subscribers.
 *
 * <p>A rejected CONNECT throws from {@link #preSend}: Spring's STOMP handler then answers with an {@code ERROR} frame
 * carrying the exception's message and closes the WebSocket. The message never contains the passcode.
 *
 * @author CometChat
 */
class StompAuthenticationInterceptor implements ChannelInterceptor {

	/** The header receivers verify senders by. */
	static final String USER_ID = "user-id";

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
		else if (accessor != null && accessor.getCommand() == StompCommand.SEND) {
			return stamped(message, accessor.getUser());
		}
		return message;
	}

	/**
	 * The SEND with the session's user as its {@code user-id}, or without one for a session that has no user.
	 */
	static Message<?> stamped(Message<?> message, @Nullable Principal user) {
		StompHeaderAccessor copy = StompHeaderAccessor.wrap(message);
		copy.removeNativeHeader(USER_ID);
		if (user != null) {
			copy.setNativeHeader(USER_ID, user.getName());
		}
		return MessageBuilder.createMessage(message.getPayload(), copy.getMessageHeaders());
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
