package com.cometchat.spring.client;

import java.io.Serial;
import java.util.LinkedHashMap;

/**
 * The data of a received message, as read from the wire, that remembers the converter of the client that received it,
 * so that {@link ChatMessage#data(Class)} uses the application's mapper while the message itself carries nothing more
 * than its fields. Read straight into this map: no copy and no other object per message.
 *
 * @author CometChat
 */
final class ReceivedData extends LinkedHashMap<String, Object> {

	@Serial
	private static final long serialVersionUID = 1L;

	/** Set once by the codec right after reading, before the message is handed on. */
	transient PayloadConverter converter = PayloadConverter.DEFAULT;

	ReceivedData() {
	}

}
