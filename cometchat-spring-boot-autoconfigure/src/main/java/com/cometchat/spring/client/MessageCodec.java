package com.cometchat.spring.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the JSON bodies of everything clients send each other: chat messages, presence, and the events of
 * {@code docs/protocol.md} (typing, receipts, edits and deletions, reactions, transient messages, group members).
 *
 * <pre>
 * {"kind":"message","v":1,"id":"…","sender":"alice","receiverType":"user","receiver":"bob","type":"text",
 *  "text":"hi","sentAt":"2026-11-25T10:00:00Z"}
 * {"kind":"presence","v":1,"uid":"alice","status":"online","role":"agent","at":"2026-11-25T10:00:00Z","every":"PT15S"}
 * </pre>
 *
 * A body of a kind, or of a protocol version, this client does not know is {@link Ignored}, not an error: a newer
 * client may speak to an older one.
 *
 * @author CometChat
 */
final class MessageCodec {

	/** The protocol version written, and the only one read; a body without {@code v} is version 1. */
	static final int VERSION = 1;

	/** 0000-01-01 and 9999-12-31 as epoch days: the years {@link #utcText} writes itself. */
	private static final long MIN_DAY = -719_528;

	private static final long MAX_DAY = 2_932_896;

	/** Stamped on the data of every message read, for {@link ChatMessage#data(Class)}. */
	private final PayloadConverter converter;

	MessageCodec() {
		this(PayloadConverter.DEFAULT);
	}

	MessageCodec(PayloadConverter converter) {
		this.converter = converter;
	}

	private JsonMapper mapper() {
		return Mapper.INSTANCE;
	}

	/**
	 * Return the mapper of the wire format, also the default one for the data of custom messages.
	 * @return the mapper, made on first use
	 */
	static JsonMapper defaultMapper() {
		return Mapper.INSTANCE;
	}

	/**
	 * Made on first use, not when a client is built: loading Jackson costs an application's start about 80 ms.
	 */
	private static final class Mapper {

		/** Immutable and thread-safe; one per JVM, since a mapper retains about 39 KiB (see docs/benchmarks.md). */
		static final JsonMapper INSTANCE = JsonMapper.builder().build();

	}

	byte[] write(ChatMessage message) {
		// Straight to the generator: no intermediate map (the hot path of every send)
		return write("message", (generator) -> {
			generator.writeStringProperty("id", message.id());
			generator.writeStringProperty("sender", message.sender());
			writeReceiver(generator, message.receiverType(), message.receiver());
			generator.writeStringProperty("type", message.type());
			if (message.text() != null) {
				generator.writeStringProperty("text", message.text());
			}
			if (message.customType() != null) {
				generator.writeStringProperty("customType", message.customType());
			}
			if (!message.data().isEmpty()) {
				generator.writePOJOProperty("data", message.data());
			}
			generator.writeStringProperty("sentAt", utcText(message.sentAt()));
		});
	}

	/**
	 * Write a presence.
	 * @param presence the presence
	 * @param every how often the user announces themselves online again, or {@code null} when they do not
	 * @return the body
	 */
	byte[] write(UserPresence presence, @Nullable Duration every) {
		return write("presence", (generator) -> {
			generator.writeStringProperty("uid", presence.uid());
			generator.writeStringProperty("status", presence.online() ? "online" : "offline");
			if (presence.role() != null) {
				generator.writeStringProperty("role", presence.role());
			}
			generator.writeStringProperty("at", utcText(presence.at()));
			if (every != null) {
				generator.writeStringProperty("every", every.toString());
			}
		});
	}

	byte[] write(TypingIndicator indicator) {
		return write("typing", (generator) -> {
			generator.writeStringProperty("status", indicator.started() ? "started" : "ended");
			generator.writeStringProperty("sender", indicator.sender());
			writeReceiver(generator, indicator.receiverType(), indicator.receiver());
			if (!indicator.metadata().isEmpty()) {
				generator.writePOJOProperty("data", indicator.metadata());
			}
			generator.writeStringProperty("at", utcText(indicator.at()));
		});
	}

	byte[] write(TransientMessage message) {
		return write("transient", (generator) -> {
			generator.writeStringProperty("sender", message.sender());
			writeReceiver(generator, message.receiverType(), message.receiver());
			generator.writePOJOProperty("data", message.data());
			generator.writeStringProperty("sentAt", utcText(message.sentAt()));
		});
	}

	byte[] write(String id, MessageReceipt receipt) {
		return write("receipt", (generator) -> {
			generator.writeStringProperty("id", id);
			generator.writeStringProperty("receipt",
					(receipt.type() == MessageReceipt.Type.READ) ? "read" : "delivered");
			generator.writeStringProperty("messageId", receipt.messageId());
			generator.writeStringProperty("sender", receipt.sender());
			writeReceiver(generator, receipt.receiverType(), receipt.receiver());
			generator.writeStringProperty("at", utcText(receipt.at()));
		});
	}

	byte[] write(String id, MessageEdit edit) {
		return write(edit.isDeletion() ? "delete" : "edit", (generator) -> {
			generator.writeStringProperty("id", id);
			generator.writeStringProperty("messageId", edit.messageId());
			generator.writeStringProperty("sender", edit.editor());
			writeReceiver(generator, edit.receiverType(), edit.receiver());
			if (edit.text() != null) {
				generator.writeStringProperty("text", edit.text());
			}
			generator.writeStringProperty("at", utcText(edit.at()));
		});
	}

	byte[] write(String id, MessageReaction reaction) {
		return write("reaction", (generator) -> {
			generator.writeStringProperty("id", id);
			generator.writeStringProperty("action", reaction.added() ? "added" : "removed");
			generator.writeStringProperty("messageId", reaction.messageId());
			generator.writeStringProperty("reaction", reaction.reaction());
			generator.writeStringProperty("sender", reaction.uid());
			writeReceiver(generator, reaction.receiverType(), reaction.receiver());
			generator.writeStringProperty("at", utcText(reaction.at()));
		});
	}

	byte[] write(String id, GroupMemberEvent event) {
		return write("group", (generator) -> {
			generator.writeStringProperty("id", id);
			generator.writeStringProperty("action", event.action().wireName());
			generator.writeStringProperty("guid", event.guid());
			generator.writeStringProperty("uid", event.member());
			if (event.actor() != null) {
				generator.writeStringProperty("by", event.actor());
			}
			if (event.scope() != null) {
				generator.writeStringProperty("scope", event.scope());
			}
			generator.writeStringProperty("at", utcText(event.at()));
		});
	}

	private byte[] write(String kind, Consumer<JsonGenerator> fields) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = mapper().createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty("kind", kind);
			generator.writeNumberProperty("v", VERSION);
			fields.accept(generator);
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	private static void writeReceiver(JsonGenerator generator, ReceiverType type, String receiver) {
		generator.writeStringProperty("receiverType", (type == ReceiverType.USER) ? "user" : "group");
		generator.writeStringProperty("receiver", receiver);
	}

	/**
	 * Read a body.
	 * @param payload the body
	 * @return a {@link ChatMessage}, a {@link Presence}, a {@link TransientMessage}, a {@link TypingIndicator}, a
	 * {@link Durable} event, or {@link Ignored} for a kind or version this client does not know
	 * @throws CometChatException with {@link ErrorCode#INVALID_MESSAGE} when it is none of these
	 */
	@SuppressWarnings("unchecked")
	Object read(byte[] payload) {
		Fields body = new Fields();
		try (JsonParser parser = mapper().createParser(payload)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid("not JSON: expected an object");
			}
			// Straight from the parser into the fields: no intermediate map (the hot path of every receive)
			String name;
			while ((name = parser.nextName()) != null) {
				JsonToken value = parser.nextToken();
				if ("data".equals(name)) {
					body.data = (value == JsonToken.START_OBJECT) ? data(parser) : skip(parser);
				}
				else {
					body.set(name, scalar(parser, value));
				}
			}
		}
		catch (JacksonException ex) {
			throw invalid("not JSON: " + ex.getOriginalMessage());
		}
		if (body.v != null && !String.valueOf(VERSION).equals(body.v)) {
			return new Ignored("kind '" + body.kind + "' of protocol version " + body.v);
		}
		String kind = required("kind", body.kind);
		return switch (kind) {
			case "message" -> new ChatMessage(required("id", body.id), required("sender", body.sender),
					receiverType(body), required("receiver", body.receiver), required("type", body.type), body.text,
					body.customType, data(body), instant("sentAt", body.sentAt));
			case "presence" -> new Presence(new UserPresence(required("uid", body.uid),
					"online".equals(oneOf("status", body.status, "online", "offline")), body.role,
					instant("at", body.at)), every(body.every));
			case "typing" -> new TypingIndicator(required("sender", body.sender), receiverType(body),
					required("receiver", body.receiver), data(body), instant("at", body.at),
					"started".equals(oneOf("status", body.status, "started", "ended")));
			case "transient" -> new TransientMessage(required("sender", body.sender), receiverType(body),
					required("receiver", body.receiver), data(body), instant("sentAt", body.sentAt));
			case "receipt" -> new Durable(required("id", body.id),
					new MessageReceipt(required("messageId", body.messageId), required("sender", body.sender),
							receiverType(body), required("receiver", body.receiver),
							"read".equals(oneOf("receipt", body.receipt, "delivered", "read"))
									? MessageReceipt.Type.READ : MessageReceipt.Type.DELIVERED,
							instant("at", body.at)));
			case "edit", "delete" -> new Durable(required("id", body.id),
					new MessageEdit(required("messageId", body.messageId), required("sender", body.sender),
							receiverType(body), required("receiver", body.receiver),
							"edit".equals(kind) ? required("text", body.text) : null, instant("at", body.at)));
			case "reaction" -> new Durable(required("id", body.id),
					new MessageReaction(required("messageId", body.messageId), required("reaction", body.reaction),
							required("sender", body.sender), receiverType(body), required("receiver", body.receiver),
							"added".equals(oneOf("action", body.action, "added", "removed")),
							instant("at", body.at)));
			case "group" -> new Durable(required("id", body.id), groupMemberEvent(body));
			default -> new Ignored("kind '" + kind + "'");
		};
	}

	/**
	 * Read the data object into a map that knows this client's converter (the map Jackson would make, plus a field).
	 */
	private ReceivedData data(JsonParser parser) {
		ReceivedData data = parser.readValueAs(ReceivedData.class);
		data.converter = this.converter;
		return data;
	}

	private static GroupMemberEvent groupMemberEvent(Fields body) {
		String action = required("action", body.action);
		GroupMemberEvent.Action known = GroupMemberEvent.Action.fromWireName(action);
		if (known == null) {
			throw invalid("unknown group action '" + action + "'");
		}
		return new GroupMemberEvent(known, required("guid", body.guid), required("uid", body.uid), body.by, body.scope,
				instant("at", body.at));
	}

	private static ReceiverType receiverType(Fields body) {
		String receiverType = required("receiverType", body.receiverType);
		if ("user".equalsIgnoreCase(receiverType)) {
			return ReceiverType.USER;
		}
		if ("group".equalsIgnoreCase(receiverType)) {
			return ReceiverType.GROUP;
		}
		throw invalid("unknown receiverType '" + receiverType + "'");
	}

	/**
	 * The optional interval of a presence: a positive ISO-8601 duration, or {@code null} when absent.
	 */
	private static @Nullable Duration every(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			Duration every = Duration.parse(value);
			if (!every.isNegative() && !every.isZero()) {
				return every;
			}
		}
		catch (DateTimeParseException ex) {
			// Reported below
		}
		throw invalid("'every' is not a positive ISO-8601 duration: " + value);
	}

	private static String oneOf(String name, @Nullable String value, String first, String second) {
		String text = required(name, value);
		if (!first.equals(text) && !second.equals(text)) {
			throw invalid("unknown " + name + " '" + text + "'");
		}
		return text;
	}

	private static Map<String, Object> data(Fields body) {
		return (body.data != null) ? body.data : Map.of();
	}

	/**
	 * A value read as text, as the fields of a message are: a string, a number or a boolean as written; an object or
	 * an array in its {@code toString()} form; {@code null} for null.
	 */
	private static @Nullable String scalar(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_NULL) {
			return null;
		}
		if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
			return String.valueOf(parser.readValueAs(Object.class));
		}
		return parser.getString();
	}

	private static @Nullable Map<String, Object> skip(JsonParser parser) {
		parser.skipChildren();
		return null;
	}

	private static String required(String name, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw invalid("'" + name + "' is missing");
		}
		return value;
	}

	private static Instant instant(String name, @Nullable String value) {
		String text = required(name, value);
		Instant utc = utcInstant(text);
		if (utc != null) {
			return utc;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw invalid("'" + name + "' is not an ISO-8601 instant: " + text);
		}
	}

	/**
	 * Read the form every client of ours writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (what
	 * {@link Instant#toString()} gives), without {@link Instant#parse}'s general machinery, which costs a receive more
	 * than the rest of its decoding.
	 * @param text the text
	 * @return the instant, or {@code null} when the text has another form (then {@link Instant#parse} decides)
	 */
	static @Nullable Instant utcInstant(String text) {
		int length = text.length();
		if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
				|| text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 7);
		int day = digits(text, 8, 10);
		int hour = digits(text, 11, 13);
		int minute = digits(text, 14, 16);
		int second = digits(text, 17, 19);
		int nanos = 0;
		if (length > 20) {
			int fraction = length - 21;
			if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
				return null;
			}
			nanos = digits(text, 20, length - 1);
			for (int i = fraction; i < 9 && nanos >= 0; i++) {
				nanos *= 10;
			}
		}
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
				|| minute > 59 || second < 0 || second > 59 || nanos < 0) {
			return null;
		}
		try {
			long days = java.time.LocalDate.of(year, month, day).toEpochDay();
			return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
		}
		catch (java.time.DateTimeException ex) {
			// Such as February 30th: Instant.parse reports it
			return null;
		}
	}

	/**
	 * Write an instant as {@link Instant#toString()} does, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} with the fraction
	 * in 3, 6 or 9 digits as needed, without {@link java.time.format.DateTimeFormatter}'s general machinery, which
	 * costs a send more than writing the rest of its body. Years outside 0000-9999 are left to {@code toString()}.
	 * @param instant the instant
	 * @return its text
	 */
	static String utcText(Instant instant) {
		long seconds = instant.getEpochSecond();
		long days = Math.floorDiv(seconds, 86_400);
		int secondOfDay = (int) Math.floorMod(seconds, 86_400);
		if (days < MIN_DAY || days > MAX_DAY) {
			return instant.toString();
		}
		java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
		int nanos = instant.getNano();
		int fraction = (nanos == 0) ? 0 : (nanos % 1_000_000 == 0) ? 3 : (nanos % 1_000 == 0) ? 6 : 9;
		byte[] text = new byte[20 + ((fraction > 0) ? fraction + 1 : 0)];
		put(text, 0, date.getYear(), 4);
		text[4] = '-';
		put(text, 5, date.getMonthValue(), 2);
		text[7] = '-';
		put(text, 8, date.getDayOfMonth(), 2);
		text[10] = 'T';
		put(text, 11, secondOfDay / 3_600, 2);
		text[13] = ':';
		put(text, 14, (secondOfDay / 60) % 60, 2);
		text[16] = ':';
		put(text, 17, secondOfDay % 60, 2);
		if (fraction > 0) {
			text[19] = '.';
			put(text, 20, (fraction == 3) ? nanos / 1_000_000 : (fraction == 6) ? nanos / 1_000 : nanos, fraction);
		}
		text[text.length - 1] = 'Z';
		return new String(text, StandardCharsets.ISO_8859_1);
	}

	/** Write value's last width digits at text[from, from + width). */
	private static void put(byte[] text, int from, int value, int width) {
		for (int i = from + width - 1; i >= from; i--) {
			text[i] = (byte) ('0' + value % 10);
			value /= 10;
		}
	}

	/** The number written in text[from, to) with digits only, or -1. */
	private static int digits(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static CometChatException invalid(String reason) {
		return new CometChatException(ErrorCode.INVALID_MESSAGE, "Unreadable message: " + reason);
	}

	/**
	 * A presence as announced.
	 * @param presence who is online or offline
	 * @param every how often the user announces themselves online again, or {@code null} when they do not say
	 */
	record Presence(UserPresence presence, @Nullable Duration every) {
	}

	/**
	 * An event that is sent like a message (queued while offline, resent after a drop, receipted), so that a second
	 * copy is dropped by its id.
	 * @param id the id of this event (not of the message it is about)
	 * @param event a {@link MessageReceipt}, {@link MessageEdit}, {@link MessageReaction} or {@link GroupMemberEvent}
	 */
	record Durable(String id, Object event) {
	}

	/**
	 * A body of a kind or protocol version this client does not know: taken, counted, and otherwise ignored.
	 * @param what what it was
	 */
	record Ignored(String what) {
	}

	/**
	 * The fields of a message or a presence as read; the last of a repeated name wins.
	 */
	private static final class Fields {

		@Nullable String kind;

		@Nullable String id;

		@Nullable String sender;

		@Nullable String receiverType;

		@Nullable String receiver;

		@Nullable String type;

		@Nullable String text;

		@Nullable String customType;

		@Nullable Map<String, Object> data;

		@Nullable String sentAt;

		@Nullable String uid;

		@Nullable String status;

		@Nullable String role;

		@Nullable String at;

		@Nullable String v;

		@Nullable String messageId;

		@Nullable String receipt;

		@Nullable String action;

		@Nullable String reaction;

		@Nullable String guid;

		@Nullable String by;

		@Nullable String scope;

		@Nullable String every;

		void set(String name, @Nullable String value) {
			switch (name) {
				case "kind" -> this.kind = value;
				case "id" -> this.id = value;
				case "sender" -> this.sender = value;
				case "receiverType" -> this.receiverType = value;
				case "receiver" -> this.receiver = value;
				case "type" -> this.type = value;
				case "text" -> this.text = value;
				case "customType" -> this.customType = value;
				case "sentAt" -> this.sentAt = value;
				case "uid" -> this.uid = value;
				case "status" -> this.status = value;
				case "role" -> this.role = value;
				case "at" -> this.at = value;
				case "v" -> this.v = value;
				case "messageId" -> this.messageId = value;
				case "receipt" -> this.receipt = value;
				case "action" -> this.action = value;
				case "reaction" -> this.reaction = value;
				case "guid" -> this.guid = value;
				case "by" -> this.by = value;
				case "scope" -> this.scope = value;
				case "every" -> this.every = value;
				default -> {
					// Unknown fields are ignored
				}
			}
		}

	}

}
