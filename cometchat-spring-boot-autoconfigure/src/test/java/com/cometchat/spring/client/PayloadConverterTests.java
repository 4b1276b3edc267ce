package com.cometchat.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.test.ScriptedTransport.Frame;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PayloadConverter}: the data of custom messages as the application's types, with the client's
 * {@code JsonMapper} ({@link ChatMessage#data(Class)}, {@link OutgoingMessage#custom(ReceiverType, String, String,
 * Object)}). Scripted transport.
 */
class PayloadConverterTests {

	private static final String INBOX = "cometchat-app-alice-user";

	private static final JsonMapper SNAKE_CASE = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final List<ChatMessage> received = new ArrayList<>();

	private DefaultCometChatClient connected(JsonMapper mapper) {
		DefaultCometChatClient client = CometChatClient.builder()
			.appId("app")
			.transport(this.transport)
			.scheduler(new VirtualScheduler())
			.executor(Runnable::run)
			.ioExecutor(Runnable::run)
			.callbackExecutor(Runnable::run)
			.sessionStore(new InMemorySessionStore())
			.reconnectBackOff(new FixedBackOff(1000))
			.jsonMapper(mapper)
			.build();
		client.addMessageListener("test", this.received::add);
		client.login("alice", "alice-token");
		this.transport.last().connected();
		return client;
	}

	private Frame lastChatSend() {
		List<Frame> sends = this.transport.last()
			.sends()
			.stream()
			.filter((frame) -> frame.destination().contains(".user."))
			.toList();
		return sends.get(sends.size() - 1);
	}

	@Test
	void aPayloadIsSentAsDataWrittenByTheClientsMapperAndReadBackAsTheSameRecord() {
		DefaultCometChatClient client = connected(SNAKE_CASE);
		Location sent = new Location(52.52, 13.40, "Berlin Mitte");
		client.sendMessage(OutgoingMessage.custom(ReceiverType.USER, "bob", "location", sent));
		String body = lastChatSend().body();
		assertThat(body).contains("\"data\":{").contains("\"place_name\":\"Berlin Mitte\"").doesNotContain("placeName");
		// The same body, as bob's client would receive it
		this.transport.last().deliver(INBOX, body.replace("\"sender\":\"alice\"", "\"sender\":\"bob\"")
			.replace("\"receiver\":\"bob\"", "\"receiver\":\"alice\"")
			.getBytes(StandardCharsets.UTF_8));
		ChatMessage message = this.received.get(0);
		assertThat(message.data()).containsEntry("place_name", "Berlin Mitte");
		assertThat(message.data(Location.class)).isEqualTo(sent);
	}

	@Test
	void dataThatDoesNotFitTheTypeFailsNamingTheType() {
		connected(SNAKE_CASE);
		this.transport.last()
			.deliver(INBOX, ("{\"kind\":\"message\",\"v\":1,\"id\":\"m1\",\"sender\":\"bob\",\"receiverType\":\"user\","
					+ "\"receiver\":\"alice\",\"type\":\"custom\",\"customType\":\"location\","
					+ "\"data\":{\"lat\":\"north\"},\"sentAt\":\"2026-01-01T00:00:00Z\"}")
				.getBytes(StandardCharsets.UTF_8));
		ChatMessage message = this.received.get(0);
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> message.data(Location.class))
			.withMessageContaining("message 'm1'")
			.withMessageContaining(Location.class.getName())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE));
	}

	@Test
	void aPayloadThatIsNotAJsonObjectFailsTheSendNamingItsType() {
		DefaultCometChatClient client = connected(SNAKE_CASE);
		CompletableFuture<SentMessage> sent = client
			.sendMessage(OutgoingMessage.custom(ReceiverType.USER, "bob", "note", (Object) "just a string"));
		assertThat(errorCode(sent)).isEqualTo(ErrorCode.INVALID_ARGUMENT);
		assertThat(sent).failsWithin(java.time.Duration.ZERO)
			.withThrowableThat()
			.withMessageContaining("java.lang.String");
	}

	@Test
	void dataMadeByHandIsReadWithTheDefaultMapper() {
		ChatMessage message = new ChatMessage("m1", "bob", ReceiverType.USER, "alice", OutgoingMessage.CUSTOM, null,
				"location", Map.of("lat", 1.5, "lng", 2.5, "placeName", "here"), Instant.EPOCH);
		assertThat(message.data(Location.class)).isEqualTo(new Location(1.5, 2.5, "here"));
	}

	@Test
	void aMessageHasEitherDataOrAPayload() {
		OutgoingMessage message = OutgoingMessage.custom(ReceiverType.GROUP, "g1", "location",
				new Location(1, 2, "x"));
		assertThat(message.data()).isEmpty();
		assertThat(message.payload()).isEqualTo(new Location(1, 2, "x"));
		assertThat(message.withPayloadConverted(new PayloadConverter(SNAKE_CASE)).data())
			.containsEntry("place_name", "x");
	}

	record Location(double lat, double lng, String placeName) {
	}

}
