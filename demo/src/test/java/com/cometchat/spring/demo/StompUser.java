package com.cometchat.spring.demo;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * A user of the demo's broker on a plain STOMP client, for tests: it speaks the starter's JSON format as the demo
 * page does, and hands on every body it receives as a JSON object, with the frame's headers.
 *
 * @author CometChat
 */
final class StompUser implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final JsonMapper json = JsonMapper.builder().build();

	/** What went wrong on the session (transport errors, frames that could not be handled), for failure messages. */
	private final List<String> problems = new CopyOnWriteArrayList<>();

	private final WebSocketStompClient stompClient = new WebSocketStompClient(new StandardWebSocketClient());

	private final StompSession session;

	/**
	 * Connect to the demo's broker.
	 * @param port the port of the demo application
	 * @param uid the STOMP login
	 * @param authToken the STOMP passcode
	 * @throws Exception when the broker did not accept the connection in time
	 */
	StompUser(int port, String uid, String authToken) throws Exception {
		StompHeaders connect = new StompHeaders();
		connect.setLogin(uid);
		connect.setPasscode(authToken);
		try {
			this.session = this.stompClient
				.connectAsync("ws://localhost:" + port + "/ws", new WebSocketHttpHeaders(), connect,
						new StompSessionHandlerAdapter() {

							@Override
							public void handleException(StompSession session, @Nullable StompCommand command,
									StompHeaders headers, byte[] payload, Throwable exception) {
								StompUser.this.problems.add(command + " not handled: " + exception);
							}

							@Override
							public void handleTransportError(StompSession session, Throwable exception) {
								StompUser.this.problems.add("transport error: " + exception);
							}

							@Override
							public void handleFrame(StompHeaders headers, @Nullable Object payload) {
								StompUser.this.problems.add("ERROR frame: " + headers);
							}

						})
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			this.stompClient.stop();
			throw ex;
		}
	}

	/**
	 * Return what went wrong on the session so far, to explain a test that heard nothing.
	 * @return the problems, oldest first
	 */
	List<String> problems() {
		return List.copyOf(this.problems);
	}

	void subscribe(String destination, BiConsumer<StompHeaders, Map<String, Object>> receiver) {
		this.session.subscribe(destination, new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			@SuppressWarnings("unchecked")
			public void handleFrame(StompHeaders headers, Object payload) {
				receiver.accept(headers, StompUser.this.json.readValue((byte[]) payload, Map.class));
			}

		});
	}

	void send(StompHeaders headers, Map<String, Object> body) {
		this.session.send(headers, this.json.writeValueAsBytes(body));
	}

	boolean isConnected() {
		return this.session.isConnected();
	}

	@Override
	public void close() {
		this.session.disconnect();
		this.stompClient.stop();
	}

}
