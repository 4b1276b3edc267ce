package com.cometchat.spring.test;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
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

	/** By STOMP command: how many inbound WebSocket messages carried at least one frame of it. */
	private final Map<String, AtomicLong> inboundMessages = new ConcurrentHashMap<>();

	private final AtomicInteger largestInboundMessage = new AtomicInteger();

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
			public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
				ServerSessions.this.largestInboundMessage.accumulateAndGet(message.getPayloadLength(), Math::max);
				if (message instanceof TextMessage text) {
					commandsOf(text.getPayload()).forEach((command) -> ServerSessions.this.inboundMessages
						.computeIfAbsent(command, (key) -> new AtomicLong())
						.incrementAndGet());
				}
				super.handleMessage(session, message);
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
	 * Return how many WebSocket messages the clients sent, over all sessions, that carried at least one STOMP frame of
	 * the given command (a client may write several frames in one message).
	 * @param command the command, such as {@code SEND}
	 * @return the number of inbound messages
	 */
	public long inboundMessagesWith(String command) {
		AtomicLong count = this.inboundMessages.get(command);
		return (count != null) ? count.get() : 0;
	}

	private static Set<String> commandsOf(String payload) {
		Set<String> commands = new HashSet<>();
		for (String frame : payload.split("\0")) {
			String content = frame.stripLeading();
			if (!content.isEmpty()) {
				int end = content.indexOf('\n');
				commands.add((end < 0) ? content : content.substring(0, end));
			}
		}
		return commands;
	}

	/**
	 * Return the size of the largest WebSocket message a client sent.
	 * @return the size in bytes
	 */
	public int largestInboundMessage() {
		return this.largestInboundMessage.get();
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
