package com.cometchat.spring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.annotation.CometChatListener;
import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.TypingIndicator;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @CometChatListener} methods of an application that hear real messages through a broker, and the data of
 * custom messages as the application's records through the application's {@code JsonMapper}. Subclasses supply the
 * broker.
 */
abstract class AbstractListenerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static TestBroker broker;

	private final String run = UUID.randomUUID().toString().substring(0, 6);

	private final List<DefaultCometChatClient> clients = new ArrayList<>();

	abstract TestBroker createBroker();

	@BeforeEach
	void startBroker() {
		if (broker == null) {
			broker = createBroker();
		}
		broker.start();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(DefaultCometChatClient::close);
	}

	@AfterAll
	static void closeBroker() {
		if (broker != null) {
			broker.close();
			broker = null;
		}
	}

	private String uid(String name) {
		return name + "-" + this.run;
	}

	private ApplicationContextRunner application() {
		broker.addUser(uid("bot"), "bot-token");
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CometChatAutoConfiguration.class))
			.withUserConfiguration(Bot.class)
			.withPropertyValues("cometchat.url=" + broker.url(), "cometchat.app-id=it",
					"cometchat.user.uid=" + uid("bot"), "cometchat.user.auth-token=bot-token",
					"cometchat.reconnect.initial-interval=100ms");
	}

	/** A user on a client of their own, outside the application, with a default mapper. */
	private DefaultCometChatClient user(String name, List<ChatMessage> inbox) throws Exception {
		String uid = uid(name);
		broker.addUser(uid, uid + "-token");
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2.0);
		backOff.setMaxInterval(1000);
		DefaultCometChatClient client = CometChatClient.builder()
			.url(URI.create(broker.url()))
			.appId("it")
			.sessionStore(new InMemorySessionStore())
			.reconnectBackOff(backOff)
			.build();
		this.clients.add(client);
		client.addMessageListener("inbox", inbox::add);
		client.start();
		client.login(uid, uid + "-token").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		return client;
	}

	@Test
	void annotatedMethodsHearRealMessagesAndCustomDataIsReadAndWrittenWithTheApplicationsMapper() {
		application().run((context) -> {
			CometChatClient bot = context.getBean(CometChatClient.class);
			await().atMost(TIMEOUT).until(() -> bot.getConnectionState() == ConnectionState.CONNECTED);
			Bot listeners = context.getBean(Bot.class);
			List<ChatMessage> alicesInbox = new CopyOnWriteArrayList<>();
			DefaultCometChatClient alice = user("alice", alicesInbox);
			alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bot"), "hello"))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			// Written by a client with a default mapper, in the application's naming
			alice.sendMessage(OutgoingMessage.custom(ReceiverType.USER, uid("bot"), "location",
					Map.of("lat", 52.52, "lng", 13.4, "place_name", "Mitte")))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			alice.startTyping(ReceiverType.USER, uid("bot")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(TIMEOUT)
				.until(() -> listeners.texts.size() == 1 && listeners.locations.size() == 1
						&& !listeners.typing.isEmpty());
			assertThat(listeners.texts).containsExactly(uid("alice") + ": hello");
			assertThat(listeners.locations).containsExactly(new Location(52.52, 13.4, "Mitte"));
			assertThat(listeners.typing).containsExactly(uid("alice") + " started");
			// Written by the application, with its mapper
			bot.sendMessage(OutgoingMessage.custom(ReceiverType.USER, uid("alice"), "location",
					new Location(48.1, 11.6, "Altstadt")))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(TIMEOUT).until(() -> alicesInbox.size() == 1);
			assertThat(alicesInbox.get(0).data()).containsEntry("place_name", "Altstadt");
		});
	}

	@Test
	void aMethodWithAUidHearsTheMessagesOfEverySessionOfTheConnectionManager() {
		application().run((context) -> {
			broker.addUser(uid("helper"), "helper-token");
			CometChatConnectionManager manager = context.getBean(CometChatConnectionManager.class);
			manager.login(uid("helper"), "helper-token").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			CometChatClient bot = context.getBean(CometChatClient.class);
			await().atMost(TIMEOUT).until(() -> bot.getConnectionState() == ConnectionState.CONNECTED);
			DefaultCometChatClient alice = user("alice", new CopyOnWriteArrayList<>());
			alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("helper"), "to the helper"))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bot"), "to the bot"))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			Bot listeners = context.getBean(Bot.class);
			await().atMost(TIMEOUT).until(() -> listeners.sessions.size() == 2);
			assertThat(listeners.sessions).containsExactlyInAnyOrder(uid("helper") + ": to the helper",
					uid("bot") + ": to the bot");
		});
	}

	record Location(double lat, double lng, String placeName) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Bot {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<Location> locations = new CopyOnWriteArrayList<>();

		final List<String> typing = new CopyOnWriteArrayList<>();

		final List<String> sessions = new CopyOnWriteArrayList<>();

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		}

		@CometChatListener(type = "text")
		void text(ChatMessage message) {
			this.texts.add(message.sender() + ": " + message.text());
		}

		@CometChatListener(customType = "location")
		void located(ChatMessage message) {
			this.locations.add(message.data(Location.class));
		}

		@CometChatListener(receiverType = ReceiverType.USER)
		void typing(TypingIndicator typing) {
			this.typing.add(typing.sender() + (typing.started() ? " started" : " ended"));
		}

		@CometChatListener(type = "text")
		void session(String uid, ChatMessage message) {
			this.sessions.add(uid + ": " + message.text());
		}

	}

}
