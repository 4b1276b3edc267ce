package com.cometchat.spring.soak;

import java.util.List;

import com.cometchat.spring.test.LogSecrets;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak ({@link ChaosSoak}) against the machine's RabbitMQ Web-STOMP, in the {@code it} profile: 100 random
 * faults by default on the links of three clients and on the broker, then the goal: no send left pending, no confirmed
 * message lost, none delivered twice, never two sockets for one client, no split state of the randomly controlled
 * client, and no threads left behind. Alone, with another seed or more faults:
 * <pre>
 * ./mvnw -Pit -pl cometchat-spring-boot-autoconfigure verify -Dit.test=ChaosSoakIT -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.faults=1000 -Dsoak.seed=7
 * </pre>
 * The figures are printed and written to {@code target/soak/}; {@code docs/reliability.md} keeps the measured ones.
 */
class ChaosSoakIT {

	@Test
	void underRandomFaultsNothingIsLostOrDoubledAndNoClientOpensTwoSocketsSplitsOrLeaksThreads() throws Exception {
		SoakResult result;
		int faults;
		// Earlier test classes of the same run answer for their own lines (WholeRunLogTests)
		int leaksBefore = LogSecrets.leaks().size();
		try (ChaosSoak soak = ChaosSoak.fromSystemProperties()) {
			faults = soak.faultCount();
			result = soak.run();
		}
		List<String> leaks = LogSecrets.leaks();
		SoftAssertions.assertSoftly((softly) -> {
			softly.assertThat(result.faults()).as("faults").isEqualTo(faults);
			softly.assertThat(result.pending()).as("pending: sends whose future never completed").isZero();
			softly.assertThat(result.lost()).as("lost: confirmed, never received").isZero();
			softly.assertThat(result.duplicates()).as("duplicates: ids the listener got twice").isZero();
			softly.assertThat(result.maxSockets()).as("maxSockets: most sockets of one client at once").isOne();
			softly.assertThat(result.splitStates()).as("splitStates: checkpoints where C's views disagreed").isZero();
			softly.assertThat(result.threadsEnd())
				.as("threadsEnd, against threadsStart %d", result.threadsStart())
				.isLessThanOrEqualTo(result.threadsStart() + ChaosSoak.THREAD_MARGIN);
			softly.assertThat(result.unrecovered()).as("faults not recovered from").isZero();
			softly.assertThat(leaks.subList(leaksBefore, leaks.size()))
				.as("lines of the soak that hold a token")
				.isEmpty();
		});
	}

}
