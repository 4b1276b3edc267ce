package com.cometchat.spring.demo;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StompAuthenticationInterceptor}'s stamp of the sender on every SEND.
 */
class StompAuthenticationInterceptorTests {

	private final StompAuthenticationInterceptor interceptor = new StompAuthenticationInterceptor(
			Map.of("alice", "alice-token"));

	@Test
	void aSendCarriesItsSessionsUserAsUserIdWhateverTheClientWrote() {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.SEND);
		accessor.setDestination("/queue/cometchat.demo.user.bob");
		accessor.setNativeHeader("user-id", "bob");
		Principal alice = () -> "alice";
		accessor.setUser(alice);
		accessor.setLeaveMutable(true);
		Message<byte[]> send = MessageBuilder.createMessage("{}".getBytes(StandardCharsets.UTF_8),
				accessor.getMessageHeaders());
		Message<?> stamped = this.interceptor.preSend(send, null);
		assertThat(StompHeaderAccessor.wrap(stamped).getFirstNativeHeader("user-id")).isEqualTo("alice");
		assertThat(StompHeaderAccessor.wrap(stamped).getDestination()).isEqualTo("/queue/cometchat.demo.user.bob");
	}

	@Test
	void aSendOfASessionWithoutAUserCarriesNoUserId() {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.SEND);
		accessor.setNativeHeader("user-id", "bob");
		accessor.setLeaveMutable(true);
		Message<byte[]> send = MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
		assertThat(StompHeaderAccessor.wrap(this.interceptor.preSend(send, null)).getFirstNativeHeader("user-id"))
			.isNull();
	}

}
