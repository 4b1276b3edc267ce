package com.cometchat.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidCometChatPropertyException} into a start-up report naming the property and the fix.
 *
 * @author CometChat
 */
class InvalidCometChatPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCometChatPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCometChatPropertyException cause) {
		String value = (cause.getValue() != null) ? "'" + cause.getValue() + "'" : "(none)";
		String description = "The CometChat client could not be configured: property '" + cause.getProperty()
				+ "' has the value " + value + " but " + cause.getReason() + ".";
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
