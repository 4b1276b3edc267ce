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

}
