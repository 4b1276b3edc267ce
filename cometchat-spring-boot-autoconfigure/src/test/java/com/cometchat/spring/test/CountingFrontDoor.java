package com.cometchat.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP front door for a broker that counts the sockets open through it: one thread with one {@link Selector} does
 * everything, and in each round it handles every readable socket (data, or the end of a socket) before it accepts new
 * ones.
 * <p>
 * A socket counts as open from the first byte the broker answers on it (for a WebSocket, its upgrade response: the
 * broker took the socket) until either side closes it; then both sides are closed. Bytes are passed on unchanged.
 * Not from the accept: the kernel keeps no order between two sockets, so the SYN of a client's next socket can reach
 * the front door before the FIN of the socket the client closed just before (seen once in CI on a loaded machine; the
 * client's socket was closed before its close was reported). Between the SYN and the broker's first byte lie the TCP
 * handshake and a request through this thread and the broker: the FIN that came first is read by then. A client that
 * opens a second socket while the first is open is counted twice.
 */
public final class CountingFrontDoor implements AutoCloseable {

	private final InetSocketAddress upstream;

	private final Selector selector;

	private final ServerSocketChannel server;

	private final Thread thread;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger highWaterMark = new AtomicInteger();

	private volatile boolean running = true;

	/**
	 * Open the front door.
	 * @param upstreamHost the broker's host
	 * @param upstreamPort the broker's port
	 */
	public CountingFrontDoor(String upstreamHost, int upstreamPort) {
		this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
		try {
			this.selector = Selector.open();
			this.server = ServerSocketChannel.open();
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			this.server.configureBlocking(false);
			this.server.register(this.selector, SelectionKey.OP_ACCEPT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.thread = new Thread(this::run, "counting-front-door");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Return the URL of the front door for a path of the broker.
	 * @param path the path, such as {@code /ws}
	 * @return a {@code ws://} URL
	 */
	public String url(String path) {
		return "ws://127.0.0.1:" + this.server.socket().getLocalPort() + path;
	}

	/**
	 * Return the sockets open now.
	 * @return the count
	 */
	public int open() {
		return this.open.get();
	}

	/**
	 * Return the sockets accepted so far.
	 * @return the count
	 */
	public int accepted() {
		return this.accepted.get();
	}

	/**
	 * Return the most sockets that were open at once.
	 * @return the high-water mark
	 */
	public int highWaterMark() {
		return this.highWaterMark.get();
	}

	private void run() {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		while (this.running) {
			try {
				this.selector.select();
				List<SelectionKey> accepts = new ArrayList<>();
				for (SelectionKey key : this.selector.selectedKeys()) {
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accepts.add(key);
					}
					else if (key.isReadable()) {
						pump(key, buffer);
					}
				}
				this.selector.selectedKeys().clear();
				for (SelectionKey key : accepts) {
					accept();
				}
			}
			catch (IOException ex) {
				if (this.running) {
					throw new UncheckedIOException(ex);
				}
			}
		}
	}

	private void accept() throws IOException {
		SocketChannel client;
		while ((client = this.server.accept()) != null) {
			this.accepted.incrementAndGet();
			Pair pair = new Pair(client);
			try {
				SocketChannel broker = SocketChannel.open(this.upstream);
				pair.broker = broker;
				client.configureBlocking(false);
				broker.configureBlocking(false);
				client.register(this.selector, SelectionKey.OP_READ, pair);
				broker.register(this.selector, SelectionKey.OP_READ, pair);
			}
			catch (IOException ex) {
				pair.close();
			}
		}
	}

	private void pump(SelectionKey key, ByteBuffer buffer) {
		Pair pair = (Pair) key.attachment();
		SocketChannel from = (SocketChannel) key.channel();
		SocketChannel to = (from == pair.client) ? pair.broker : pair.client;
		try {
			buffer.clear();
			int read = from.read(buffer);
			if (read < 0) {
				pair.close();
				return;
			}
			if (from == pair.broker && !pair.counted) {
				pair.counted = true;
				this.highWaterMark.accumulateAndGet(this.open.incrementAndGet(), Math::max);
			}
			buffer.flip();
			while (buffer.hasRemaining()) {
				to.write(buffer);
			}
		}
		catch (IOException ex) {
			pair.close();
		}
	}

	@Override
	public void close() {
		this.running = false;
		this.selector.wakeup();
		try {
			this.thread.join(5000);
			for (SelectionKey key : this.selector.keys()) {
				key.channel().close();
			}
			this.selector.close();
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private final class Pair {

		final SocketChannel client;

		SocketChannel broker;

		private boolean closed;

		/** Whether the broker answered on it, so that it counts as open. */
		boolean counted;

		Pair(SocketChannel client) {
			this.client = client;
		}

		void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (this.counted) {
				CountingFrontDoor.this.open.decrementAndGet();
			}
			closeQuietly(this.client);
			closeQuietly(this.broker);
		}

		private static void closeQuietly(SocketChannel channel) {
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException ex) {
					// Already gone
				}
			}
		}

	}

}
