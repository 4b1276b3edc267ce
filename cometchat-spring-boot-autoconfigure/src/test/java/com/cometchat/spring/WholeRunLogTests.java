package com.cometchat.spring;

import com.cometchat.spring.test.LogSecrets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other test class of the module (see {@code junit-platform.properties}) and asserts that no line
 * the whole run wrote to standard output or error held an auth token ({@link LogSecrets}).
 */
@Order(Integer.MAX_VALUE)
class WholeRunLogTests {

	@Test
	void noLineOfTheWholeTestRunHoldsAToken() {
		assertThat(LogSecrets.isInstalled()).as("the output of the run was watched").isTrue();
		long before = LogSecrets.lines();
		System.out.println("WholeRunLogTests: " + before + " lines watched, " + LogSecrets.tokens() + " tokens");
		System.err.println("WholeRunLogTests: standard error is watched too");
		assertThat(LogSecrets.lines()).as("both streams pass through the watch").isEqualTo(before + 2);
		assertThat(LogSecrets.leaks()).as("lines that hold a token").isEmpty();
	}

	@Test
	void theWatchRecognisesATokenInALine() {
		LogSecrets.register("s3cr3t-t0ken-for-the-watch");
		assertThat(LogSecrets.leaks("CONNECT login:alice passcode:abc123")).isTrue();
		assertThat(LogSecrets.leaks("User[uid=alice, authToken=abc123]")).isTrue();
		assertThat(LogSecrets.leaks("reconnecting with s3cr3t-t0ken-for-the-watch")).isTrue();
		assertThat(LogSecrets.leaks("User[uid=alice, authToken=******]")).isFalse();
		assertThat(LogSecrets.leaks("sendMessage() needs a logged-in user: call login(uid, authToken) first")).isFalse();
	}

}
