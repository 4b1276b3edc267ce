package com.cometchat.spring.client;

import org.jspecify.annotations.Nullable;

/**
 * Failure reported by a {@link CometChatClient}, with a machine-readable {@link ErrorCode}.
 *
 * @author CometChat
 */
public class CometChatException extends RuntimeException {

	private final ErrorCode code;

	public CometChatException(ErrorCode code, String message) {
		this(code, message, null);
	}

	public CometChatException(ErrorCode code, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.code = code;
	}

	/**
	 * Return the code that says why the operation failed.
	 * @return the error code
	 */
	public ErrorCode getCode() {
		return this.code;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.code + "]: " + getMessage();
	}

}
