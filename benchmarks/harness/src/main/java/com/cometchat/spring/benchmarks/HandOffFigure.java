package com.cometchat.spring.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.cometchat.spring.client.CometChatResources;

/**
 * What a hand-off from one thread to another costs on this machine, with no client and no socket: the JDK alone. A
 * waiting thread (the application's, as in figure 4) wakes a reading thread after a pause as long as a round trip's
 * network part, and waits for a future. In {@code direct} the reading thread completes the future itself (raw's
 * frame handler); in {@code pool} it hands the completion to ours' default callback pool (a {@code ForkJoinPool}
 * made by {@link CometChatResources}) (our listeners, DESIGN §11). The difference is what the rule that no user code runs on a reading
 * thread costs here per round trip, before any code of ours runs. Each is measured with the pause and without it
 * (round trips back to back, so no core has the time to go idle), to show how much of a wake-up is the waking of an
 * idle core. The four take turns in blocks, so that all see the same machine.
 *
 * @author CometChat
 */
public final class HandOffFigure {

	private static final long[] PAUSES_NANOS = { TimeUnit.MICROSECONDS.toNanos(100), 0 };

	private static final int BLOCK = 1_000;

	private final Results results;

	private final int blocks;

	public HandOffFigure(Results results, int blocks) {
		this.results = results;
		this.blocks = blocks;
	}

	public void run() throws Exception {
		// Ours' default callback pool itself, as a client built without executors of its own gets it
		CometChatResources resources = CometChatResources.builder().build();
		Map<String, Executor> ways = new LinkedHashMap<>();
		ways.put("direct", Runnable::run);
		ways.put("pool", resources.getCallbackExecutor());
		Map<String, List<Long>> samples = new LinkedHashMap<>();
		Reader reader = new Reader();
		reader.start();
		try {
			// The first two blocks of each warm the JIT up and are not kept
			for (int block = 0; block < this.blocks + 2; block++) {
				for (long pause : PAUSES_NANOS) {
					for (Map.Entry<String, Executor> way : ways.entrySet()) {
						String key = way.getKey() + ", " + TimeUnit.NANOSECONDS.toMicros(pause) + " µs apart";
						List<Long> kept = samples.computeIfAbsent(key, (k) -> new ArrayList<>());
						if (block < 2) {
							kept = new ArrayList<>();
						}
						for (int i = 0; i < BLOCK; i++) {
							kept.add(reader.roundTrip(way.getValue(), pause));
						}
					}
				}
			}
		}
		finally {
			reader.interrupt();
			resources.close();
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("figure", "hand-off: a waiting thread wakes a reading thread, which completes its future itself"
				+ " (direct) or through ours' default callback pool (pool), after a pause of 100 µs or none;"
				+ " µs per round trip, no socket");
		document.put("samples_each", this.blocks * BLOCK);
		Map<String, Object> figures = new LinkedHashMap<>();
		samples.forEach((way, nanos) -> figures.put(way, Stats.of(micros(nanos)).toMap()));
		document.put("round_trip_us", figures);
		this.results.json("handoff", document);
		figures.forEach((way, stats) -> System.out.println("hand-off " + way + ": " + stats));
	}

	private static List<Double> micros(List<Long> nanos) {
		return nanos.stream().map((value) -> value / 1_000.0).toList();
	}

	/**
	 * A thread parked as a WebSocket reading thread is between frames; woken, it completes the future it was given.
	 */
	private static final class Reader extends Thread {

		private volatile CompletableFuture<Object> pending;

		private volatile Executor completer;

		Reader() {
			super("hand-off-reader");
			setDaemon(true);
		}

		long roundTrip(Executor way, long pauseNanos) throws Exception {
			if (pauseNanos > 0) {
				LockSupport.parkNanos(pauseNanos);
			}
			CompletableFuture<Object> received = new CompletableFuture<>();
			this.completer = way;
			long started = System.nanoTime();
			this.pending = received;
			LockSupport.unpark(this);
			received.get(10, TimeUnit.SECONDS);
			return System.nanoTime() - started;
		}

		@Override
		public void run() {
			while (!isInterrupted()) {
				CompletableFuture<Object> received = this.pending;
				if (received == null) {
					LockSupport.park(this);
					continue;
				}
				this.pending = null;
				this.completer.execute(() -> received.complete(Boolean.TRUE));
			}
		}

	}

}
