package com.cometchat.spring.broker;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * For applications that host Spring's simple STOMP broker for CometChat clients: answers a {@code SEND} that asks
 * for a receipt with a {@code RECEIPT} once the broker handled it. Spring's simple broker sends no receipts for
 * {@code SEND} (only for {@code DISCONNECT}), so a client with receipts on ({@code cometchat.receipts=true}, the
 * default) would otherwise fail every send with {@code RECEIPT_TIMEOUT}. Full brokers (RabbitMQ, ActiveMQ Artemis)
 * answer receipts themselves.
 *
 * <pre class="code">
 * &#64;Override
 * public void configureClientInboundChannel(ChannelRegistration registration) {
 *     registration.interceptors(new SimpleBrokerReceiptInterceptor(() -&gt; this.clientOutboundChannel));
 * }
 * </pre>
 *
 * The client inbound channel must have an executor (it has by default), since receipts are sent after handling.
 *
 * @author CometChat
 */
public class SimpleBrokerReceiptInterceptor implements ExecutorChannelInterceptor {

	private final Supplier<MessageChannel> clientOutboundChannel;

	/**
	 * Create an interceptor.
	 * @param clientOutboundChannel supplies the {@code clientOutboundChannel}, looked up lazily to avoid a cycle
	 * between the channels' configuration and this interceptor
	 */
	public SimpleBrokerReceiptInterceptor(Supplier<MessageChannel> clientOutboundChannel) {
		this.clientOutboundChannel = clientOutboundChannel;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			@Nullable Exception ex) {
		if (ex != null || !(handler instanceof AbstractBrokerMessageHandler)) {
			return;
		}
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() != StompCommand.SEND || accessor.getReceipt() == null) {
			return;
		}
		StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
		receipt.setReceiptId(accessor.getReceipt());
		receipt.setSessionId(accessor.getSessionId());
		receipt.setLeaveMutable(true);
		this.clientOutboundChannel.get().send(MessageBuilder.createMessage(new byte[0], receipt.getMessageHeaders()));
	}

}
