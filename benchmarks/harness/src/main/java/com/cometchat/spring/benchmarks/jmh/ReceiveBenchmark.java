package com.cometchat.spring.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.DefaultCometChatClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Messages received per second by one client, with nothing else in its JVM: the {@link Publisher}, in the harness's
 * JVM, sends batches of {@value #BATCH} text messages (the same bytes for both) to the receiver's inbox queue, and an
 * operation is one message that reached the application. Ours: a {@code MessageListener} (decoded to a
 * {@code ChatMessage}, acknowledged one by one). Raw: a {@code StompFrameHandler} on an {@code ack:auto} subscription
 * that decodes the body with a shared {@code JsonMapper}; raw acked: the same, acknowledging as ours does. What JMH's
 * GC profiler and JFR see here is the receive path alone, which the round trip of {@link LatencyBenchmark} mixes with
 * a send.
 *
 * @author CometChat
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReceiveBenchmark {

	static final int BATCH = 100;

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void ours(Ours receiver) throws Exception {
		receiver.batches.next();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void raw(Raw receiver) throws Exception {
		receiver.batches.next();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void rawAcked(RawAcked receiver) throws Exception {
		receiver.batches.next();
	}

	/**
	 * Ours, alone in the JVM (JMH makes only the states a benchmark method takes).
	 */
	@State(Scope.Benchmark)
	public static class Ours {

		private static final String UID = "rx-ours";

		Publisher.Batches batches;

		private DefaultCometChatClient client;

		@Setup(Level.Trial)
		public void setUp() throws Exception {
			this.batches = new Publisher.Batches(BATCH, "/queue/cometchat.bench.user." + UID, UID);
			this.client = BenchClients.ours(UID, true);
			this.client.addMessageListener("bench", (message) -> this.batches.received());
			Thread.sleep(500);
		}

		@TearDown(Level.Trial)
		public void tearDown() throws Exception {
			this.client.close();
			this.batches.close();
		}

	}

	/**
	 * Raw, alone in the JVM.
	 */
	@State(Scope.Benchmark)
	public static class Raw {

		private static final String UID = "rx-raw";

		Publisher.Batches batches;

		private BenchClients.Raw client;

		@Setup(Level.Trial)
		public void setUp() throws Exception {
			String inbox = "/queue/cometchat.bench.user." + UID;
			this.batches = new Publisher.Batches(BATCH, inbox, UID);
			this.client = new BenchClients.Raw(UID);
			this.client.subscribe(inbox, (bytes) -> {
				BenchClients.decode(bytes);
				this.batches.received();
			});
			Thread.sleep(500);
		}

		@TearDown(Level.Trial)
		public void tearDown() throws Exception {
			this.client.close();
			this.batches.close();
		}

	}

	/**
	 * Raw acknowledging as ours does ({@code ack:client-individual}, an {@code ACK} per message, written on the
	 * receiving thread): what the acknowledgements cost apart from the rest of ours.
	 */
	@State(Scope.Benchmark)
	public static class RawAcked {

		private static final String UID = "rx-raw-acked";

		Publisher.Batches batches;

		private BenchClients.Raw client;

		@Setup(Level.Trial)
		public void setUp() throws Exception {
			String inbox = "/queue/cometchat.bench.user." + UID;
			this.batches = new Publisher.Batches(BATCH, inbox, UID);
			this.client = new BenchClients.Raw(UID);
			this.client.subscribeAcknowledged(inbox, (bytes) -> {
				BenchClients.decode(bytes);
				this.batches.received();
			});
			Thread.sleep(500);
		}

		@TearDown(Level.Trial)
		public void tearDown() throws Exception {
			this.client.close();
			this.batches.close();
		}

	}

}
