package com.cometchat.spring.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.cometchat.spring.test.RabbitMqStompBroker;

/**
 * Counts the sockets of each client two ways and keeps the most each had open at the same time.
 * <ul>
 * <li><b>In the OS</b>: the TCP sockets this JVM holds (its file descriptors, {@code /proc/self/fd}) whose remote end
 * is the port of the client's fault proxy, every {@value #SAMPLE_MILLIS} ms. Only the client connects to its proxy,
 * so these are the client's own sockets. A socket counts while a descriptor holds it and the kernel still lists its
 * connection in {@code /proc/net/tcp} or {@code tcp6}, in whatever state: {@code SYN_SENT}, {@code ESTABLISHED},
 * {@code CLOSE_WAIT}, {@code FIN_WAIT1/2}, {@code LAST_ACK}. It does not count once the client has closed it, even if
 * the kernel still winds the connection down ({@code TIME_WAIT}, an orphaned {@code FIN_WAIT2}: no descriptor), nor
 * once its connection is gone (reset: no longer listed) while the client still holds the descriptor; such a dead
 * descriptor next to a live socket is written to the log. Each new socket's remote port is looked up once in the
 * kernel's table (a walk of the whole table, too slow to repeat every sample; a read of it can also show a line
 * twice), and the table is read again only when a client holds two descriptors. An overlap shorter than the sampling
 * interval can be missed.</li>
 * <li><b>At the broker</b>: the Web-STOMP connections of the client's users, opened and closed in the order RabbitMQ's
 * event exchange published them ({@link RabbitMqStompBroker#watchConnections}). The broker also counts a connection
 * that it has not noticed dead yet, say one whose client gave up on it behind a silent link.</li>
 * </ul>
 * Each count above one is written to the soak's log with its details.
 */
final class SocketCounts implements AutoCloseable {

	static final int SAMPLE_MILLIS = 10;

	private static final int MAX_LOOKUPS = 50;

	private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	private static final Map<String, String> STATES = Map.ofEntries(Map.entry("01", "ESTABLISHED"),
			Map.entry("02", "SYN_SENT"), Map.entry("03", "SYN_RECV"), Map.entry("04", "FIN_WAIT1"),
			Map.entry("05", "FIN_WAIT2"), Map.entry("06", "TIME_WAIT"), Map.entry("07", "CLOSE"),
			Map.entry("08", "CLOSE_WAIT"), Map.entry("09", "LAST_ACK"), Map.entry("0A", "LISTEN"),
			Map.entry("0B", "CLOSING"));

	private final Map<Integer, ClientRole> proxyPorts = new ConcurrentHashMap<>();

	private final Map<String, ClientRole> users = new ConcurrentHashMap<>();

	private final Map<ClientRole, Counts> counts = new EnumMap<>(ClientRole.class);

	private final Consumer<String> log;

	private final ScheduledExecutorService sampler = Executors
		.newSingleThreadScheduledExecutor(SoakThreads.named("soak-socket-sampler"));

	private final AtomicInteger samples = new AtomicInteger();

	/** Confined to the sampler: the remote port of every socket held (0 for none of interest), by inode. */
	private final Map<String, Integer> remotePorts = new HashMap<>();

	/** Confined to the sampler: how often a held socket was looked up in vain. */
	private final Map<String, Integer> lookups = new HashMap<>();

	/**
	 * Count the sockets of clients.
	 * @param log where counts above one are written
	 */
	SocketCounts(Consumer<String> log) {
		this.log = log;
		for (ClientRole role : ClientRole.values()) {
			this.counts.put(role, new Counts());
		}
	}

	/**
	 * Count the sockets of a client: those to its proxy in the OS, and those of its users at the broker.
	 * @param role the client
	 * @param proxyPort the port of its proxy
	 * @param uids the users it logs in as
	 */
	void add(ClientRole role, int proxyPort, String... uids) {
		this.proxyPorts.put(proxyPort, role);
		for (String uid : uids) {
			this.users.put(uid, role);
		}
	}

	/**
	 * Count the connections at the broker from now on.
	 * @param broker the broker
	 */
	void watch(RabbitMqStompBroker broker) {
		broker.watchConnections(this::brokerChanged);
	}

	/**
	 * Start sampling the OS's sockets.
	 */
	void start() {
		this.sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * Return the client's sockets in the OS at the last sample.
	 * @param role the client
	 * @return the count
	 */
	int os(ClientRole role) {
		return this.counts.get(role).os;
	}

	/**
	 * Return the most sockets the client had in the OS at one sample.
	 * @param role the client
	 * @return the high-water mark
	 */
	int maxOs(ClientRole role) {
		return this.counts.get(role).maxOs;
	}

	/**
	 * Return the users of the client's open connections at the broker, one entry per connection.
	 * @param role the client
	 * @return the users
	 */
	List<String> brokerConnections(ClientRole role) {
		return List.copyOf(this.counts.get(role).brokerConnections.values());
	}

	/**
	 * Return the most connections of the client that were open at the broker at the same time.
	 * @param role the client
	 * @return the high-water mark
	 */
	int maxBroker(ClientRole role) {
		return this.counts.get(role).maxBroker;
	}

	/**
	 * Return the number of samples of the OS's sockets taken so far.
	 * @return the count
	 */
	int samples() {
		return this.samples.get();
	}

	/**
	 * Stop sampling.
	 */
	@Override
	public void close() {
		SoakThreads.stop(this.sampler);
	}

	private void brokerChanged(String uid, String pid, boolean open) {
		ClientRole role = this.users.get(uid);
		if (role == null) {
			return;
		}
		Counts counts = this.counts.get(role);
		synchronized (counts) {
			if (open) {
				counts.brokerConnections.put(pid, uid);
			}
			else {
				counts.brokerConnections.remove(pid);
			}
			int now = counts.brokerConnections.size();
			if (now > counts.maxBroker) {
				counts.maxBroker = now;
			}
			if (open && now > 1) {
				this.log.accept("sockets: " + role + " has " + now + " connections at the broker: "
						+ counts.brokerConnections);
			}
		}
	}

	private void sample() {
		try {
			Set<String> held = heldSocketInodes();
			this.remotePorts.keySet().retainAll(held);
			this.lookups.keySet().retainAll(held);
			List<String> unknown = held.stream().filter((inode) -> !this.remotePorts.containsKey(inode)).toList();
			if (!unknown.isEmpty()) {
				Map<String, TcpSocket> table = tcpTable();
				for (String inode : unknown) {
					TcpSocket socket = table.get(inode);
					if (socket != null && socket.remotePort() != 0) {
						this.remotePorts.put(inode, socket.remotePort());
					}
					else if (this.lookups.merge(inode, 1, Integer::sum) >= MAX_LOOKUPS) {
						// Not a TCP socket, a listening one, or one that never connected
						this.remotePorts.put(inode, 0);
					}
				}
			}
			Map<ClientRole, List<String>> own = new EnumMap<>(ClientRole.class);
			this.remotePorts.forEach((inode, port) -> {
				ClientRole role = this.proxyPorts.get(port);
				if (role != null) {
					own.computeIfAbsent(role, (key) -> new ArrayList<>()).add(inode);
				}
			});
			for (ClientRole role : ClientRole.values()) {
				List<String> ofClient = own.getOrDefault(role, List.of());
				int count = ofClient.size();
				Counts counts = this.counts.get(role);
				if (count > 1) {
					Map<String, TcpSocket> table = tcpTable();
					List<String> live = ofClient.stream().filter(table::containsKey).toList();
					count = live.size();
					if (count != ofClient.size() && ofClient.size() != counts.heldWithDead) {
						this.log.accept("sockets: " + role + " still holds " + (ofClient.size() - count)
								+ " descriptor(s) of a connection the kernel dropped, next to "
								+ live.stream().map(table::get).toList());
					}
					counts.heldWithDead = ofClient.size();
					if (count > 1 && count != counts.os) {
						this.log.accept("sockets: " + role + " has " + count + " sockets in the OS: "
								+ live.stream().map(table::get).toList());
					}
				}
				else {
					counts.heldWithDead = count;
				}
				counts.os = count;
				if (count > counts.maxOs) {
					counts.maxOs = count;
				}
			}
			this.samples.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.log.accept("sockets: sampling failed: " + ex);
		}
	}

	/**
	 * The inodes of the sockets this JVM holds a descriptor of.
	 */
	private static Set<String> heldSocketInodes() {
		Set<String> inodes = new HashSet<>();
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
			for (Path descriptor : descriptors) {
				try {
					String target = Files.readSymbolicLink(descriptor).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// Closed while listed
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return inodes;
	}

	/**
	 * The kernel's TCP sockets that belong to a descriptor, by inode.
	 */
	private static Map<String, TcpSocket> tcpTable() {
		Map<String, TcpSocket> sockets = new HashMap<>();
		for (Path table : TCP_TABLES) {
			if (!Files.isReadable(table)) {
				continue;
			}
			List<String> lines;
			try {
				lines = Files.readAllLines(table);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			for (int i = 1; i < lines.size(); i++) {
				String[] columns = lines.get(i).trim().split("\\s+");
				if (columns.length >= 10 && !"0".equals(columns[9])) {
					sockets.put(columns[9], new TcpSocket(port(columns[1]), port(columns[2]),
							STATES.getOrDefault(columns[3], columns[3])));
				}
			}
		}
		return sockets;
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
	}

	/**
	 * A TCP socket in the OS.
	 */
	private record TcpSocket(int localPort, int remotePort, String state) {

		@Override
		public String toString() {
			return ":" + this.localPort + "->:" + this.remotePort + " " + this.state;
		}

	}

	/**
	 * The counts of one client.
	 */
	private static final class Counts {

		private volatile int os;

		private volatile int maxOs;

		/** Confined to the sampler: descriptors held at the last sample, dead connections included. */
		private int heldWithDead;

		private final Map<String, String> brokerConnections = new ConcurrentHashMap<>();

		private volatile int maxBroker;

	}

}
