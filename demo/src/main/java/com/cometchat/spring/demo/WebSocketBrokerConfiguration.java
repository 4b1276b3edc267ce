package com.cometchat.spring.demo;

import com.cometchat.spring.broker.SimpleBrokerReceiptInterceptor;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * The demo's STOMP broker: Spring's simple broker for {@code /topic} and {@code /queue} behind a plain WebSocket
 * endpoint at {@code /ws}, with application destinations under {@code /app}.
 *
 * <p>The broker gets a scheduler so that it sends and checks heart-beats (without one it answers
 * {@code heart-beat:0,0}), every CONNECT is checked by a {@link StompAuthenticationInterceptor}, and
 * {@link BrokerSessions} keeps the open WebSocket sessions so that a user's link can be dropped. What the broker
 * sends a session reaches it in the order it was published (the bot's read receipt, typing and answer). Frames from
 * a session are still handled by a pool of threads: Spring's option to keep their order would send them on through
 * a queue, and a CONNECT rejected by the interceptor would then get no {@code ERROR} frame (tried: the client
 * waited out its connect timeout).
 *
 * @author CometChat
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class WebSocketBrokerConfiguration implements WebSocketMessageBrokerConfigurer {

	private static final long[] HEARTBEAT = { 10_000, 10_000 };

	private final DemoProperties properties;

	private final TaskScheduler messageBrokerTaskScheduler;

	private final MessageChannel clientOutboundChannel;

	private final BrokerSessions brokerSessions;

	/**
	 * Create the configuration.
	 * @param properties the demo properties
	 * @param messageBrokerTaskScheduler the scheduler that {@code @EnableWebSocketMessageBroker} defines, lazily
	 * since it is created from this configurer
	 * @param clientOutboundChannel the channel to the clients, lazily for the same reason
	 * @param brokerSessions the open WebSocket sessions
	 */
	WebSocketBrokerConfiguration(DemoProperties properties, @Lazy TaskScheduler messageBrokerTaskScheduler,
			@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
			BrokerSessions brokerSessions) {
		this.properties = properties;
		this.messageBrokerTaskScheduler = messageBrokerTaskScheduler;
		this.clientOutboundChannel = clientOutboundChannel;
		this.brokerSessions = brokerSessions;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/ws");
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registry) {
		registry.addDecoratorFactory(this.brokerSessions);
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic", "/queue")
			.setTaskScheduler(this.messageBrokerTaskScheduler)
			.setHeartbeatValue(HEARTBEAT);
		registry.setApplicationDestinationPrefixes("/app");
		// Otherwise the outbound channel's thread pool may reorder what reaches a session
		registry.setPreservePublishOrder(true);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		// The simple broker sends no RECEIPT for SEND; the starter's clients ask for one by default
		registration.interceptors(new StompAuthenticationInterceptor(this.properties.getUsers()),
				new SimpleBrokerReceiptInterceptor(() -> this.clientOutboundChannel));
		// One thread takes the frames in the order they came: with Spring's default pool a page's SUBSCRIBE to its
		// inbox and the SEND right after it could be handled the other way round, and the bot's answer, which the
		// simple broker keeps for nobody, reach the inbox before the subscription did. Not setPreserveReceiveOrder:
		// its ordered channel logs and swallows what an inbound interceptor throws, so a refused CONNECT would get
		// no ERROR frame
		registration.taskExecutor().corePoolSize(1).maxPoolSize(1);
	}

}
