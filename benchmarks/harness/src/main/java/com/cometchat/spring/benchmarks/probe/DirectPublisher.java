package com.cometchat.spring.benchmarks.probe;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Sends small messages to the probes' subscriptions over a STOMP session of its own, connected straight to the broker
 * (never through the proxy, so it is not affected by the faults). Each body is a text message our client can read
 * (a fresh id every time, so ours never drops one as a duplicate); the other clients take it as bytes.
 *
 * @author CometChat
 */
public final class DirectPublisher implements AutoCloseable {

	private static final String SENDER = "bench-publisher";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());

	private final StompSession session;

	public DirectPublisher(String url) throws Exception {
		StompHeaders connect = new StompHeaders();
		connect.setLogin(SENDER);
		connect.setPasscode(ArtemisBrokerMain.PASSCODE);
		connect.setHost("/");
		this.session = this.client
			.connectAsync(url, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
			})
			.get(30, TimeUnit.SECONDS);
	}

	/**
	 * Send one message to the probe's destination.
	 * @param probe the probe to reach
	 */
	public void send(Probe probe) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(probe.destination());
		headers.set("content-type", "application/json");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("kind", "message");
		body.put("id", UUID.randomUUID().toString());
		body.put("sender", SENDER);
		body.put("receiverType", "user");
		body.put("receiver", probe.destination());
		body.put("type", "text");
		body.put("text", "probe");
		body.put("sentAt", Instant.now().toString());
		this.session.send(headers, MAPPER.writeValueAsBytes(body));
	}

	@Override
	public void close() {
		try {
			this.session.disconnect();
		}
		catch (RuntimeException ex) {
			// closing anyway
		}
		this.client.stop();
	}

}
