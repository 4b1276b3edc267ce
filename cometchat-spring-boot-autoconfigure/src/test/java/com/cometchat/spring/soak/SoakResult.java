package com.cometchat.spring.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one {@link ChaosSoak} run and the lines it prints: the summary line, the failures by error code, the
 * details, and the recovery times per fault type.
 *
 * @param seed the seed of the faults and of C's calls
 * @param faults the faults injected
 * @param traffic what happened to A's messages
 * @param maxBrokerSockets per client, the most connections open at once at the broker
 * @param maxOsSockets per client, the most sockets open at once in the OS
 * @param threadsStart live threads of the JVM once the clients were built and first connected
 * @param threadsEnd live threads after the last fault healed and everything settled, clients still running
 * @param checkpoints C's checkpoints
 * @param splitStates C's checkpoints at which its views disagreed
 * @param cCalls C's calls that completed
 * @param cStuckCalls C's calls whose future did not complete in time
 * @param cOutcomes C's calls by operation and outcome
 * @param records every fault and its recovery
 * @param drops per client, how often it left {@code CONNECTED} (C also by its own calls)
 * @param duration how long the run took
 */
record SoakResult(long seed, int faults, Traffic.Figures traffic, Map<ClientRole, Integer> maxBrokerSockets,
		Map<ClientRole, Integer> maxOsSockets, int threadsStart, int threadsEnd, int checkpoints, int splitStates,
		int cCalls, int cStuckCalls, Map<String, Integer> cOutcomes, List<FaultRecord> records,
		Map<ClientRole, Integer> drops, Duration duration) {

	/**
	 * Return the most sockets any one client had open at the same time, at the broker or in the OS.
	 * @return the high-water mark
	 */
	public int maxSockets() {
		return Math.max(max(this.maxBrokerSockets), max(this.maxOsSockets));
	}

	public int pending() {
		return this.traffic.pending();
	}

	public int lost() {
		return this.traffic.lost();
	}

	public int duplicates() {
		return this.traffic.duplicates();
	}

	/**
	 * Return the faults the system did not recover from within the recovery timeout.
	 * @return the count
	 */
	public long unrecovered() {
		return this.records.stream().filter((record) -> !record.recovered()).count();
	}

	/**
	 * Return the summary line.
	 * @return {@code faults=… sent=… confirmed=… failed=… pending=… lost=… duplicates=… maxSockets=… threadsStart=…
	 * threadsEnd=… splitStates=…}
	 */
	public String summaryLine() {
		return "faults=" + this.faults + " sent=" + this.traffic.sent() + " confirmed=" + this.traffic.confirmed()
				+ " failed=" + this.traffic.failed() + " pending=" + pending() + " lost=" + lost() + " duplicates="
				+ duplicates() + " maxSockets=" + maxSockets() + " threadsStart=" + this.threadsStart + " threadsEnd="
				+ this.threadsEnd + " splitStates=" + this.splitStates;
	}

	/**
	 * Return the line of A's failed sends by error code.
	 * @return {@code failedBy: CODE=n ...}
	 */
	public String failuresLine() {
		return "failedBy:" + (this.traffic.failures().isEmpty() ? " none"
				: this.traffic.failures()
					.entrySet()
					.stream()
					.map((entry) -> " " + entry.getKey() + "=" + entry.getValue())
					.collect(Collectors.joining()));
	}

	/**
	 * Return the line of details.
	 * @return the line
	 */
	public String detailLine() {
		return "detail: seed=" + this.seed + " duration=" + this.duration.toSeconds() + "s maxSocketsBroker="
				+ perClient(this.maxBrokerSockets) + " maxSocketsOs=" + perClient(this.maxOsSockets) + " drops="
				+ perClient(this.drops) + " hits=" + perClient(hits()) + " received="
				+ this.traffic.received() + " failedButReceived=" + this.traffic.failedButReceived() + " unrecovered="
				+ unrecovered() + " checkpoints=" + this.checkpoints + " cCalls=" + this.cCalls + " cStuckCalls="
				+ this.cStuckCalls + " cOutcomes=" + this.cOutcomes.toString().replace(" ", "");
	}

	/**
	 * Return one line per fault type: count, then median, 95th percentile and maximum of the time until B received a
	 * fresh message and of the time until the hit clients were {@code CONNECTED} again; then the same for the faults
	 * that hit only clients with a stable connection (see {@link FaultRecord}), which reconnect without back-off.
	 * @return the lines
	 */
	public List<String> recoveryLines() {
		List<String> lines = new ArrayList<>();
		for (FaultType type : FaultType.values()) {
			List<FaultRecord> ofType = this.records.stream().filter((record) -> record.type() == type).toList();
			if (ofType.isEmpty()) {
				continue;
			}
			long unrecovered = ofType.stream().filter((record) -> !record.recovered()).count();
			List<FaultRecord> stable = ofType.stream().filter(FaultRecord::stable).toList();
			lines.add("recovery " + type.label() + ": count=" + ofType.size()
					+ ((unrecovered > 0) ? " unrecovered=" + unrecovered : "") + " receive "
					+ statistics(ofType.stream().mapToLong(FaultRecord::receiveMillis)) + " reconnect "
					+ statistics(ofType.stream().mapToLong(FaultRecord::reconnectMillis)) + " | stable: count="
					+ stable.size() + " receive " + statistics(stable.stream().mapToLong(FaultRecord::receiveMillis))
					+ " reconnect " + statistics(stable.stream().mapToLong(FaultRecord::reconnectMillis)));
		}
		return lines;
	}

	/**
	 * Return every line the soak prints, the summary line first.
	 * @return the lines
	 */
	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		lines.add(summaryLine());
		lines.add(failuresLine());
		lines.add(detailLine());
		lines.addAll(recoveryLines());
		return lines;
	}

	/**
	 * Per client, the faults that reached its connection.
	 */
	private Map<ClientRole, Integer> hits() {
		Map<ClientRole, Integer> hits = new java.util.EnumMap<>(ClientRole.class);
		for (ClientRole role : ClientRole.values()) {
			hits.put(role, (int) this.records.stream().filter((record) -> record.hit().contains(role)).count());
		}
		return hits;
	}

	private static String statistics(java.util.stream.LongStream millis) {
		long[] sorted = millis.filter((value) -> value >= 0).sorted().toArray();
		if (sorted.length == 0) {
			return "median=- p95=- max=-";
		}
		return "median=" + percentile(sorted, 0.5) + "ms p95=" + percentile(sorted, 0.95) + "ms max="
				+ sorted[sorted.length - 1] + "ms";
	}

	/**
	 * Nearest rank.
	 */
	private static long percentile(long[] sorted, double fraction) {
		int rank = (int) Math.ceil(fraction * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static int max(Map<ClientRole, Integer> counts) {
		return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
	}

	private static String perClient(Map<ClientRole, Integer> counts) {
		return counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ":" + entry.getValue())
			.collect(Collectors.joining(","));
	}

}
