package com.cometchat.spring.benchmarks.jmh;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Figure 4: round trip from send on one connection to receive on a subscription of another (a user's inbox queue),
 * one message in flight. Ours: client A sends to user B, B's message listener sees it. Raw: session A sends the same
 * bytes to a queue that session B subscribes to, B's frame handler sees the raw bytes (no decoding).
 *
 * @author CometChat
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LatencyBenchmark {

	static final String RAW_INBOX = "/queue/cometchat.bench.user.lat-raw-b";

	@Param({ "false", "true" })
	public boolean receipts;

	private DefaultCometChatClient oursSender;

	private DefaultCometChatClient oursReceiver;

	private BenchClients.Raw rawSender;

	private BenchClients.Raw rawReceiver;

	private volatile CompletableFuture<Object> pending = new CompletableFuture<>();

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.oursReceiver = BenchClients.ours("lat-ours-b", this.receipts);
		this.oursReceiver.addMessageListener("bench", (message) -> this.pending.complete(message));
		this.oursSender = BenchClients.ours("lat-ours-a", this.receipts);
		this.rawReceiver = new BenchClients.Raw("lat-raw-b");
		// Decoded as an application would, with one shared mapper
		this.rawReceiver.subscribe(RAW_INBOX, (bytes) -> this.pending.complete(BenchClients.decode(bytes)));
		this.rawSender = new BenchClients.Raw("lat-raw-a");
		Thread.sleep(500);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.oursSender.close();
		this.oursReceiver.close();
		this.rawSender.close();
		this.rawReceiver.close();
	}

	@Benchmark
	public Object ours() throws Exception {
		CompletableFuture<Object> received = new CompletableFuture<>();
		this.pending = received;
		this.oursSender.sendMessage(OutgoingMessage.text(ReceiverType.USER, "lat-ours-b", BenchClients.TEXT));
		return received.get(10, TimeUnit.SECONDS);
	}

	@Benchmark
	public Object raw() throws Exception {
		CompletableFuture<Object> received = new CompletableFuture<>();
		this.pending = received;
		String id = UUID.randomUUID().toString();
		var headers = BenchClients.rawHeaders(RAW_INBOX, id);
		if (this.receipts) {
			headers.setReceipt(id);
		}
		this.rawSender.session.send(headers, BenchClients.payload(id, "lat-raw-a", "user", "lat-raw-b"));
		return received.get(10, TimeUnit.SECONDS);
	}

}
