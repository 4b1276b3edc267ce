package com.cometchat.spring.test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Watches every line the test JVM writes to standard output and error, from the start of the test run to its end,
 * for auth tokens: the tokens the broker fixtures were given ({@link #register}) and anything that looks like a
 * passcode or auth token with a value. {@code WholeRunLogTests}, ordered last, asserts that no line did.
 * <p>
 * Registered as a JUnit {@link LauncherSessionListener} (in {@code META-INF/services}), so it is in place before
 * the first test class and sees what Spring Boot's output capture and the loggers write.
 */
public final class LogSecrets implements LauncherSessionListener {

	private static final Pattern LOOKS_LIKE_A_TOKEN = Pattern
		.compile("(?i)(passcode|auth[-_]?token)\\s*[:=]\\s*(?![*\\[<]|null\\b)[^\\s,;)\\]}\"']{3,}");

	private static final Set<String> TOKENS = ConcurrentHashMap.newKeySet();

	private static final List<String> LEAKS = new ArrayList<>();

	private static final AtomicLong LINES = new AtomicLong();

	private static volatile boolean installed;

	/**
	 * Watch for a token from now on.
	 * @param token the token
	 */
	public static void register(String token) {
		TOKENS.add(token);
	}

	/**
	 * Return the tokens watched for.
	 * @return how many
	 */
	public static int tokens() {
		return TOKENS.size();
	}

	/**
	 * Return the lines seen so far.
	 * @return the count
	 */
	public static long lines() {
		return LINES.get();
	}

	/**
	 * Return the lines that held a token (at most the first 20).
	 * @return the lines
	 */
	public static synchronized List<String> leaks() {
		return List.copyOf(LEAKS);
	}

	/**
	 * Whether the listener watches this JVM's output.
	 * @return whether it was installed
	 */
	public static boolean isInstalled() {
		return installed;
	}

	/**
	 * Whether a line holds a token.
	 * @param line the line
	 * @return whether it does
	 */
	public static boolean leaks(String line) {
		if (LOOKS_LIKE_A_TOKEN.matcher(line).find()) {
			return true;
		}
		for (String token : TOKENS) {
			if (line.contains(token)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		if (!installed) {
			installed = true;
			System.setOut(new PrintStream(new Scanner(System.out), true, StandardCharsets.UTF_8));
			System.setErr(new PrintStream(new Scanner(System.err), true, StandardCharsets.UTF_8));
		}
	}

	private static synchronized void check(String line) {
		LINES.incrementAndGet();
		if (LEAKS.size() < 20 && leaks(line)) {
			LEAKS.add(line);
		}
	}

	/**
	 * Passes everything on and checks it line by line.
	 */
	private static final class Scanner extends OutputStream {

		private final PrintStream delegate;

		private final StringBuilder line = new StringBuilder();

		Scanner(PrintStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public synchronized void write(int b) {
			this.delegate.write(b);
			append(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public synchronized void write(byte[] bytes, int offset, int length) {
			this.delegate.write(bytes, offset, length);
			append(bytes, offset, length);
		}

		@Override
		public void flush() {
			this.delegate.flush();
		}

		private void append(byte[] bytes, int offset, int length) {
			int start = offset;
			for (int i = offset; i < offset + length; i++) {
				if (bytes[i] == '\n') {
					this.line.append(new String(bytes, start, i - start, StandardCharsets.UTF_8));
					check(this.line.toString());
					this.line.setLength(0);
					start = i + 1;
				}
			}
			this.line.append(new String(bytes, start, offset + length - start, StandardCharsets.UTF_8));
		}

	}

}
