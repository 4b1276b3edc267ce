package com.cometchat.spring.session;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.util.StringUtils;

/**
 * A session store write that the database refused with a message that quoted the auth token (H2, for one, quotes a
 * value too long for its column): the same failure, its messages with every copy of the token replaced by
 * {@code ******} (also a quote cut short) and without the original exceptions, so that the token reaches no log, status, event or health
 * output. Failures that do not quote the token are thrown as they are.
 *
 * @author CometChat
 */
public final class TokenSafeStoreException extends NonTransientDataAccessException {

	private static final String MASK = "******";

	/** How much of a secret's start makes a quote of it. */
	private static final int QUOTE_HEAD = 12;

	private TokenSafeStoreException(String message) {
		super(message);
	}

	/**
	 * Return a failure that quotes none of the given secrets: the failure itself when no message of its chain does,
	 * otherwise a {@link TokenSafeStoreException} naming each exception of the chain with its message masked.
	 * @param failure what the store call threw
	 * @param secrets the token as it was given and as it was stored (encrypted); empty or {@code null} ones are
	 * ignored
	 * @return the failure to throw
	 */
	public static RuntimeException withoutSecrets(RuntimeException failure, @Nullable String... secrets) {
		List<String> present = new ArrayList<>();
		for (String secret : secrets) {
			if (StringUtils.hasLength(secret)) {
				present.add(secret);
			}
		}
		boolean quoted = false;
		StringBuilder message = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			String text = String.valueOf(cause.getMessage());
			for (String secret : present) {
				String masked = mask(text, secret);
				if (masked != null) {
					quoted = true;
					text = masked;
				}
			}
			message.append((message.length() > 0) ? "; caused by " : "").append(cause.getClass().getName()).append(": ")
				.append(text);
		}
		if (!quoted) {
			return failure;
		}
		TokenSafeStoreException safe = new TokenSafeStoreException(message.toString());
		safe.setStackTrace(failure.getStackTrace());
		return safe;
	}

	/**
	 * Mask every quote of the secret in a message, also one cut short (a database may quote the start of a long value
	 * only): any run of the message that starts as the secret starts ({@value #QUOTE_HEAD} characters, or the whole
	 * of a shorter secret) and goes on as the secret does.
	 * @return the masked message, or {@code null} if it quotes none of the secret
	 */
	private static @Nullable String mask(String text, String secret) {
		String head = secret.substring(0, Math.min(QUOTE_HEAD, secret.length()));
		int from = text.indexOf(head);
		if (from < 0) {
			return null;
		}
		StringBuilder masked = new StringBuilder();
		int done = 0;
		while (from >= 0) {
			int length = head.length();
			while (from + length < text.length() && length < secret.length()
					&& text.charAt(from + length) == secret.charAt(length)) {
				length++;
			}
			masked.append(text, done, from).append(MASK);
			done = from + length;
			from = text.indexOf(head, done);
		}
		return masked.append(text, done, text.length()).toString();
	}

}
