package com.cometchat.spring.demo;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.annotation.CometChatListener;
import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * A bot that stays online through the auto-configured {@link CometChatClient} and answers messages.
 *
 * <p>When the application is ready it reconnects from the session saved by an earlier run, without a new login, or,
 * when there is none, logs in with its uid and the token from {@code demo.users}. It logs which of the two happened
 * and every change of its connection, never its token. It joins {@code demo.group} (the membership is saved with the
 * session), echoes every text message sent to it, and answers every text message in the group in the group.
 *
 * <p>It answers as a person would: it marks the message read, shows that it is typing (to the sender, or in the
 * group) for {@code demo.bot.typing-time}, answers, and stops typing. Each step starts once the previous one is
 * written, so the sender sees them in this order; a step that fails is logged and the next one goes on. The pause is
 * kept by a scheduler of the bot's own: the listener returns at once, and no thread waits it out.
 *
 * <p>It listens with {@link CometChatListener @CometChatListener} methods, which the starter adds to the client when
 * the application starts and runs on the client's callback executor, like any listener.
 *
 * @author CometChat
 */
@Component
public class DemoBot implements DisposableBean {

	private static final Log logger = LogFactory.getLog(DemoBot.class);

	private final CometChatClient client;

	private final String uid;

	private final @Nullable String authToken;

	private final String group;

	private final Duration typingTime;

	private final ScheduledExecutorService typingTimer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "demo-bot-typing");
		thread.setDaemon(true);
		return thread;
	});

	private final CompletableFuture<Start> started = new CompletableFuture<>();

	DemoBot(CometChatClient client, DemoProperties properties) {
		this.client = client;
		this.uid = properties.getBot().getUid();
		this.authToken = properties.getUsers().get(this.uid);
		this.group = properties.getGroup();
		this.typingTime = properties.getBot().getTypingTime();
	}

	@CometChatListener
	void connectionChanged(ConnectionStateChange change) {
		logger.info("Bot connection: " + change);
	}

	/**
	 * Return whether the client opens the socket by itself ({@code cometchat.auto-establish-socket-connection}).
	 * @return {@code true} in auto mode, {@code false} in manual mode
	 */
	public boolean isAutoEstablishSocketConnection() {
		return !(this.client instanceof DefaultCometChatClient defaultClient)
				|| defaultClient.isAutoEstablishSocketConnection();
	}

	/**
	 * Return how the bot got its session, once it has one.
	 * @return a future completing with how the bot started, or failing when it could not log in
	 */
	public CompletableFuture<Start> started() {
		return this.started;
	}

	/**
	 * Reconnect from the saved session, or log in when there is none. The client loads the saved session in the
	 * background when it starts (and, in auto mode, connects it): wait for it, then decide.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.client.loggedInUser().whenComplete((user, failure) -> {
			if (failure != null || user.isEmpty()) {
				login();
				return;
			}
			logger.info("Bot '" + user.get().uid() + "' reconnects from its saved session, without a new login");
			connectIfManual().whenComplete((connected, connectFailure) -> {
				if (connectFailure != null) {
					logger.warn("Bot could not reconnect: " + unwrap(connectFailure).getMessage());
				}
			});
			joinGroup();
			this.started.complete(Start.SESSION_RESTORED);
		});
	}

	private void login() {
		String authToken = this.authToken;
		if (!StringUtils.hasText(authToken)) {
			IllegalStateException failure = new IllegalStateException(
					"The bot has no auth token: set demo.users." + this.uid);
			logger.error(failure.getMessage());
			this.started.completeExceptionally(failure);
			return;
		}
		logger.info("Bot has no saved session: logging in as '" + this.uid + "'");
		this.client.login(this.uid, authToken)
			.thenCompose((user) -> connectIfManual().thenApply((connected) -> user))
			.whenComplete((user, failure) -> {
				if (failure != null) {
					logger.error("Bot login as '" + this.uid + "' failed: " + unwrap(failure).getMessage());
					this.started.completeExceptionally(unwrap(failure));
					return;
				}
				logger.info("Bot logged in as '" + user.uid() + "': new session saved");
				joinGroup();
				this.started.complete(Start.LOGGED_IN);
			});
	}

	/**
	 * With {@code cometchat.auto-establish-socket-connection=false} a login does not connect by itself.
	 */
	private CompletableFuture<Void> connectIfManual() {
		return isAutoEstablishSocketConnection() ? CompletableFuture.completedFuture(null) : this.client.connect();
	}

	/**
	 * Join the group; a session restored from an earlier run is already a member, and joining again does nothing.
	 */
	private void joinGroup() {
		this.client.joinGroup(this.group).whenComplete((joined, failure) -> {
			if (failure != null) {
				logger.warn("Bot could not join group '" + this.group + "': " + unwrap(failure).getMessage());
			}
		});
	}

	/**
	 * Answer a text message, sent to the bot or in its group.
	 * @param message the message
	 */
	@CometChatListener(type = OutgoingMessage.TEXT)
	void answer(ChatMessage message) {
		boolean direct = message.receiverType() == ReceiverType.USER;
		ReceiverType where = message.receiverType();
		String to = direct ? message.sender() : message.receiver();
		OutgoingMessage reply = OutgoingMessage.text(where, to,
				direct ? "Echo: " + message.text() : message.sender() + " said: " + message.text());
		this.client.markAsRead(message)
			.handle((read, failure) -> warnIf(failure, "could not mark a message of " + message.sender() + " read"))
			.thenCompose((read) -> this.client.startTyping(where, to))
			.handle((typing, failure) -> warnIf(failure, "could not start typing to " + to))
			.thenCompose((typing) -> typingPause())
			.thenCompose((paused) -> this.client.sendMessage(reply))
			.handle((sent, failure) -> warnIf(failure, "could not answer " + message.sender()))
			.thenCompose((answered) -> this.client.endTyping(where, to))
			.whenComplete((ended, failure) -> warnIf(failure, "could not end typing to " + to));
	}

	/**
	 * Complete after {@code demo.bot.typing-time}, on the bot's scheduler.
	 */
	private CompletableFuture<Void> typingPause() {
		CompletableFuture<Void> paused = new CompletableFuture<>();
		this.typingTimer.schedule(() -> paused.complete(null), this.typingTime.toNanos(), TimeUnit.NANOSECONDS);
		return paused;
	}

	private static @Nullable Void warnIf(@Nullable Throwable failure, String what) {
		if (failure != null) {
			logger.warn("Bot " + what + ": " + unwrap(failure).getMessage());
		}
		return null;
	}

	@Override
	public void destroy() {
		this.typingTimer.shutdownNow();
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * How the bot got its session.
	 */
	public enum Start {

		/**
		 * The client restored the session saved by an earlier run; no login was needed.
		 */
		SESSION_RESTORED,

		/**
		 * The bot logged in and the session was saved.
		 */
		LOGGED_IN

	}

}
