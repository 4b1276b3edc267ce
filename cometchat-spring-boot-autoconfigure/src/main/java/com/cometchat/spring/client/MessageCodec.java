package com.cometchat.spring.client;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the JSON bodies of chat and presence messages.
 *
 * <pre>
 * {"kind":"message","id":"…","sender":"alice","receiverType":"user","receiver":"bob","type":"text","text":"hi",
 *  "sentAt":"2026-11-25T10:00:00Z"}
 * {"kind":"presence","uid":"alice","status":"online","role":"agent","at":"2026-11-25T10:00:00Z"}
 * </pre>
 *
 * @author CometChat
 */
final class MessageCodec {

	/** Immutable and thread-safe; one per JVM, since a mapper retains about 39 KiB (see docs/benchmarks.md). */
	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final JsonMapper mapper = MAPPER;

	byte[] write(ChatMessage message) {
		// Straight to the generator: no intermediate map (the hot path of every send)
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.mapper.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty("kind", "message");
			generator.writeStringProperty("id", message.id());
			generator.writeStringProperty("sender", message.sender());
			generator.writeStringProperty("receiverType",
					(message.receiverType() == ReceiverType.USER) ? "user" : "group");
			generator.writeStringProperty("receiver", message.receiver());
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
			generator.writeStringProperty("sentAt", message.sentAt().toString());
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	byte[] write(UserPresence presence) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("kind", "presence");
		body.put("uid", presence.uid());
		body.put("status", presence.online() ? "online" : "offline");
		putIfPresent(body, "role", presence.role());
		body.put("at", presence.at().toString());
		return this.mapper.writeValueAsBytes(body);
	}

	/**
	 * Read a body.
	 * @param payload the body
	 * @return a {@link ChatMessage} or a {@link UserPresence}
	 * @throws CometChatException with {@link ErrorCode#INVALID_MESSAGE} when it is neither
	 */
	@SuppressWarnings("unchecked")
	Object read(byte[] payload) {
		Fields body = new Fields();
		try (JsonParser parser = this.mapper.createParser(payload)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid("not JSON: expected an object");
			}
			// Straight from the parser into the fields: no intermediate map (the hot path of every receive)
			String name;
			while ((name = parser.nextName()) != null) {
				JsonToken value = parser.nextToken();
				if ("data".equals(name)) {
					body.data = (value == JsonToken.START_OBJECT) ? parser.readValueAs(Map.class) : skip(parser);
				}
				else {
					body.set(name, scalar(parser, value));
				}
			}
		}
		catch (JacksonException ex) {
			throw invalid("not JSON: " + ex.getOriginalMessage());
		}
		if ("presence".equals(body.kind)) {
			String status = required("status", body.status);
			if (!"online".equals(status) && !"offline".equals(status)) {
				throw invalid("unknown presence status '" + status + "'");
			}
			return new UserPresence(required("uid", body.uid), "online".equals(status), body.role,
					instant("at", body.at));
		}
		if (!"message".equals(body.kind)) {
			throw invalid("unknown kind '" + body.kind + "'");
		}
		String receiverType = required("receiverType", body.receiverType);
		ReceiverType type = "user".equalsIgnoreCase(receiverType) ? ReceiverType.USER
				: "group".equalsIgnoreCase(receiverType) ? ReceiverType.GROUP : null;
		if (type == null) {
			throw invalid("unknown receiverType '" + receiverType + "'");
		}
		return new ChatMessage(required("id", body.id), required("sender", body.sender), type,
				required("receiver", body.receiver), required("type", body.type), body.text, body.customType,
				(body.data != null) ? body.data : Map.of(), instant("sentAt", body.sentAt));
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

	private static void putIfPresent(Map<String, Object> body, String name, @Nullable Object value) {
		if (value != null) {
			body.put(name, value);
		}
	}

	private static CometChatException invalid(String reason) {
		return new CometChatException(ErrorCode.INVALID_MESSAGE, "Unreadable message: " + reason);
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
				default -> {
					// Unknown fields are ignored
				}
			}
		}

	}

}
