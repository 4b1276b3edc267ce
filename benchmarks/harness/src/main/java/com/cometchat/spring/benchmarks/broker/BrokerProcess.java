package com.cometchat.spring.benchmarks.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Artemis ({@link ArtemisBrokerMain}) in a JVM of its own, started, stopped and restarted on the same port.
 *
 * @author CometChat
 */
public final class BrokerProcess implements RecoveryBroker {

	private final Process process;

	private final BufferedReader out;

	private final Writer in;

	private final int port;

	private BrokerProcess(Process process, int port) {
		this.process = process;
		this.port = port;
		this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
	}

	/**
	 * Fork a broker JVM with this JVM's class path and start the broker.
	 * @param maxHeap the broker's {@code -Xmx}, for example {@code 1g}
	 * @param log where the broker's standard error goes
	 * @return the running broker
	 */
	public static BrokerProcess fork(String maxHeap, Path log) {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx" + maxHeap);
		command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(ArtemisBrokerMain.class.getName());
		command.add(String.valueOf(port));
		try {
			Files.createDirectories(log.toAbsolutePath().getParent());
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			BrokerProcess broker = new BrokerProcess(process, port);
			broker.start();
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	@Override
	public String url() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	/**
	 * Start the broker.
	 * @return when it accepted connections again
	 */
	@Override
	public Instant start() {
		return fromMicros(command("start", "started"));
	}

	/**
	 * Stop the broker: every connection drops and the port is closed.
	 * @return when it was stopped
	 */
	@Override
	public Instant stop() {
		return fromMicros(command("stop", "stopped"));
	}

	public int connections() {
		return (int) command("connections", "connections");
	}

	private synchronized long command(String command, String answer) {
		try {
			this.in.write(command + "\n");
			this.in.flush();
			String line;
			while ((line = this.out.readLine()) != null) {
				if (line.startsWith(answer + " ")) {
					return Long.parseLong(line.substring(answer.length() + 1).trim());
				}
			}
			throw new IllegalStateException("The broker process ended (exit " + this.process.waitFor() + ")");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.in.write("quit\n");
			this.in.flush();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (IOException ex) {
			this.process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	public static long nowMicros() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
	}

	public static Instant fromMicros(long micros) {
		return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
