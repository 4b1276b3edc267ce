package com.cometchat.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP sockets of this machine as the operating system sees them (Linux: {@code /proc/net/tcp} and
 * {@code tcp6}), to count a client's sockets where they really live: a socket a peer stopped answering on stays
 * {@code ESTABLISHED} in the client's own stack until the client drops it.
 */
public final class TcpSockets {

	private static final String ESTABLISHED = "01";

	private TcpSockets() {
	}

	/**
	 * Whether the operating system shows its sockets here.
	 * @return whether {@code /proc/net/tcp} exists
	 */
	public static boolean available() {
		return Files.isReadable(Path.of("/proc/net/tcp"));
	}

	/**
	 * Return the local ports of the established sockets connected to a remote port (the client ends of the
	 * connections to a server listening there).
	 * @param remotePort the server's port
	 * @return the local ports
	 */
	public static List<Integer> establishedTo(int remotePort) {
		List<Integer> ports = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path path = Path.of(table);
			if (!Files.isReadable(path)) {
				continue;
			}
			try {
				for (String line : Files.readAllLines(path)) {
					String[] columns = line.trim().split("\\s+");
					if (columns.length < 4 || !columns[3].equals(ESTABLISHED)) {
						continue;
					}
					if (port(columns[2]) == remotePort) {
						ports.add(port(columns[1]));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return ports;
	}

	private static int port(String address) {
		int colon = address.lastIndexOf(':');
		return (colon < 0) ? -1 : Integer.parseInt(address.substring(colon + 1), 16);
	}

}
