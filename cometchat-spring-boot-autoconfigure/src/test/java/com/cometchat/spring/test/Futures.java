package com.cometchat.spring.test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on futures that failed with a {@link CometChatException}.
 */
public final class Futures {

	private Futures() {
	}

	/**
	 * Return the code of the {@link CometChatException} the future failed with; fails if it did not fail that way.
	 * @param future a completed future
	 * @return the error code
	 */
	public static ErrorCode errorCode(CompletableFuture<?> future) {
		assertThat(future).isCompletedExceptionally();
		try {
			future.join();
		}
		catch (CompletionException ex) {
			assertThat(ex.getCause()).isInstanceOf(CometChatException.class);
			return ((CometChatException) ex.getCause()).getCode();
		}
		throw new AssertionError("unreachable");
	}

}
