package com.cometchat.spring.client.transport;

import java.util.ArrayList;
import java.util.List;

import com.cometchat.spring.client.transport.WebSocketStompTransportTests.HeldExecutor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SerialExecutor}.
 */
class SerialExecutorTests {

	private final HeldExecutor pool = new HeldExecutor();

	private final List<String> ran = new ArrayList<>();

	@Test
	void tasksRunInOrderAndTheEndOfTurnActionAfterTheTasksOfEachTurn() {
		SerialExecutor executor = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		executor.execute(() -> this.ran.add("a"));
		executor.execute(() -> this.ran.add("b"));
		assertThat(this.ran).isEmpty();
		this.pool.runAll();
		assertThat(this.ran).containsExactly("a", "b", "end");
		executor.execute(() -> this.ran.add("c"));
		this.pool.runAll();
		assertThat(this.ran).containsExactly("a", "b", "end", "c", "end");
	}

	@Test
	void aLongQueueIsRunInTurnsOfAtMost64TasksEachEndedByTheAction() {
		SerialExecutor executor = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		for (int i = 0; i < 100; i++) {
			executor.execute(() -> this.ran.add("task"));
		}
		this.pool.runAll();
		assertThat(this.ran.indexOf("end")).isEqualTo(64);
		assertThat(this.ran).hasSize(102).endsWith("end");
	}

	@Test
	void theActionRunsInTheExecutorAndAfterATaskThatFailed() {
		List<Boolean> inExecutor = new ArrayList<>();
		SerialExecutor[] executor = new SerialExecutor[1];
		executor[0] = new SerialExecutor(this.pool, () -> inExecutor.add(executor[0].inExecutor()));
		executor[0].execute(() -> {
			throw new IllegalStateException("task failed");
		});
		this.pool.runAll();
		assertThat(inExecutor).containsExactly(true);
	}

	@Test
	void noActionAfterShutDown() {
		SerialExecutor[] executor = new SerialExecutor[1];
		executor[0] = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		executor[0].execute(() -> {
			this.ran.add("a");
			executor[0].shutDown();
		});
		executor[0].execute(() -> this.ran.add("dropped"));
		this.pool.runAll();
		assertThat(this.ran).containsExactly("a");
	}

	@Test
	void aClaimedTurnRunsWhatWasQueuedDuringTheClaimOnTheCallingThreadThenTheAction() {
		List<Boolean> inExecutor = new ArrayList<>();
		SerialExecutor[] executor = new SerialExecutor[1];
		executor[0] = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		assertThat(executor[0].claimTurn()).isTrue();
		executor[0].execute(() -> {
			this.ran.add("a");
			inExecutor.add(executor[0].inExecutor());
		});
		executor[0].execute(() -> this.ran.add("b"));
		assertThat(this.ran).isEmpty();
		executor[0].runClaimedTurn();
		assertThat(this.ran).containsExactly("a", "b", "end");
		assertThat(inExecutor).containsExactly(true);
		assertThat(executor[0].inExecutor()).isFalse();
		// Nothing was handed to the pool, and the next task starts a turn there as usual
		this.pool.runAll();
		assertThat(this.ran).containsExactly("a", "b", "end");
		executor[0].execute(() -> this.ran.add("c"));
		assertThat(this.ran).hasSize(3);
		this.pool.runAll();
		assertThat(this.ran).containsExactly("a", "b", "end", "c", "end");
	}

	@Test
	void noTurnCanBeClaimedWhileATurnIsHandedToThePoolWhichThenRunsTheTasksInOrder() {
		SerialExecutor executor = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		executor.execute(() -> this.ran.add("a"));
		assertThat(executor.claimTurn()).isFalse();
		executor.execute(() -> this.ran.add("b"));
		assertThat(this.ran).isEmpty();
		this.pool.runAll();
		assertThat(this.ran).containsExactly("a", "b", "end");
	}

	@Test
	void noTurnCanBeClaimedFromInsideARunningTurn() {
		SerialExecutor executor = new SerialExecutor(this.pool);
		List<Boolean> claimed = new ArrayList<>();
		executor.execute(() -> claimed.add(executor.claimTurn()));
		this.pool.runAll();
		assertThat(claimed).containsExactly(false);
	}

	@Test
	void aClaimedTurnRunsAtMost64TasksAndHandsTheRestToThePool() {
		SerialExecutor executor = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		assertThat(executor.claimTurn()).isTrue();
		for (int i = 0; i < 100; i++) {
			executor.execute(() -> this.ran.add("task"));
		}
		executor.runClaimedTurn();
		assertThat(this.ran).hasSize(65).endsWith("end");
		this.pool.runAll();
		assertThat(this.ran).hasSize(102).endsWith("end");
	}

	@Test
	void noTurnCanBeClaimedAfterShutDownAndAClaimedTurnRunsNothingOnceShutDown() {
		SerialExecutor executor = new SerialExecutor(this.pool, () -> this.ran.add("end"));
		assertThat(executor.claimTurn()).isTrue();
		executor.execute(() -> this.ran.add("a"));
		executor.shutDown();
		executor.runClaimedTurn();
		assertThat(this.ran).isEmpty();
		assertThat(executor.claimTurn()).isFalse();
	}

	@Test
	void aTurnIsClaimedOnlyOnceTheExecutorWasIdleForTheTimeAskedSinceTheLastTurnEnded() {
		java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
		SerialExecutor executor = new SerialExecutor(this.pool, null, now::get);
		assertThat(executor.claimTurn(50_000)).as("never ran a turn").isTrue();
		executor.execute(() -> this.ran.add("a"));
		executor.runClaimedTurn();
		now.addAndGet(49_999);
		assertThat(executor.claimTurn(50_000)).isFalse();
		executor.execute(() -> this.ran.add("b"));
		this.pool.runAll();
		now.addAndGet(49_999);
		assertThat(executor.claimTurn(50_000)).as("a turn on the pool ended just now").isFalse();
		now.addAndGet(1);
		assertThat(executor.claimTurn(50_000)).isTrue();
		executor.runClaimedTurn();
		assertThat(this.ran).containsExactly("a", "b");
	}

}
