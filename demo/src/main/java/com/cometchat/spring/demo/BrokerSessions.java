package com.cometchat.spring.demo;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * The open WebSocket sessions of the demo's broker, so that the page can cut a user's link from the server side
 * ("Drop link") and show the client reconnecting by itself.
 *
 * <p>Registered with {@code registry.addDecoratorFactory(...)}: it sees every session open and close. The uid of a
 * session is the STOMP login that {@link StompAuthenticationInterceptor} accepted, kept in the session's attributes
 * under {@link #UID_ATTRIBUTE}.
 *
 * @author CometChat
 */
@Component
class BrokerSessions implements WebSocketHandlerDecoratorFactory {

	/**
	 * Session attribute holding the uid of the session's STOMP user.
	 */
	static final String UID_ATTRIBUTE = BrokerSessions.class.getName() + ".uid";

	private static final Log logger = LogFactory.getLog(BrokerSessions.class);

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	@Override
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				BrokerSessions.this.sessions.put(session.getId(), session);
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
				BrokerSessions.this.sessions.remove(session.getId());
				super.afterConnectionClosed(session, closeStatus);
			}

		};
	}

	/**
	 * Close the WebSocket of every session of a user with {@link CloseStatus#GOING_AWAY} (1001), without a STOMP
	 * {@code DISCONNECT} or {@code ERROR} first: to the client it is a lost link, as when a server restarts.
	 * @param uid the user's uid
	 * @return the number of sessions closed
	 */
	int drop(String uid) {
		List<WebSocketSession> dropped = this.sessions.values()
			.stream()
			.filter((session) -> session.isOpen() && uid.equals(session.getAttributes().get(UID_ATTRIBUTE)))
			.toList();
		for (WebSocketSession session : dropped) {
			try {
				session.close(CloseStatus.GOING_AWAY);
			}
			catch (IOException ex) {
				logger.debug("Closing WebSocket session " + session.getId() + " failed", ex);
			}
		}
		if (!dropped.isEmpty()) {
			logger.info("Dropped the link of '" + uid + "' (" + dropped.size() + " WebSocket session(s))");
		}
		return dropped.size();
	}

}
