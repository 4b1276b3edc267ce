package com.cometchat.spring.client;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts the data of custom messages between the JSON object on the wire and the application's types, with the
 * application's {@link JsonMapper} (its modules, naming strategy and settings), or a default one. The envelope of
 * every body is read and written by {@link MessageCodec} with its own mapper, whatever the application's settings.
 *
 * @author CometChat
 */
final class PayloadConverter {

	/** With a default mapper: for a client built without one, and for data made by hand. */
	static final PayloadConverter DEFAULT = new PayloadConverter(null);

	private final @Nullable JsonMapper mapper;

	PayloadConverter(@Nullable JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Return the converter that goes with some data: the one of the client that received it, or the default.
	 * @param data the data of a message
	 * @return the converter
	 */
	static PayloadConverter of(Map<String, Object> data) {
		return (data instanceof ReceivedData received) ? received.converter : DEFAULT;
	}

	/**
	 * Read data as an application type; converted on each call, never when the message arrives.
	 * @param <T> the type
	 * @param data the data
	 * @param type the type
	 * @param what whose data it is, for the error
	 * @return the object
	 * @throws CometChatException with {@link ErrorCode#INVALID_MESSAGE} when the data does not fit the type
	 */
	<T> T read(Map<String, Object> data, Class<T> type, String what) {
		try {
			T value = mapper().convertValue(data, type);
			if (value == null) {
				throw new IllegalArgumentException("no value");
			}
			return value;
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new CometChatException(ErrorCode.INVALID_MESSAGE, "The data of " + what + " cannot be read as "
					+ type.getName() + ": " + originalMessage(ex), ex);
		}
	}

	/**
	 * Write an application object as data: a JSON object of JSON values.
	 * @param payload the object
	 * @return the data
	 * @throws CometChatException with {@link ErrorCode#INVALID_ARGUMENT} when it is not an object in JSON
	 */
	@SuppressWarnings("unchecked")
	Map<String, Object> write(Object payload) {
		try {
			return mapper().convertValue(payload, Map.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new CometChatException(ErrorCode.INVALID_ARGUMENT, "A payload of type " + payload.getClass().getName()
					+ " cannot be sent as the data of a custom message (a JSON object): " + originalMessage(ex), ex);
		}
	}

	private JsonMapper mapper() {
		return (this.mapper != null) ? this.mapper : MessageCodec.defaultMapper();
	}

	private static String originalMessage(RuntimeException ex) {
		Throwable cause = (ex instanceof JacksonException) ? ex : ex.getCause();
		return (cause instanceof JacksonException jackson) ? jackson.getOriginalMessage() : String.valueOf(ex.getMessage());
	}

}
