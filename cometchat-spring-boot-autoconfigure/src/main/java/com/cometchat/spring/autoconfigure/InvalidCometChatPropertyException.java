package com.cometchat.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when a {@code cometchat.*} property is missing or wrong; reported by
 * {@link InvalidCometChatPropertyFailureAnalyzer} with the property, the reason and a fix.
 *
 * @author CometChat
 */
public class InvalidCometChatPropertyException extends RuntimeException {

	private final String property;

	private final @Nullable Object value;

	private final String reason;

	private final String action;

	public InvalidCometChatPropertyException(String property, @Nullable Object value, String reason, String action) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Return the name of the property, such as {@code cometchat.url}.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the value that was rejected.
	 * @return the value, or {@code null} when missing
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * Return why the value was rejected.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
