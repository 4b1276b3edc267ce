package com.cometchat.spring.benchmarks.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's RabbitMQ with its Web-STOMP plugin ({@code ws://127.0.0.1:15674/ws}), stopped and started with
 * {@code rabbitmqctl stop_app} / {@code start_app}. The users the probes log in as are created with the passcode
 * {@link ArtemisBrokerMain#PASSCODE}. "Accepting again" is the first moment a TCP connect to port 15674 succeeds
 * after {@code start_app}, polled every millisecond.
 *
 * @author CometChat
 */
public final class RabbitMqBroker implements RecoveryBroker {

	private static final int PORT = 15674;

	public RabbitMqBroker(List<String> users) {
		for (String user : users) {
			rabbitmqctl(true, "delete_user", user);
			rabbitmqctl(false, "add_user", user, ArtemisBrokerMain.PASSCODE);
			rabbitmqctl(false, "set_permissions", "-p", "/", user, ".*", ".*", ".*");
		}
	}

	/**
	 * Whether RabbitMQ's Web-STOMP endpoint is reachable here.
	 * @return whether a TCP connect to port 15674 succeeds
	 */
	public static boolean isRunning() {
		return accepts();
	}

	@Override
	public String url() {
		return "ws://127.0.0.1:" + PORT + "/ws";
	}

	@Override
	public Instant stop() {
		rabbitmqctl(false, "stop_app");
		return Instant.now();
	}

	@Override
	public Instant start() {
		Process process = launch("start_app");
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (!accepts()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("RabbitMQ Web-STOMP did not come back within 120 s");
			}
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		Instant back = Instant.now();
		finish(process, false, "start_app");
		return back;
	}

	@Override
	public void close() {
		if (!accepts()) {
			rabbitmqctl(false, "start_app");
		}
	}

	private static boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", PORT), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void rabbitmqctl(boolean mayFail, String... args) {
		finish(launch(args), mayFail, String.join(" ", args));
	}

	private static Process launch(String... args) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
		command.addAll(List.of(args));
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void finish(Process process, boolean mayFail, String what) {
		try {
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("rabbitmqctl " + what + " did not finish within 120 s");
			}
			if (process.exitValue() != 0 && !mayFail) {
				throw new IllegalStateException("rabbitmqctl " + what + " failed (exit " + process.exitValue() + ")");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
