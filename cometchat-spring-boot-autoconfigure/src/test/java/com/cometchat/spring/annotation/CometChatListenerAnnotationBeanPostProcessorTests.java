package com.cometchat.spring.annotation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatClientBuilderCustomizer;
import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatMessageEvent;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.GroupMemberEvent;
import com.cometchat.spring.client.MessageReceipt;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.TypingIndicator;
import com.cometchat.spring.client.UserPresence;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CometChatListenerAnnotationBeanPostProcessor}: which methods hear what, their filters, where their
 * failures go, and the signatures that fail the start. The auto-configured client on a scripted transport, with every
 * executor direct, so that what arrives has been heard when {@code deliver} returns.
 */
@ExtendWith(OutputCaptureExtension.class)
class CometChatListenerAnnotationBeanPostProcessorTests {

	private static final String INBOX = "cometchat-default-svc-user";

	private final ScriptedTransport transport = new ScriptedTransport();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CometChatAutoConfiguration.class))
		.withPropertyValues("cometchat.url=ws://localhost:15674/ws", "cometchat.user.uid=svc",
				"cometchat.user.auth-token=svc-token")
		.withBean(CometChatClientBuilderCustomizer.class, () -> (builder) -> builder.transport(this.transport)
			.scheduler(new VirtualScheduler())
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.storeExecutor(Runnable::run)
			.callbackExecutor(Runnable::run)
			.sessionStore(new InMemorySessionStore()));

	private ScriptedTransport.@Nullable Connection connectionOf(String uid) {
		return this.transport.connections()
			.stream()
			.filter((connection) -> connection.credentials().uid().equals(uid))
			.reduce((first, second) -> second)
			.orElse(null);
	}

	private void deliver(String subscription, String json) {
		this.transport.last().deliver(subscription, json.getBytes(StandardCharsets.UTF_8));
	}

	private static String message(String id, String receiverType, String receiver, String type, String extra) {
		return "{\"kind\":\"message\",\"v\":1,\"id\":\"" + id + "\",\"sender\":\"bob\",\"receiverType\":\""
				+ receiverType + "\",\"receiver\":\"" + receiver + "\",\"type\":\"" + type + "\"" + extra
				+ ",\"sentAt\":\"2026-01-01T00:00:00Z\"}";
	}

	private static String text(String id, String receiverType, String receiver) {
		return message(id, receiverType, receiver, "text", ",\"text\":\"hi\"");
	}

	private static String custom(String id, String customType) {
		return message(id, "user", "svc", "custom", ",\"customType\":\"" + customType + "\",\"data\":{\"x\":1}");
	}

	private static String event(String kind, String fields) {
		return "{\"kind\":\"" + kind + "\",\"v\":1," + fields + ",\"at\":\"2026-01-01T00:00:00Z\"}";
	}

	@Test
	void eachMethodHearsWhatItsParameterSaysInOrderOnTheClient() {
		this.contextRunner.withUserConfiguration(EveryKind.class).run((context) -> {
			this.transport.last().connected();
			EveryKind listeners = context.getBean(EveryKind.class);
			assertThat(listeners.heard).contains("state CONNECTED");
			listeners.heard.clear();
			deliver(INBOX, text("m1", "user", "svc"));
			deliver(INBOX, event("typing", "\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"user\","
					+ "\"receiver\":\"svc\""));
			deliver(INBOX, event("typing", "\"status\":\"ended\",\"sender\":\"bob\",\"receiverType\":\"user\","
					+ "\"receiver\":\"svc\""));
			deliver(INBOX, event("receipt", "\"id\":\"r1\",\"receipt\":\"read\",\"messageId\":\"m0\","
					+ "\"sender\":\"bob\",\"receiverType\":\"user\",\"receiver\":\"bob\""));
			assertThat(listeners.heard).containsExactly("message m1", "typing true", "typing false", "receipt READ");
		});
	}

	@Test
	void attributesFilterByTypeCustomTypeReceiverTypeAndGroup() {
		this.contextRunner.withUserConfiguration(Filtered.class).run((context) -> {
			this.transport.last().connected();
			Filtered listeners = context.getBean(Filtered.class);
			deliver(INBOX, text("m1", "user", "svc"));
			deliver(INBOX, custom("m2", "location"));
			deliver(INBOX, custom("m3", "poll"));
			deliver(INBOX, text("m4", "group", "support"));
			deliver(INBOX, text("m5", "group", "sales"));
			deliver(INBOX, event("group", "\"id\":\"g1\",\"action\":\"joined\",\"guid\":\"support\",\"uid\":\"eve\""));
			deliver(INBOX, event("group", "\"id\":\"g2\",\"action\":\"joined\",\"guid\":\"sales\",\"uid\":\"eve\""));
			// Per event in the order the methods were added, which for the methods of one class is not defined
			assertThat(listeners.heard).containsExactlyInAnyOrder("text m1", "direct m1", "location m2", "direct m2",
					"direct m3", "text m4", "support m4", "text m5", "member of support");
		});
	}

	@Test
	void aMethodThatThrowsIsLoggedWithItsNameAndTheOthersStillHear(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(Failing.class).run((context) -> {
			this.transport.last().connected();
			deliver(INBOX, text("m1", "user", "svc"));
			assertThat(context.getBean(Failing.class).heard).containsExactly("m1");
			assertThat(context.getBean(DefaultCometChatClient.class).getConnectionState())
				.isEqualTo(ConnectionState.CONNECTED);
			assertThat(output).contains("@CometChatListener method "
					+ Failing.class.getName() + ".fails(ChatMessage) of bean")
				.contains("failed on message 'm1'")
				.contains("IllegalStateException: boom");
		});
	}

	@Test
	void aMethodWithAUidOrClientHearsEverySessionOfTheConnectionManager() {
		this.contextRunner.withUserConfiguration(PerSession.class).run((context) -> {
			this.transport.last().connected();
			CometChatConnectionManager manager = context.getBean(CometChatConnectionManager.class);
			CompletableFuture<CometChatClient> bob = manager.login("bob", "bob-token");
			// The manager may still be restoring its sessions on a thread of its own: bob's socket opens after that
			await().atMost(Duration.ofSeconds(10)).until(() -> connectionOf("bob") != null);
			connectionOf("bob").connected();
			PerSession listeners = context.getBean(PerSession.class);
			connectionOf("bob").deliver("cometchat-default-bob-user",
					text("m1", "user", "bob").replace("\"sender\":\"bob\"", "\"sender\":\"carol\"")
						.getBytes(StandardCharsets.UTF_8));
			connectionOf("svc").deliver(INBOX, text("m2", "user", "svc").getBytes(StandardCharsets.UTF_8));
			assertThat(listeners.heard).containsExactly("bob m1 same client", "svc m2 same client");
			assertThat(bob).isCompleted();
		});
	}

	@Test
	void messageEventsArePublishedOnlyWithTheProperty() {
		this.contextRunner.withUserConfiguration(ApplicationEvents.class).run((context) -> {
			this.transport.last().connected();
			deliver(INBOX, text("m1", "user", "svc"));
			assertThat(context.getBean(ApplicationEvents.class).heard).isEmpty();
		});
		this.contextRunner.withUserConfiguration(ApplicationEvents.class)
			.withPropertyValues("cometchat.publish-message-events=true")
			.run((context) -> {
				this.transport.last().connected();
				deliver(INBOX, text("m2", "user", "svc"));
				deliver(INBOX, event("typing", "\"status\":\"started\",\"sender\":\"bob\",\"receiverType\":\"user\","
						+ "\"receiver\":\"svc\""));
				assertThat(context.getBean(ApplicationEvents.class).heard).containsExactly("svc m2");
			});
	}

	// Signatures that cannot be served

	@Test
	void aMethodWithoutAnEventFailsTheStart() {
		assertStartFails(NoEvent.class, "NoEvent.on(String) of bean", "has no event parameter: it takes one of "
				+ "ChatMessage, UserPresence, TypingIndicator");
	}

	@Test
	void aMethodWithTwoEventsFailsTheStart() {
		assertStartFails(TwoEvents.class, "TwoEvents.on(ChatMessage, UserPresence)",
				"takes two events, ChatMessage and UserPresence");
	}

	@Test
	void aMethodWithAnotherParameterFailsTheStart() {
		assertStartFails(OtherParameter.class, "OtherParameter.on(ChatMessage, Integer)",
				"has a parameter it cannot be given: java.lang.Integer (parameter 2)");
	}

	@Test
	void aMethodThatReturnsSomethingFailsTheStart() {
		assertStartFails(Returns.class, "Returns.on(ChatMessage)", "must return void, not String");
	}

	@Test
	void anAttributeThatDoesNotApplyToTheEventFailsTheStart() {
		assertStartFails(WrongAttribute.class, "WrongAttribute.on(UserPresence)",
				"filters by customType, which only a ChatMessage has, not UserPresence");
		assertStartFails(UnknownType.class, "UnknownType.on(ChatMessage)",
				"filters by type 'image': a message is 'text' or 'custom'");
	}

	@Test
	void aMethodWithAUidFailsTheStartWithoutAConnectionManager() {
		new ApplicationContextRunner()
			.withBean(CometChatListenerAnnotationBeanPostProcessor.class)
			.withBean(CometChatClient.class, () -> CometChatClient.builder()
				.transport(this.transport)
				.scheduler(new VirtualScheduler())
				.build())
			.withUserConfiguration(PerSession.class)
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(BeanInitializationException.class)
				.hasMessageContaining("PerSession.received(String, CometChatClient, ChatMessage) of bean")
				.hasMessageContaining("there is no single CometChatConnectionManager bean"));
	}

	private void assertStartFails(Class<?> configuration, String method, String why) {
		this.contextRunner.withUserConfiguration(configuration)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@CometChatListener method " + configuration.getName())
				.hasMessageContaining(method)
				.hasMessageContaining(why));
	}

	@Configuration(proxyBeanMethods = false)
	static class EveryKind {

		final List<String> heard = new CopyOnWriteArrayList<>();

		@CometChatListener
		void message(ChatMessage message) {
			this.heard.add("message " + message.id());
		}

		@CometChatListener
		void typing(TypingIndicator typing) {
			this.heard.add("typing " + typing.started());
		}

		@CometChatListener
		void receipt(MessageReceipt receipt) {
			this.heard.add("receipt " + receipt.type());
		}

		@CometChatListener
		void presence(UserPresence presence) {
			this.heard.add("presence " + presence.uid());
		}

		@CometChatListener
		void state(ConnectionStateChange change) {
			this.heard.add("state " + change.current());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Filtered {

		final List<String> heard = new CopyOnWriteArrayList<>();

		@CometChatListener(type = "text", receiverType = ReceiverType.USER)
		void text(ChatMessage message) {
			this.heard.add("text " + message.id());
		}

		@CometChatListener(customType = "location")
		void location(ChatMessage message) {
			this.heard.add("location " + message.id());
		}

		@CometChatListener(receiverType = ReceiverType.USER)
		void direct(ChatMessage message) {
			this.heard.add("direct " + message.id());
		}

		@CometChatListener(type = "text", receiverType = ReceiverType.GROUP)
		void groupText(ChatMessage message) {
			this.heard.add("text " + message.id());
		}

		@CometChatListener(group = "support")
		void support(ChatMessage message) {
			this.heard.add("support " + message.id());
		}

		@CometChatListener(group = "support")
		void member(GroupMemberEvent event) {
			this.heard.add("member of " + event.guid());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Failing {

		final List<String> heard = new CopyOnWriteArrayList<>();

		@CometChatListener
		void fails(ChatMessage message) {
			throw new IllegalStateException("boom");
		}

		@CometChatListener
		void hears(ChatMessage message) {
			this.heard.add(message.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PerSession {

		final List<String> heard = new CopyOnWriteArrayList<>();

		private final CometChatConnectionManager manager;

		PerSession(org.springframework.beans.factory.ObjectProvider<CometChatConnectionManager> manager) {
			this.manager = manager.getIfAvailable();
		}

		@CometChatListener
		void received(String uid, CometChatClient client, ChatMessage message) {
			boolean same = this.manager.getClient(uid).orElse(null) == client;
			this.heard.add(uid + " " + message.id() + (same ? " same client" : " another client"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationEvents {

		final List<String> heard = new CopyOnWriteArrayList<>();

		@EventListener
		void on(CometChatMessageEvent<ChatMessage> event) {
			this.heard.add(event.getUid() + " " + event.getPayload().id());
		}

	}

	static class NoEvent {

		@CometChatListener
		void on(String uid) {
		}

	}

	static class TwoEvents {

		@CometChatListener
		void on(ChatMessage message, UserPresence presence) {
		}

	}

	static class OtherParameter {

		@CometChatListener
		void on(ChatMessage message, Integer number) {
		}

	}

	static class Returns {

		@CometChatListener
		String on(ChatMessage message) {
			return "reply";
		}

	}

	static class WrongAttribute {

		@CometChatListener(customType = "location")
		void on(UserPresence presence) {
		}

	}

	static class UnknownType {

		@CometChatListener(type = "image")
		void on(ChatMessage message) {
		}

	}

}
