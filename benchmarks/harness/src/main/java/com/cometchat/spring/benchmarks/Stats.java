package com.cometchat.spring.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Order statistics of a sample: median, p99 (nearest rank), min, max.
 *
 * @author CometChat
 */
public record Stats(int n, double median, double p99, double min, double max) {

	public static Stats of(List<Double> values) {
		if (values.isEmpty()) {
			return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return new Stats(n, median, percentile(sorted, 99), sorted.get(0), sorted.get(n - 1));
	}

	/**
	 * Nearest-rank percentile of sorted values: with fewer than 100 values, p99 is the maximum.
	 */
	static double percentile(List<Double> sorted, double p) {
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("n", this.n);
		map.put("median", round(this.median));
		map.put("p99", round(this.p99));
		map.put("min", round(this.min));
		map.put("max", round(this.max));
		return map;
	}

	public static double round(double value) {
		return Double.isNaN(value) ? value : Math.round(value * 1000.0) / 1000.0;
	}

}
