package com.cometchat.spring.benchmarks;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HandOffFigure}.
 */
class HandOffFigureTests {

	@Test
	@SuppressWarnings("unchecked")
	void eachWayIsSampledAsOftenWithAndWithoutThePause(@TempDir Path directory) throws Exception {
		new HandOffFigure(new Results(directory), 1).run();
		Map<String, Object> written = Results.read(directory.resolve("handoff.json"));
		assertThat(written).containsKey("machine").containsEntry("samples_each", 1_000);
		Map<String, Map<String, Object>> roundTrips = (Map<String, Map<String, Object>>) written.get("round_trip_us");
		assertThat(roundTrips).containsOnlyKeys("direct, 100 µs apart", "pool, 100 µs apart", "direct, 0 µs apart",
				"pool, 0 µs apart");
		roundTrips.values().forEach((stats) -> {
			assertThat(stats).containsEntry("n", 1_000);
			assertThat(((Number) stats.get("min")).doubleValue()).isPositive();
		});
	}

}
