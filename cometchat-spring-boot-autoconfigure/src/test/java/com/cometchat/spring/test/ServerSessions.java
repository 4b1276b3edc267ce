package com.cometchat.spring.test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * Tracks the WebSocket sessions open on a {@link SpringStompBrokerApplication} and
 * can close them from the server side, to simulate a network drop.
 */
public final class ServerSessions implements WebSocketHandlerDecoratorFactory {

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	private final java.util.concurrent.atomic.AtomicInteger highWaterMark = new java.util.concurrent.atomic.AtomicInteger();

	@Override
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				ServerSessions.this.sessions.put(session.getId(), session);
				ServerSessions.this.highWaterMark.accumulateAndGet(ServerSessions.this.sessions.size(), Math::max);
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
				ServerSessions.this.sessions.remove(session.getId());
				super.afterConnectionClosed(session, closeStatus);
			}

		};
	}

	/**
	 * Return the number of WebSocket sessions currently open.
	 * @return the number of open sessions
	 */
	public int openSessions() {
		return this.sessions.size();
	}

	/**
	 * Return the largest number of sessions that were open at the same time since the last reset.
	 * @return the high-water mark
	 */
	public int highWaterMark() {
		return this.highWaterMark.get();
	}

	/**
	 * Start a new high-water mark from the sessions open now.
	 */
	public void resetHighWaterMark() {
		this.highWaterMark.set(this.sessions.size());
	}

	/**
	 * Close every open WebSocket session with {@link CloseStatus#GOING_AWAY}.
	 * @return the number of sessions that were closed
	 */
	public int closeAll() {
		return closeAll(CloseStatus.GOING_AWAY);
	}

	/**
	 * Close every open WebSocket session with the given status.
	 * @param status the close status sent to the clients
	 * @return the number of sessions that were closed
	 */
	public int closeAll(CloseStatus status) {
		List<WebSocketSession> open = List.copyOf(this.sessions.values());
		for (WebSocketSession session : open) {
			try {
				session.close(status);
			}
			catch (IOException ex) {
				// Already gone
			}
		}
		return open.size();
	}

}
