package com.cometchat.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MessageCodec}: the bodies it writes, and what it makes of the bodies others write.
 */
class MessageCodecTests {

	private static final Instant SENT_AT = Instant.parse("2026-01-01T00:00:00Z");

	private final MessageCodec codec = new MessageCodec();

	private Object read(String json) {
		return this.codec.read(json.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aTextMessageIsWrittenInTheDocumentedFormAndReadBack() {
		ChatMessage message = new ChatMessage("m1", "alice", ReceiverType.USER, "bob", "text", "hi \"there\"", null,
				Map.of(), SENT_AT);
		byte[] written = this.codec.write(message);
		assertThat(new String(written, StandardCharsets.UTF_8))
			.isEqualTo("{\"kind\":\"message\",\"v\":1,\"id\":\"m1\",\"sender\":\"alice\",\"receiverType\":\"user\","
					+ "\"receiver\":\"bob\",\"type\":\"text\",\"text\":\"hi \\\"there\\\"\","
					+ "\"sentAt\":\"2026-01-01T00:00:00Z\"}");
		assertThat(this.codec.read(written)).isEqualTo(message);
	}

	@Test
	void aCustomMessageKeepsItsNestedData() {
		ChatMessage message = new ChatMessage("m2", "alice", ReceiverType.GROUP, "g1", "custom", null, "location",
				Map.of("lat", 1.5, "tags", List.of("a", "b"), "nested", Map.of("x", 1)), SENT_AT);
		assertThat(this.codec.read(this.codec.write(message))).isEqualTo(message);
	}

	@Test
	void unknownFieldsAreIgnoredAndTheLastOfARepeatedNameWins() {
		Object read = read("{\"kind\":\"message\",\"extra\":{\"deep\":[1,{\"a\":2}]},\"id\":\"first\",\"id\":\"m3\","
				+ "\"sender\":\"bob\",\"receiverType\":\"GROUP\",\"receiver\":\"g1\",\"type\":\"text\",\"text\":42,"
				+ "\"data\":\"not an object\",\"sentAt\":\"2026-01-01T00:00:00Z\"}");
		assertThat(read).isEqualTo(new ChatMessage("m3", "bob", ReceiverType.GROUP, "g1", "text", "42", null,
				Map.of(), SENT_AT));
	}

	@Test
	void presenceIsReadBack() {
		UserPresence presence = new UserPresence("alice", false, "agent", SENT_AT);
		assertThat(this.codec.read(this.codec.write(presence, null)))
			.isEqualTo(new MessageCodec.Presence(presence, null));
	}

	@Test
	void presenceCarriesHowOftenItIsAnnouncedAgain() {
		UserPresence presence = new UserPresence("alice", true, null, SENT_AT);
		byte[] body = this.codec.write(presence, Duration.ofSeconds(15));
		assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"every\":\"PT15S\"");
		assertThat(this.codec.read(body)).isEqualTo(new MessageCodec.Presence(presence, Duration.ofSeconds(15)));
	}

	@Test
	void aPresenceWhoseIntervalIsNotAPositiveDurationIsUnreadable() {
		for (String every : new String[] { "15s", "PT0S", "-PT15S" }) {
			assertThatExceptionOfType(CometChatException.class).as(every)
				.isThrownBy(() -> read("{\"kind\":\"presence\",\"uid\":\"a\",\"status\":\"online\","
						+ "\"at\":\"2026-01-01T00:00:00Z\",\"every\":\"" + every + "\"}"))
				.withMessage("Unreadable message: 'every' is not a positive ISO-8601 duration: " + every);
		}
	}

	@Test
	void ourOwnFormOfAnInstantIsReadAsInstantParseReadsIt() {
		java.util.Random random = new java.util.Random(42);
		for (int i = 0; i < 10_000; i++) {
			Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
					(i % 3 == 0) ? 0 : (i % 3 == 1) ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000_000));
			String text = instant.toString();
			assertThat(MessageCodec.utcInstant(text)).as(text).isEqualTo(Instant.parse(text));
		}
		assertThat(MessageCodec.utcInstant("2026-01-01T00:00:00.5Z")).isEqualTo(Instant.parse("2026-01-01T00:00:00.5Z"));
	}

	@Test
	void anInstantIsWrittenAsInstantToStringWritesIt() {
		java.util.Random random = new java.util.Random(7);
		for (int i = 0; i < 20_000; i++) {
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1_000;
				default -> random.nextInt(1_000_000_000);
			};
			// Years -1000 to 12000: those outside 0000-9999 are toString()'s own
			Instant instant = Instant.ofEpochSecond(random.nextLong(-93_700_000_000L, 316_500_000_000L), nanos);
			assertThat(MessageCodec.utcText(instant)).isEqualTo(instant.toString());
		}
		for (String text : new String[] { "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
				"-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59.100Z",
				"2024-02-29T12:00:00.000001Z" }) {
			assertThat(MessageCodec.utcText(Instant.parse(text))).isEqualTo(text);
		}
	}

	@Test
	void otherFormsOfAnInstantAreLeftToInstantParse() {
		assertThat(MessageCodec.utcInstant("2026-01-01T00:00:00+01:00")).isNull();
		assertThat(MessageCodec.utcInstant("2026-02-30T00:00:00Z")).isNull();
		assertThat(MessageCodec.utcInstant("2026-01-01T24:00:00Z")).isNull();
		assertThat(MessageCodec.utcInstant("2026-01-01T00:00:00.Z")).isNull();
		assertThat(MessageCodec.utcInstant("2026-01-01T00:00:00.1234567890Z")).isNull();
		assertThat(MessageCodec.utcInstant("2026-0a-01T00:00:00Z")).isNull();
		assertThat(MessageCodec.utcInstant("+12026-01-01T00:00:00Z")).isNull();
		Object read = read("{\"kind\":\"presence\",\"uid\":\"a\",\"status\":\"online\","
				+ "\"at\":\"2026-01-01T01:00:00+01:00\"}");
		assertThat(((MessageCodec.Presence) read).presence().at()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void unreadableBodiesSayWhy() {
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> read("not json"))
			.withMessageStartingWith("Unreadable message: not JSON");
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> read("[1,2]"))
			.withMessage("Unreadable message: not JSON: expected an object");
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> read("{\"kind\":\"message\",\"id\":\"x\"}"))
			.withMessage("Unreadable message: 'sender' is missing");
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> read("{\"id\":\"x\"}"))
			.withMessage("Unreadable message: 'kind' is missing");
		assertThatExceptionOfType(CometChatException.class)
			.isThrownBy(() -> read("{\"kind\":\"message\",\"id\":\"x\",\"sender\":\"a\",\"receiverType\":\"channel\"}"))
			.withMessage("Unreadable message: unknown receiverType 'channel'");
		assertThatExceptionOfType(CometChatException.class)
			.isThrownBy(() -> read("{\"kind\":\"presence\",\"uid\":\"a\",\"status\":\"away\",\"at\":\"x\"}"))
			.withMessage("Unreadable message: unknown status 'away'");
		assertThatExceptionOfType(CometChatException.class)
			.isThrownBy(() -> read("{\"kind\":\"group\",\"id\":\"e\",\"action\":\"promoted\"}"))
			.withMessage("Unreadable message: unknown group action 'promoted'");
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> read("{\"kind\":\"message\",\"id\":\"m\","
				+ "\"sender\":\"b\",\"receiverType\":\"user\",\"receiver\":\"a\",\"type\":\"text\",\"sentAt\":\"soon\"}"))
			.withMessage("Unreadable message: 'sentAt' is not an ISO-8601 instant: soon");
		assertThatExceptionOfType(CometChatException.class).isThrownBy(() -> read("{\"kind\":\"message\""))
			.withMessageStartingWith("Unreadable message: not JSON");
	}

	@Test
	void aKindOrAProtocolVersionThisClientDoesNotKnowIsIgnoredNotAnError() {
		assertThat(read("{\"kind\":\"poll\",\"question\":\"lunch?\"}"))
			.isEqualTo(new MessageCodec.Ignored("kind 'poll'"));
		assertThat(read("{\"kind\":\"message\",\"v\":2,\"id\":\"m\"}"))
			.isEqualTo(new MessageCodec.Ignored("kind 'message' of protocol version 2"));
		assertThat(read("{\"kind\":\"presence\",\"v\":\"1\",\"uid\":\"a\",\"status\":\"online\","
				+ "\"at\":\"2026-01-01T00:00:00Z\"}")).isInstanceOf(MessageCodec.Presence.class);
	}

	@Test
	void everyEventIsWrittenWithItsKindAndVersionAndReadBack() {
		TypingIndicator typing = new TypingIndicator("alice", ReceiverType.GROUP, "g1", Map.of("draft", true), SENT_AT,
				true);
		assertThat(read(this.codec.write(typing))).isEqualTo(typing);
		TypingIndicator ended = new TypingIndicator("alice", ReceiverType.GROUP, "g1", Map.of(), SENT_AT, false);
		assertThat(read(this.codec.write(ended))).isEqualTo(ended);
		TransientMessage transientMessage = new TransientMessage("alice", ReceiverType.USER, "bob", Map.of("x", 1),
				SENT_AT);
		assertThat(read(this.codec.write(transientMessage))).isEqualTo(transientMessage);
		MessageReceipt receipt = new MessageReceipt("m1", "bob", ReceiverType.GROUP, "g1", MessageReceipt.Type.READ,
				SENT_AT);
		assertThat(read(this.codec.write("r1", receipt))).isEqualTo(new MessageCodec.Durable("r1", receipt));
		MessageEdit edit = new MessageEdit("m1", "alice", ReceiverType.USER, "bob", "fixed", SENT_AT);
		assertThat(read(this.codec.write("e1", edit))).isEqualTo(new MessageCodec.Durable("e1", edit));
		MessageEdit deletion = new MessageEdit("m1", "alice", ReceiverType.USER, "bob", null, SENT_AT);
		assertThat(new String(this.codec.write("e2", deletion), StandardCharsets.UTF_8))
			.startsWith("{\"kind\":\"delete\",\"v\":1,");
		assertThat(read(this.codec.write("e2", deletion))).isEqualTo(new MessageCodec.Durable("e2", deletion));
		MessageReaction reaction = new MessageReaction("m1", "👍", "bob", ReceiverType.GROUP, "g1", false, SENT_AT);
		assertThat(read(this.codec.write("x1", reaction))).isEqualTo(new MessageCodec.Durable("x1", reaction));
		for (GroupMemberEvent.Action action : GroupMemberEvent.Action.values()) {
			GroupMemberEvent member = new GroupMemberEvent(action, "g1", "bob", "admin", "moderator", SENT_AT);
			assertThat(read(this.codec.write("g-" + action, member)))
				.isEqualTo(new MessageCodec.Durable("g-" + action, member));
		}
	}

	private Object read(byte[] payload) {
		return this.codec.read(payload);
	}

}
