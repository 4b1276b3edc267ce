package com.cometchat.spring.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.demo.DemoBot.Start;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bot's connection for the page: its state and timeline as JSON, and manual control through the starter's API.
 *
 * <ul>
 * <li>{@code GET /demo/bot/connection}: state, attempt, last error, mode and the last changes.
 * <li>{@code POST /demo/bot/disconnect} and {@code POST /demo/bot/connect}: {@link CometChatClient#disconnect()} and
 * {@link CometChatClient#connect()}, answered when they complete.
 * <li>{@code POST /demo/bot/drop}: closes the bot's WebSocket from the broker's side, so the client reconnects by
 * itself.
 * </ul>
 *
 * @author CometChat
 */
@RestController
@RequestMapping("/demo/bot")
class BotConnectionController {

	private final CometChatClient client;

	private final DemoBot bot;

	private final BotConnectionTimeline timeline;

	private final BrokerSessions brokerSessions;

	private final String botUid;

	BotConnectionController(CometChatClient client, DemoBot bot, BotConnectionTimeline timeline,
			BrokerSessions brokerSessions, DemoProperties properties) {
		this.client = client;
		this.bot = bot;
		this.timeline = timeline;
		this.brokerSessions = brokerSessions;
		this.botUid = properties.getBot().getUid();
	}

	@GetMapping("/connection")
	BotConnection connection() {
		ConnectionSnapshot snapshot = this.client.getConnectionSnapshot();
		List<ConnectionStateChange> changes = this.timeline.changes();
		Failure lastError = changes.stream()
			.filter((change) -> change.reason() != null)
			.reduce((first, second) -> second)
			.map((change) -> Failure.of(change.reason(), change.timestamp()))
			.orElseGet(() -> (snapshot.lastError() != null) ? Failure.of(snapshot.lastError(), snapshot.since())
					: null);
		CompletableFuture<Start> started = this.bot.started();
		Start start = (started.isDone() && !started.isCompletedExceptionally()) ? started.join() : null;
		return new BotConnection(this.client.getLoggedInUser().map(CometChatUser::uid).orElse(this.botUid), start,
				this.bot.isAutoEstablishSocketConnection(), snapshot.state(), snapshot.state().status(),
				snapshot.since(), snapshot.attempt(), millis(snapshot.retryIn()), lastError, this.timeline.reconnects(),
				this.timeline.startedAt(), Instant.now(), changes.stream().map(Change::of).toList());
	}

	@PostMapping("/disconnect")
	CompletableFuture<BotConnection> disconnect() {
		return this.client.disconnect().thenApply((disconnected) -> connection());
	}

	@PostMapping("/connect")
	CompletableFuture<BotConnection> connect() {
		return this.client.connect().thenApply((connected) -> connection());
	}

	@PostMapping("/drop")
	ResponseEntity<?> drop() {
		if (this.brokerSessions.drop(this.botUid) == 0) {
			return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "The bot '" + this.botUid
					+ "' has no WebSocket session on this application's broker (its state is "
					+ this.client.getConnectionState() + ")"))
				.build();
		}
		return ResponseEntity.accepted().body(connection());
	}

	@ExceptionHandler
	ProblemDetail failed(CometChatException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setProperty("code", ex.getCode());
		return problem;
	}

	private static @Nullable Long millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() : null;
	}

	/**
	 * The bot's connection as the page shows it.
	 *
	 * @param uid the bot's uid
	 * @param start how the bot got its session in this run: a new login, or restored from the database
	 * @param autoEstablishSocketConnection the {@code cometchat.auto-establish-socket-connection} mode
	 * @param state the current state
	 * @param status the state in CometChat's words
	 * @param since when the current state was entered
	 * @param attempt the current reconnect attempt
	 * @param retryInMillis the delay before the next attempt while reconnecting
	 * @param lastError the most recent failure, also after a successful reconnect
	 * @param reconnects how many times the connection went to {@code RECONNECTING} since the application started
	 * @param startedAt when the timeline started
	 * @param now the server's time, the right end of the timeline
	 * @param changes the last changes, oldest first
	 */
	record BotConnection(String uid, @Nullable Start start, boolean autoEstablishSocketConnection, ConnectionState state, String status,
			Instant since, int attempt, @Nullable Long retryInMillis, @Nullable Failure lastError, int reconnects,
			Instant startedAt, Instant now, List<Change> changes) {

	}

	/**
	 * One change on the timeline.
	 *
	 * @param previous the state before
	 * @param current the state after
	 * @param at when it happened
	 * @param attempt the reconnect attempt
	 * @param retryInMillis the delay before the next attempt, when reconnecting
	 * @param reason why, when it was a failure
	 */
	record Change(ConnectionState previous, ConnectionState current, Instant at, int attempt,
			@Nullable Long retryInMillis, @Nullable Failure reason) {

		static Change of(ConnectionStateChange change) {
			CometChatException reason = change.reason();
			return new Change(change.previous(), change.current(), change.timestamp(), change.attempt(),
					millis(change.retryIn()), (reason != null) ? Failure.of(reason, change.timestamp()) : null);
		}

	}

	/**
	 * A failure of the connection.
	 *
	 * @param code the error code
	 * @param message the message
	 * @param at when it happened
	 */
	record Failure(String code, String message, Instant at) {

		static Failure of(CometChatException ex, Instant at) {
			return new Failure(ex.getCode().name(), String.valueOf(ex.getMessage()), at);
		}

	}

}
