package com.cometchat.spring.health;

import java.net.URI;
import java.time.Duration;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CometChatHealthIndicator}.
 */
class CometChatHealthIndicatorTests {

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final DefaultCometChatClient client = CometChatClient.builder()
		.transport(this.transport)
		.scheduler(this.scheduler)
		.executor(Runnable::run)
		.ioExecutor(Runnable::run)
		.callbackExecutor(Runnable::run)
		.reconnectBackOff(new FixedBackOff(2000))
		.build();

	private final CometChatHealthIndicator indicator = new CometChatHealthIndicator(this.client,
			URI.create("wss://guest:pa55word@broker.example:15674/ws?token=abc#frag"));

	@Test
	void unknownBeforeTheFirstConnect() {
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("state", com.cometchat.spring.client.ConnectionState.INITIALIZED)
			.containsEntry("status", "disconnected")
			.doesNotContainKey("user");
	}

	@Test
	void upWhenConnectedWithUserAndUrlWithoutSecrets() {
		this.client.login("bot-1", "secret-token");
		this.transport.last().connected();
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("user", "bot-1")
			.containsEntry("url", "wss://broker.example:15674/ws")
			.containsEntry("since", this.scheduler.now())
			.doesNotContainKeys("attempt", "retryIn", "lastError");
		assertThat(health.toString()).doesNotContain("secret-token").doesNotContain("pa55word").doesNotContain("abc");
	}

	@Test
	void downWhileReconnectingWithAttemptRetryAndLastError() {
		this.client.login("bot-1", "secret-token");
		this.transport.last().connected();
		this.transport.last().dropped();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("attempt", 2)
			.containsEntry("retryIn", Duration.ofSeconds(2))
			.containsEntry("lastError", "CONNECT_FAILED: scripted CONNECT_FAILED");
	}

	@Test
	void downWhenFailed() {
		this.client.login("bot-1", "secret-token");
		this.transport.last().rejected();
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("lastError", "AUTH_REJECTED: scripted AUTH_REJECTED");
	}

	@Test
	void downWhileConnectingAndUnknownAfterDisconnect() {
		this.client.login("bot-1", "secret-token");
		assertThat(this.indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
		this.transport.last().connected();
		this.client.disconnect();
		assertThat(this.indicator.health(true).getStatus()).isEqualTo(Status.UNKNOWN);
	}

	@Test
	void downWhileTheSavedSessionCannotBeLoaded() {
		InMemorySessionStore down = new InMemorySessionStore() {

			@Override
			public java.util.Optional<com.cometchat.spring.session.StoredSession> load(String appId) {
				throw new IllegalStateException("database unavailable");
			}

		};
		DefaultCometChatClient client = CometChatClient.builder()
			.transport(this.transport)
			.scheduler(this.scheduler)
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.callbackExecutor(Runnable::run)
			.sessionStore(down)
			.build();
		client.start();
		Health health = new CometChatHealthIndicator(client, URI.create("ws://broker.example/ws")).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", com.cometchat.spring.client.ConnectionState.INITIALIZED)
			.hasEntrySatisfying("lastError",
					(error) -> assertThat((String) error).startsWith("SESSION_STORE_ERROR: ").contains("database unavailable"));
	}

}
