package com.cometchat.spring.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the OS side of {@link SocketCounts}: the sockets this JVM holds to a port, read from {@code /proc}.
 */
@EnabledOnOs(OS.LINUX)
class SocketCountsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<String> log = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void countsTheSocketsHeldToAClientsPortAndKeepsTheMost() throws IOException {
		ServerSocket proxy = listen();
		ServerSocket other = listen();
		SocketCounts counts = new SocketCounts(this.log::add);
		this.closeables.add(counts);
		counts.add(ClientRole.A, proxy.getLocalPort(), "a");
		counts.start();
		Socket first = connect(proxy);
		connect(other);
		await().atMost(TIMEOUT).until(() -> counts.os(ClientRole.A) == 1);
		Socket second = connect(proxy);
		await().atMost(TIMEOUT).until(() -> counts.os(ClientRole.A) == 2);
		first.close();
		second.close();
		// Closed by this side, the sockets linger in TIME_WAIT or FIN_WAIT2 but belong to no descriptor
		await().atMost(TIMEOUT).until(() -> counts.os(ClientRole.A) == 0);
		assertThat(counts.maxOs(ClientRole.A)).isEqualTo(2);
		assertThat(counts.maxOs(ClientRole.B)).isZero();
		assertThat(this.log).anyMatch((line) -> line.startsWith("sockets: A has 2 sockets in the OS"));
	}

	@Test
	void aSocketWhoseConnectionWasResetNoLongerCountsThoughItsDescriptorIsStillHeld() throws IOException {
		ServerSocket proxy = listen();
		SocketCounts counts = new SocketCounts(this.log::add);
		this.closeables.add(counts);
		counts.add(ClientRole.A, proxy.getLocalPort(), "a");
		counts.start();
		Socket reset = new Socket();
		this.closeables.add(reset);
		reset.connect(new InetSocketAddress("127.0.0.1", proxy.getLocalPort()), (int) TIMEOUT.toMillis());
		Socket accepted = proxy.accept();
		// Seen while its connection is there: a socket reset before its first sample is never known as the client's
		await().atMost(TIMEOUT).until(() -> counts.os(ClientRole.A) == 1);
		accepted.setSoLinger(true, 0);
		accepted.close();
		// The reset has reached the client's end once a read fails; its descriptor stays open
		assertThatExceptionOfType(SocketException.class).isThrownBy(() -> reset.getInputStream().read());
		connect(proxy);
		await().atMost(TIMEOUT)
			.until(() -> this.log.stream().anyMatch((line) -> line.startsWith("sockets: A still holds 1 descriptor")));
		assertThat(counts.os(ClientRole.A)).isOne();
		assertThat(counts.maxOs(ClientRole.A)).isOne();
	}

	private ServerSocket listen() throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		this.closeables.add(server);
		return server;
	}

	private Socket connect(ServerSocket server) throws IOException {
		Socket socket = new Socket();
		this.closeables.add(socket);
		socket.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), (int) TIMEOUT.toMillis());
		// The accepted end stays open: only this JVM's client ends count, and they are what is closed below
		this.closeables.add(server.accept());
		return socket;
	}

}
