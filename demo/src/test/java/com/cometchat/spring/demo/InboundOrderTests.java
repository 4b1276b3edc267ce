package com.cometchat.spring.demo;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the demo's broker handles the frames its clients send one at a time, in the order they came: the chat
 * page subscribes to its inbox and sends right after, and Spring's simple broker keeps nothing for a destination
 * nobody subscribes to yet. Spring's default is a pool of twice the cores, which may handle a SEND before the SUBSCRIBE
 * written before it. (A test that sent right after subscribing, 300 times, did not catch the default's reordering on
 * this machine: the window is short. So this one checks the setting.)
 *
 * @author CometChat
 */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:demo-order")
class InboundOrderTests {

	@Autowired
	@Qualifier("clientInboundChannel")
	private ExecutorSubscribableChannel clientInboundChannel;

	@Test
	void theBrokerTakesTheFramesOfItsClientsOnOneThreadInTheOrderTheyCame() {
		assertThat(this.clientInboundChannel.getExecutor()).isInstanceOfSatisfying(ThreadPoolTaskExecutor.class,
				(executor) -> {
					assertThat(executor.getCorePoolSize()).isOne();
					assertThat(executor.getMaxPoolSize()).isOne();
				});
	}

}
