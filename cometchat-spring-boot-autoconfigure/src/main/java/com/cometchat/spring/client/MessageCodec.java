package com.cometchat.spring.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
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
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("kind", "message");
		body.put("id", message.id());
		body.put("sender", message.sender());
		body.put("receiverType", message.receiverType().name().toLowerCase(Locale.ROOT));
		body.put("receiver", message.receiver());
		body.put("type", message.type());
		putIfPresent(body, "text", message.text());
		putIfPresent(body, "customType", message.customType());
		if (!message.data().isEmpty()) {
			body.put("data", message.data());
		}
		body.put("sentAt", message.sentAt().toString());
		return this.mapper.writeValueAsBytes(body);
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
		Map<String, Object> body;
		try {
			body = this.mapper.readValue(payload, Map.class);
		}
		catch (JacksonException ex) {
			throw invalid("not JSON: " + ex.getOriginalMessage());
		}
		String kind = string(body, "kind");
		if ("presence".equals(kind)) {
			String status = required(body, "status");
			if (!"online".equals(status) && !"offline".equals(status)) {
				throw invalid("unknown presence status '" + status + "'");
			}
			return new UserPresence(required(body, "uid"), "online".equals(status), string(body, "role"),
					instant(body, "at"));
		}
		if (!"message".equals(kind)) {
			throw invalid("unknown kind '" + kind + "'");
		}
		ReceiverType receiverType;
		try {
			receiverType = ReceiverType.valueOf(required(body, "receiverType").toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw invalid("unknown receiverType '" + body.get("receiverType") + "'");
		}
		Object data = body.get("data");
		return new ChatMessage(required(body, "id"), required(body, "sender"), receiverType, required(body, "receiver"),
				required(body, "type"), string(body, "text"), string(body, "customType"),
				(data instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of(), instant(body, "sentAt"));
	}

	private static void putIfPresent(Map<String, Object> body, String name, @Nullable Object value) {
		if (value != null) {
			body.put(name, value);
		}
	}

	private static @Nullable String string(Map<String, Object> body, String name) {
		Object value = body.get(name);
		return (value != null) ? value.toString() : null;
	}

	private static String required(Map<String, Object> body, String name) {
		String value = string(body, name);
		if (value == null || value.isEmpty()) {
			throw invalid("'" + name + "' is missing");
		}
		return value;
	}

	private static Instant instant(Map<String, Object> body, String name) {
		String value = required(body, name);
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw invalid("'" + name + "' is not an ISO-8601 instant: " + value);
		}
	}

	private static CometChatException invalid(String reason) {
		return new CometChatException(ErrorCode.INVALID_MESSAGE, "Unreadable message: " + reason);
	}

}
