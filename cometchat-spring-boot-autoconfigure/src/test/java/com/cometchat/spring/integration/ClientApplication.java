package com.cometchat.spring.integration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.cometchat.spring.client.CometChatConnectionStateChangedEvent;
import com.cometchat.spring.client.CometChatLoginEvent;
import com.cometchat.spring.client.ConnectionState;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * An application that uses the starter, as a user's application would: auto-configuration only.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ClientApplication {

	@Bean
	Events cometChatEvents() {
		return new Events();
	}

	/**
	 * Records the starter's application events.
	 */
	public static class Events {

		private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

		private final List<CometChatLoginEvent> logins = new CopyOnWriteArrayList<>();

		private final List<String> sessionStates = new CopyOnWriteArrayList<>();

		@EventListener
		void onStateChange(CometChatConnectionStateChangedEvent event) {
			this.states.add(event.getChange().current());
			this.sessionStates.add(event.getUid() + ":" + event.getChange().current());
		}

		@EventListener
		void onLogin(CometChatLoginEvent event) {
			this.logins.add(event);
		}

		public List<ConnectionState> states() {
			return this.states;
		}

		/**
		 * The state changes of every session as {@code uid:STATE}, in the order they were published.
		 * @return the changes
		 */
		public List<String> sessionStates() {
			return this.sessionStates;
		}

		public List<CometChatLoginEvent.Type> logins() {
			return this.logins.stream().map(CometChatLoginEvent::getType).toList();
		}

	}

}
