package com.cometchat.spring.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import com.cometchat.spring.client.transport.Credentials;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;

/**
 * Asks the application's {@link CometChatTokenProvider} for a fresh token, on the callback executor (it is user code,
 * and may block), and says whether its answer can be used: a token that is neither blank nor the one just rejected,
 * given within the bound. Every other outcome is a {@link ErrorCode#TOKEN_REFRESH_FAILED} that says what happened,
 * never with a token in it.
 *
 * @author CometChat
 */
final class TokenRefresher {

	private final CometChatTokenProvider provider;

	private final Executor callbackExecutor;

	private final TaskScheduler scheduler;

	private final Duration timeout;

	/**
	 * Create a refresher.
	 * @param provider the application's provider
	 * @param callbackExecutor where it runs
	 * @param scheduler the client's scheduler, for the bound
	 * @param timeout how long it may take once called
	 */
	TokenRefresher(CometChatTokenProvider provider, Executor callbackExecutor, TaskScheduler scheduler,
			Duration timeout) {
		this.provider = provider;
		this.callbackExecutor = callbackExecutor;
		this.scheduler = scheduler;
		this.timeout = timeout;
	}

	/**
	 * Ask for a token to replace a rejected one. The bound starts when the provider is called, so a call that waits
	 * for a callback thread behind others does not use it up.
	 * @param rejected the credentials the broker rejected
	 * @param rejection the rejection
	 * @return a future (completing on a callback or scheduler thread) with a usable token, or failing with
	 * {@link ErrorCode#TOKEN_REFRESH_FAILED}
	 */
	CompletableFuture<String> ask(Credentials rejected, CometChatException rejection) {
		CompletableFuture<String> answer = new CompletableFuture<>();
		String uid = rejected.uid();
		try {
			this.callbackExecutor.execute(() -> {
				ScheduledFuture<?> giveUp = this.scheduler.schedule(() -> answer.completeExceptionally(failed(uid,
						"gave no token within " + this.timeout.toMillis() + "ms (the connect timeout)", rejection)),
						this.scheduler.getClock().instant().plus(this.timeout));
				try {
					@Nullable String token = this.provider.refreshToken(uid, rejection);
					CometChatException unusable = check(uid, token, rejected, rejection);
					if (unusable != null) {
						answer.completeExceptionally(unusable);
					}
					else {
						answer.complete(token);
					}
				}
				catch (Throwable ex) {
					answer.completeExceptionally(failed(uid, "failed: " + ex, ex));
					if (ex instanceof VirtualMachineError error) {
						throw error;
					}
				}
				finally {
					giveUp.cancel(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			answer.completeExceptionally(failed(uid, "could not be called: the client is closed", ex));
		}
		return answer;
	}

	private static @Nullable CometChatException check(String uid, @Nullable String token, Credentials rejected,
			CometChatException rejection) {
		if (!StringUtils.hasText(token)) {
			return failed(uid, "gave no token", rejection);
		}
		if (token.equals(rejected.authToken())) {
			return failed(uid, "gave the token just rejected again", rejection);
		}
		return null;
	}

	private static CometChatException failed(String uid, String what, Throwable cause) {
		return new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED,
				"The broker rejected the auth token of uid '" + uid + "' and the token provider " + what, cause);
	}

}
