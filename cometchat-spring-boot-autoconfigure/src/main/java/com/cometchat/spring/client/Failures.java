package com.cometchat.spring.client;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * Unwraps the failures of {@link java.util.concurrent.CompletableFuture}s.
 *
 * @author CometChat
 */
final class Failures {

	private Failures() {
	}

	/**
	 * Return the cause behind {@link CompletionException} and {@link ExecutionException} wrappers.
	 * @param failure the failure, or {@code null}
	 * @return the cause, or {@code null}
	 */
	static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
