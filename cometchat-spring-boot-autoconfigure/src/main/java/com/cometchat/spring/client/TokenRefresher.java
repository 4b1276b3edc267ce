package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import com.cometchat.spring.client.transport.Credentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;

/**
 * Asks the application's {@link CometChatTokenProvider} for a fresh token, on the callback executor (it is user code,
 * and may block), and says whether its answer can be used: a token that is neither blank nor the one just rejected,
 * given within the bound. Every other outcome is a {@link ErrorCode#TOKEN_REFRESH_FAILED} that says what happened,
 * never with a token in it. It also asks the provider when a token expires ({@link #expiry}), on the same executor.
 *
 * @author CometChat
 */
final class TokenRefresher {

	private static final Log logger = LogFactory.getLog(TokenRefresher.class);

	/** The least time before a known expiry at which a token is refreshed. */
	static final Duration MIN_EXPIRY_MARGIN = Duration.ofSeconds(30);

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
	 * Return how long before a known expiry a token is refreshed: the connect timeout, which bounds the provider's
	 * call, but at least {@link #MIN_EXPIRY_MARGIN} (clock skew between the application and the broker).
	 * @return the margin
	 */
	Duration expiryMargin() {
		return (this.timeout.compareTo(MIN_EXPIRY_MARGIN) > 0) ? this.timeout : MIN_EXPIRY_MARGIN;
	}

	/**
	 * Ask the provider when a token expires, on the callback executor (it is user code).
	 * @param uid the user
	 * @param token the token
	 * @return a future (completing on a callback thread) with the expiry, or {@code null} when it is unknown, the
	 * provider failed (logged) or the client is closed
	 */
	CompletableFuture<@Nullable Instant> expiry(String uid, String token) {
		CompletableFuture<@Nullable Instant> answer = new CompletableFuture<>();
		try {
			this.callbackExecutor.execute(() -> {
				try {
					answer.complete(this.provider.expiresAt(uid, token));
				}
				catch (Throwable ex) {
					logger.warn("The token provider could not say when the auth token of uid '" + uid
							+ "' expires (it is refreshed only when the broker rejects it): " + ex);
					answer.complete(null);
					if (ex instanceof VirtualMachineError error) {
						throw error;
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			answer.complete(null);
		}
		return answer;
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
		return ask(rejected, rejection, "The broker rejected the auth token of uid '" + rejected.uid() + "'",
				"the token just rejected again");
	}

	/**
	 * Ask for a token to replace one that expires soon, with the same rules as {@link #ask(Credentials,
	 * CometChatException)}: the provider is told {@link ErrorCode#TOKEN_EXPIRING} as the reason.
	 * @param expiring the credentials whose token expires
	 * @param expiry when it expires
	 * @return a future with a usable token, or failing with {@link ErrorCode#TOKEN_REFRESH_FAILED}
	 */
	CompletableFuture<String> askBeforeExpiry(Credentials expiring, Instant expiry) {
		String what = "The auth token of uid '" + expiring.uid() + "' expires at " + expiry;
		return ask(expiring, new CometChatException(ErrorCode.TOKEN_EXPIRING, what), what, "the expiring token again");
	}

	private CompletableFuture<String> ask(Credentials old, CometChatException reason, String context,
			String sameToken) {
		CompletableFuture<String> answer = new CompletableFuture<>();
		String uid = old.uid();
		try {
			this.callbackExecutor.execute(() -> {
				ScheduledFuture<?> giveUp = this.scheduler.schedule(() -> answer.completeExceptionally(failed(context,
						"gave no token within " + this.timeout.toMillis() + "ms (the connect timeout)", reason)),
						this.scheduler.getClock().instant().plus(this.timeout));
				try {
					@Nullable String token = this.provider.refreshToken(uid, reason);
					CometChatException unusable = check(context, sameToken, token, old, reason);
					if (unusable != null) {
						answer.completeExceptionally(unusable);
					}
					else {
						answer.complete(token);
					}
				}
				catch (Throwable ex) {
					answer.completeExceptionally(failed(context, "failed: " + ex, ex));
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
			answer.completeExceptionally(failed(context, "could not be called: the client is closed", ex));
		}
		return answer;
	}

	private static @Nullable CometChatException check(String context, String sameToken, @Nullable String token,
			Credentials old, CometChatException reason) {
		if (!StringUtils.hasText(token)) {
			return failed(context, "gave no token", reason);
		}
		if (token.equals(old.authToken())) {
			return failed(context, "gave " + sameToken, reason);
		}
		return null;
	}

	private static CometChatException failed(String context, String what, Throwable cause) {
		return new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED, context + " and the token provider " + what,
				cause);
	}

}
