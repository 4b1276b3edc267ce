package com.cometchat.spring.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A STOMP-over-WebSocket server written by hand that misbehaves on purpose, as told by its {@link Behaviour}: it
 * closes during CONNECT, sends a malformed frame or an ERROR after CONNECTED, or sends a MESSAGE of a given size on
 * every SUBSCRIBE. Every connection is counted.
 */
public final class MisbehavingStompServer implements AutoCloseable {

	private final Handler handler = new Handler();

	private final ConfigurableApplicationContext context;

	public MisbehavingStompServer() {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
			.initializers((context) -> context.getBeanFactory().registerSingleton("misbehavingHandler", this.handler))
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"cometchat.enabled=false", "spring.datasource.url=jdbc:h2:mem:misbehaving")
			.run();
	}

	public String url() {
		return "ws://127.0.0.1:" + ((WebServerApplicationContext) this.context).getWebServer().getPort() + "/ws";
	}

	/**
	 * Set how the server behaves from the next frame on.
	 * @param behaviour the behaviour
	 * @return this server
	 */
	public MisbehavingStompServer behave(Behaviour behaviour) {
		this.handler.behaviour = behaviour;
		return this;
	}

	/**
	 * Set the size of the body of the MESSAGE sent on each SUBSCRIBE.
	 * @param messageBody the body
	 * @return this server
	 */
	public MisbehavingStompServer messageOnSubscribe(String messageBody) {
		this.handler.messageBody = messageBody;
		return this;
	}

	public int connections() {
		return this.handler.connections.get();
	}

	/**
	 * Return every frame received from clients, oldest first.
	 * @return the frames
	 */
	public java.util.List<String> frames() {
		return this.handler.frames;
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * What the server does.
	 */
	public enum Behaviour {

		/**
		 * Answer CONNECT with CONNECTED and SUBSCRIBE with a MESSAGE (if one is set).
		 */
		NORMAL,

		/**
		 * Close the WebSocket when CONNECT arrives.
		 */
		CLOSE_ON_CONNECT,

		/**
		 * Answer CONNECT with CONNECTED, then send a frame that is not STOMP.
		 */
		MALFORMED_AFTER_CONNECTED,

		/**
		 * Answer CONNECT with CONNECTED, then send an ERROR frame and close.
		 */
		ERROR_AFTER_CONNECTED

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebSocket
	static class Application {

		@Bean
		WebSocketConfigurer misbehavingEndpoint(Handler misbehavingHandler) {
			return (WebSocketHandlerRegistry registry) -> registry.addHandler(misbehavingHandler, "/ws")
				.setAllowedOriginPatterns("*");
		}

	}

	static final class Handler extends TextWebSocketHandler {

		private final AtomicInteger connections = new AtomicInteger();

		private volatile Behaviour behaviour = Behaviour.NORMAL;

		private volatile String messageBody = "";

		private final java.util.List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			this.connections.incrementAndGet();
			session.setTextMessageSizeLimit(1024 * 1024);
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			// A WebSocket message may carry several frames, as with any STOMP broker (the bodies here hold no NUL)
			for (String frame : message.getPayload().split("\0")) {
				String content = frame.stripLeading();
				if (!content.isEmpty()) {
					handleFrame(session, content + "\0");
				}
			}
		}

		private void handleFrame(WebSocketSession session, String frame) throws IOException {
			this.frames.add(frame);
			if (frame.startsWith("CONNECT")) {
				switch (this.behaviour) {
					case CLOSE_ON_CONNECT -> session.close(CloseStatus.SERVER_ERROR);
					case MALFORMED_AFTER_CONNECTED -> {
						send(session, "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0");
						send(session, "BOGUS\nfoo:bar\n\n\0");
					}
					case ERROR_AFTER_CONNECTED -> {
						send(session, "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0");
						send(session, "ERROR\nmessage:Queue quota exceeded\n\nno more\0");
						session.close(CloseStatus.PROTOCOL_ERROR);
					}
					case NORMAL -> send(session, "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0");
				}
			}
			else if (frame.startsWith("SUBSCRIBE") && !this.messageBody.isEmpty()) {
				String id = header(frame, "id");
				String destination = header(frame, "destination");
				send(session, "MESSAGE\nsubscription:" + id + "\ndestination:" + destination + "\nmessage-id:1\nack:ack-1\n"
						+ "content-type:application/json\ncontent-length:"
						+ this.messageBody.getBytes(StandardCharsets.UTF_8).length + "\n\n" + this.messageBody + "\0");
			}
		}

		private static void send(WebSocketSession session, String frame) throws IOException {
			synchronized (session) {
				session.sendMessage(new TextMessage(frame));
			}
		}

		private static String header(String frame, String name) {
			for (String line : frame.split("\n")) {
				if (line.startsWith(name + ":")) {
					return line.substring(name.length() + 1);
				}
			}
			return "";
		}

	}

}
