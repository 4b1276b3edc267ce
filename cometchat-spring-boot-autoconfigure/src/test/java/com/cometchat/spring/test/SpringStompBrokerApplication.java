package com.cometchat.spring.test;

import java.security.Principal;
import java.util.function.Supplier;

import com.cometchat.spring.broker.SimpleBrokerReceiptInterceptor;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * Minimal servlet application with Spring's simple STOMP broker, for tests of STOMP
 * clients. Start it with {@code new SpringApplicationBuilder(SpringStompBrokerApplication.class)
 * .properties("server.port=0").run()}; clients connect to {@code ws://127.0.0.1:<port>/ws}
 * (plain WebSocket, no SockJS).
 * <p>
 * The simple broker serves {@code /topic} and {@code /queue} and has its own task
 * scheduler, so it answers client heart-beats; its heart-beat is {@code 10000,10000}
 * unless the {@code stomp-broker.heartbeat} property says otherwise. Application
 * destinations start with {@code /app} and user destinations with {@code /user}.
 * Frames from, and messages to, one session are handled in order.
 * <p>
 * A CONNECT must carry a {@code login} and {@code passcode} that match a user in the
 * {@link StompUsers} bean (registered by {@link SpringStompBroker}, so that it outlives restarts); otherwise the client receives an {@code ERROR} frame whose
 * {@code message} header is {@code Invalid credentials for user '<login>'} and the
 * server closes the WebSocket. The {@link ServerSessions} bean can close every
 * client WebSocket from the server side.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocketMessageBroker
public class SpringStompBrokerApplication {

	@Bean
	ServerSessions serverSessions() {
		return new ServerSessions();
	}

	@Bean
	StompBrokerConfigurer stompBrokerConfigurer(StompUsers users, ServerSessions sessions,
			@Value("${stomp-broker.heartbeat:10000,10000}") long[] heartbeat, BeanFactory beanFactory) {
		return new StompBrokerConfigurer(users, sessions, heartbeat,
				() -> beanFactory.getBean("clientOutboundChannel", MessageChannel.class));
	}

	/**
	 * Configures the STOMP endpoint, the simple broker and the CONNECT check.
	 */
	static final class StompBrokerConfigurer implements WebSocketMessageBrokerConfigurer, DisposableBean {

		private final StompUsers users;

		private final ServerSessions sessions;

		private final long[] heartbeat;

		private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

		private final Supplier<MessageChannel> clientOutboundChannel;

		StompBrokerConfigurer(StompUsers users, ServerSessions sessions, long[] heartbeat,
				Supplier<MessageChannel> clientOutboundChannel) {
			this.clientOutboundChannel = clientOutboundChannel;
			this.users = users;
			this.sessions = sessions;
			this.heartbeat = heartbeat.clone();
			this.scheduler.setPoolSize(1);
			this.scheduler.setThreadNamePrefix("stomp-broker-heartbeat-");
			this.scheduler.initialize();
		}

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			// No setPreserveReceiveOrder(true): its OrderedMessageChannelDecorator logs and
			// swallows exceptions from inbound interceptors, so a rejected CONNECT would get
			// no ERROR frame. configureClientInboundChannel keeps frames in order instead
			registry.addEndpoint("/ws").setAllowedOriginPatterns("*");
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableSimpleBroker("/topic", "/queue")
				.setTaskScheduler(this.scheduler)
				.setHeartbeatValue(this.heartbeat.clone());
			registry.setApplicationDestinationPrefixes("/app");
			registry.setUserDestinationPrefix("/user");
			registry.setPreservePublishOrder(true);
		}

		@Override
		public void configureClientInboundChannel(ChannelRegistration registration) {
			// Spring's simple broker sends no RECEIPT for SEND; clients ask for them by default
			registration.interceptors(new ConnectCredentialsInterceptor(this.users),
					new SimpleBrokerReceiptInterceptor(this.clientOutboundChannel));
			// A single thread handles inbound frames in arrival order, e.g. SUBSCRIBE
			// before a following SEND
			registration.taskExecutor().corePoolSize(1).maxPoolSize(1);
		}

		@Override
		public void configureWebSocketTransport(WebSocketTransportRegistration registry) {
			registry.addDecoratorFactory(this.sessions);
		}

		@Override
		public void destroy() {
			this.scheduler.shutdown();
		}

	}

	/**
	 * Checks the {@code login} and {@code passcode} of every CONNECT against
	 * {@link StompUsers} and sets the authenticated user on the session.
	 */
	private static final class ConnectCredentialsInterceptor implements ChannelInterceptor {

		private final StompUsers users;

		ConnectCredentialsInterceptor(StompUsers users) {
			this.users = users;
		}

		@Override
		public Message<?> preSend(Message<?> message, MessageChannel channel) {
			StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
			if (accessor == null || accessor.getMessageType() != SimpMessageType.CONNECT) {
				return message;
			}
			String login = accessor.getLogin();
			Principal user = this.users.authenticate(login, accessor.getPasscode());
			if (user == null) {
				// StompSubProtocolHandler turns this into an ERROR frame whose message
				// header is the exception message, then closes the WebSocket
				throw new MessageDeliveryException(message, "Invalid credentials for user '" + login + "'");
			}
			accessor.setUser(user);
			return message;
		}

	}

}
