package com.cometchat.spring.demo;

import com.cometchat.spring.autoconfigure.CometChatClientBuilderCustomizer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

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

	@Bean
	CometChatClientBuilderCustomizer localServerPortCustomizer(Environment environment) {
		return (builder) -> builder.webSocketClient(new LocalServerPortWebSocketClient(new StandardWebSocketClient(),
				() -> environment.getProperty("local.server.port", Integer.class)));
	}

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
