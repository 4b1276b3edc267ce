package com.cometchat.spring.demo;

import com.cometchat.spring.autoconfigure.CometChatClientBuilderCustomizer;
import com.cometchat.spring.autoconfigure.CometChatProperties;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Demo application: hosts a STOMP broker at {@code /ws} and runs a bot that connects to it through the
 * auto-configured {@link com.cometchat.spring.client.CometChatClient}.
 *
 * <p>{@code server.port} is the single source of truth for the broker's address: {@code cometchat.url} is
 * {@code ws://localhost:${server.port}/ws}, and when the port is {@code 0} (a random port, as in tests) the client is
 * sent to the port the web server actually listens on.
 *
 * @author CometChat
 */
@SpringBootApplication
@EnableConfigurationProperties(DemoProperties.class)
public class DemoApplication {

	@Bean(destroyMethod = "close")
	LocalServerPortWebSocketClient localServerPortWebSocketClient(Environment environment,
			CometChatProperties properties) {
		// The starter's own JSR-356 client (Jetty started, frames up to the inbound limit, bounded connects): the
		// demo's many sessions connect at once
		WebSocketClients.Created created = WebSocketClients.create(WebSocketClientType.AUTO,
				(int) properties.getInboundMessageSizeLimit().toBytes(), null, WebSocketClients.DEFAULT_CONNECT_THREADS);
		return new LocalServerPortWebSocketClient(created.client(), created.stop(),
				() -> environment.getProperty("local.server.port", Integer.class));
	}

	@Bean
	CometChatClientBuilderCustomizer localServerPortCustomizer(LocalServerPortWebSocketClient webSocketClient) {
		return (builder) -> builder.webSocketClient(webSocketClient);
	}

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
