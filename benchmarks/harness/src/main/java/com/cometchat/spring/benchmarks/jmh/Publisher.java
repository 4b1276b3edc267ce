package com.cometchat.spring.benchmarks.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sender of {@link ReceiveBenchmark}, in the harness's JVM so that the benchmark's JVM holds the receiving client
 * alone: a raw {@code StompSession} that, for each line {@code <count> <destination> <receiver>} read on a loopback
 * socket, sends that many text messages in ours' JSON to the destination. One publisher serves one benchmark JVM at a
 * time.
 *
 * @author CometChat
 */
public final class Publisher implements AutoCloseable {

	static final String SENDER = "rx-publisher";

	private final BenchClients.Raw session;

	private final ServerSocket server;

	private final Thread acceptor;

	private Publisher(String url) throws Exception {
		this.session = new BenchClients.Raw(SENDER, url);
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::accept, "bench-publisher");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/**
	 * A publisher sending through the broker at {@code url}.
	 */
	public static Publisher start(String url) throws Exception {
		return new Publisher(url);
	}

	/**
	 * The system property a benchmark JVM finds the publisher with.
	 */
	public String jvmArg() {
		return "-Dbench.publisher.port=" + this.server.getLocalPort();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try (Socket socket = this.server.accept()) {
				serve(socket);
			}
			catch (IOException | RuntimeException ex) {
				if (!this.server.isClosed()) {
					System.err.println("Publisher: " + ex);
				}
			}
		}
	}

	private void serve(Socket socket) throws IOException {
		BufferedReader requests = new BufferedReader(
				new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
		String request;
		while ((request = requests.readLine()) != null) {
			String[] words = request.split(" ");
			int count = Integer.parseInt(words[0]);
			for (int i = 0; i < count; i++) {
				String id = UUID.randomUUID().toString();
				this.session.session.send(BenchClients.rawHeaders(words[1], id),
						BenchClients.chatBody(id, SENDER, "user", words[2]));
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.session.close();
	}

	/**
	 * The benchmark's side: asks for a batch and waits until the receiver counted all of it. Its cost per batch (one
	 * socket write, one future, one wake-up) is the same for ours and raw.
	 */
	static final class Batches implements AutoCloseable {

		private final Socket socket;

		private final OutputStream requests;

		private final byte[] request;

		private final int size;

		private final AtomicInteger remaining = new AtomicInteger();

		private volatile CompletableFuture<Void> batch = new CompletableFuture<>();

		Batches(int size, String destination, String receiver) throws IOException {
			String port = System.getProperty("bench.publisher.port");
			if (port == null) {
				throw new IllegalStateException("-Dbench.publisher.port=<port> is required (see Publisher)");
			}
			this.socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port));
			this.socket.setTcpNoDelay(true);
			this.requests = this.socket.getOutputStream();
			this.request = (size + " " + destination + " " + receiver + "\n").getBytes(StandardCharsets.US_ASCII);
			this.size = size;
		}

		/**
		 * Called by the receiver's listener for each message; wakes the benchmark once, at the batch's last.
		 */
		void received() {
			if (this.remaining.decrementAndGet() == 0) {
				this.batch.complete(null);
			}
		}

		/**
		 * Ask for a batch and wait until every message in it was received.
		 */
		void next() throws Exception {
			CompletableFuture<Void> batch = new CompletableFuture<>();
			this.batch = batch;
			this.remaining.set(this.size);
			this.requests.write(this.request);
			this.requests.flush();
			batch.get(30, TimeUnit.SECONDS);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
