package com.cometchat.spring.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Stats}; the benchmarks themselves only run with {@code benchmarks/run.sh}.
 */
class StatsTests {

	@Test
	void medianOfOddAndEvenSamples() {
		assertThat(Stats.of(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
		assertThat(Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
	}

	@Test
	void p99IsNearestRankSoTheMaximumBelowOneHundredSamples() {
		assertThat(Stats.of(List.of(1.0, 2.0, 50.0)).p99()).isEqualTo(50.0);
		List<Double> hundred = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(Double::valueOf).toList();
		assertThat(Stats.of(hundred).p99()).isEqualTo(99.0);
	}

	@Test
	void emptySampleIsNotANumber() {
		Stats stats = Stats.of(List.of());
		assertThat(stats.n()).isZero();
		assertThat(stats.median()).isNaN();
	}

}
