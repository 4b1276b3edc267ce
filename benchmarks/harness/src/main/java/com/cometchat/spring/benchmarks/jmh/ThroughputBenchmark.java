package com.cometchat.spring.benchmarks.jmh;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ErrorCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.messaging.simp.stomp.StompSession;

/**
 * Figure 3: messages sent per second to a topic nobody subscribes to (the broker drops them), in batches of
 * {@value #BATCH}: a batch ends when every send has completed, on its RECEIPT with receipts on, when written with
 * receipts off.
 *
 * @author CometChat
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBenchmark {

	static final int BATCH = 100;

	static final String SINK = "/topic/cometchat.bench.group.sink";

	@Param({ "false", "true" })
	public boolean receipts;

	private DefaultCometChatClient ours;

	private BenchClients.Raw raw;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.ours = BenchClients.ours("tp-ours", this.receipts);
		this.raw = new BenchClients.Raw("tp-raw");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.ours.close();
		this.raw.close();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void ours() {
		CompletableFuture<?>[] sent = new CompletableFuture<?>[BATCH];
		for (int i = 0; i < BATCH; i++) {
			sent[i] = this.ours.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, "sink", BenchClients.TEXT));
		}
		CompletableFuture.allOf(sent).join();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void raw() {
		CompletableFuture<?>[] sent = new CompletableFuture<?>[BATCH];
		for (int i = 0; i < BATCH; i++) {
			String id = UUID.randomUUID().toString();
			var headers = BenchClients.rawHeaders(SINK, id);
			byte[] payload = BenchClients.payload(id, "tp-raw", "group", "sink");
			if (this.receipts) {
				headers.setReceipt(id);
				CompletableFuture<Void> confirmed = new CompletableFuture<>();
				StompSession.Receiptable receiptable = this.raw.session.send(headers, payload);
				receiptable.addReceiptTask(() -> confirmed.complete(null));
				receiptable.addReceiptLostTask(() -> confirmed
					.completeExceptionally(new CometChatException(ErrorCode.RECEIPT_TIMEOUT, "no receipt")));
				sent[i] = confirmed;
			}
			else {
				this.raw.session.send(headers, payload);
				sent[i] = CompletableFuture.completedFuture(null);
			}
		}
		CompletableFuture.allOf(sent).join();
	}

}
