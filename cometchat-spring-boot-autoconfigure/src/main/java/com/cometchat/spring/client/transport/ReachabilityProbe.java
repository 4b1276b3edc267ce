package com.cometchat.spring.client.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * Learns that a broker is back before the reconnect back-off would: while at least one connection waits to
 * reconnect, it opens a plain TCP connection to the broker's host and port at once and then every interval (and
 * closes it at once), and
 * when one succeeds after one had failed, it wakes the waiting connections, spread at random over a window that grows
 * with their number so that thousands of clients do not all reconnect in the same millisecond.
 * <p>
 * Only a change from unreachable to reachable wakes a connection: a broker that accepts TCP but failed the STOMP
 * connection for another reason (it is still starting or stopping, a proxy in front of it is up while the broker is
 * not) is left to the back-off, and waking would only make a storm; if it then goes down and comes back, that wakes
 * it. The one exception is a watch that asks for it (once per outage, the caller decides): a port found open at the
 * first look counts as back, for a broker whose port opened just after the attempt that failed reached it. One
 * prober serves all the connections of a transport; it runs on the transport's scheduler and I/O executor and stops
 * when nobody waits.
 *
 * @author CometChat
 */
final class ReachabilityProbe {

	private static final Log logger = LogFactory.getLog(ReachabilityProbe.class);

	private final String host;

	private final int port;

	private final TaskScheduler scheduler;

	private final Executor ioExecutor;

	private final Duration interval;

	private final Duration spreadPerWaiter;

	private final Duration maxSpread;

	private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private @Nullable ScheduledFuture<?> next;

	private boolean probing;

	/**
	 * Create a probe.
	 * @param url the broker's URL ({@code ws}, {@code wss}, {@code http} or {@code https}); its host and port are
	 * probed
	 * @param scheduler times the probes and the spread wake-ups
	 * @param ioExecutor runs the connects, which block for up to the interval
	 * @param interval time between probes
	 * @param spreadPerWaiter how much the wake-up window grows with each waiting connection
	 * @param maxSpread the largest wake-up window
	 */
	ReachabilityProbe(URI url, TaskScheduler scheduler, Executor ioExecutor, Duration interval,
			Duration spreadPerWaiter, Duration maxSpread) {
		Assert.notNull(url.getHost(), "'url' must have a host");
		Assert.isTrue(interval.toMillis() > 0, "'interval' must be positive");
		this.host = url.getHost();
		this.port = (url.getPort() != -1) ? url.getPort()
				: ("wss".equals(url.getScheme()) || "https".equals(url.getScheme())) ? 443 : 80;
		this.scheduler = scheduler;
		this.ioExecutor = ioExecutor;
		this.interval = interval;
		this.spreadPerWaiter = spreadPerWaiter;
		this.maxSpread = maxSpread;
	}

	/**
	 * Wait for the broker to come back.
	 * @param onBack called at most once, on a scheduler or I/O thread, when the broker was seen unreachable and
	 * then reachable
	 * @return stops waiting; safe to call more than once and after {@code onBack}
	 */
	Runnable watch(Runnable onBack) {
		return watch(onBack, false);
	}

	/**
	 * Wait for the broker to come back.
	 * @param onBack called at most once, on a scheduler or I/O thread, when the broker was seen unreachable and
	 * then reachable
	 * @param openPortIsBack whether the broker found reachable by the first probe counts as back (the attempt that
	 * just failed stands for "seen unreachable")
	 * @return stops waiting; safe to call more than once and after {@code onBack}
	 */
	Runnable watch(Runnable onBack, boolean openPortIsBack) {
		Watch watch = new Watch(onBack, openPortIsBack);
		this.watches.add(watch);
		boolean idle;
		synchronized (this.monitor) {
			idle = this.next == null && !this.probing;
		}
		if (idle) {
			// At once: a broker that comes back within the first interval would otherwise be seen up first
			probe();
		}
		return () -> this.watches.remove(watch);
	}

	/**
	 * How many connections wait.
	 * @return the number
	 */
	int waiting() {
		return this.watches.size();
	}

	private void scheduleNext() {
		synchronized (this.monitor) {
			if (this.next != null || this.probing || this.watches.isEmpty()) {
				return;
			}
			this.next = this.scheduler.schedule(this::probe, this.scheduler.getClock().instant().plus(this.interval));
		}
	}

	private void probe() {
		synchronized (this.monitor) {
			if (this.probing) {
				return;
			}
			if (this.next != null) {
				this.next.cancel(false);
				this.next = null;
			}
			if (this.watches.isEmpty()) {
				return;
			}
			this.probing = true;
		}
		try {
			this.ioExecutor.execute(() -> onResult(reachable()));
		}
		catch (RuntimeException ex) {
			// The executor is shut down: the client is closing
			logger.debug("Broker probe not run", ex);
			synchronized (this.monitor) {
				this.probing = false;
			}
		}
	}

	private boolean reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), (int) this.interval.toMillis());
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private void onResult(boolean reachable) {
		List<Watch> current = new ArrayList<>(this.watches);
		if (!reachable) {
			current.forEach((watch) -> watch.sawDown = true);
		}
		else {
			List<Watch> woken = new ArrayList<>();
			for (Watch watch : current) {
				// Only a broker seen down and then up is "back"; the others keep watching for that
				if (watch.sawDown && this.watches.remove(watch)) {
					woken.add(watch);
				}
			}
			wake(woken);
		}
		synchronized (this.monitor) {
			this.probing = false;
		}
		scheduleNext();
	}

	private void wake(List<Watch> woken) {
		if (woken.isEmpty()) {
			return;
		}
		logger.debug("Broker " + this.host + ":" + this.port + " is reachable again; waking " + woken.size()
				+ " connection(s)");
		long window = Math.min(this.spreadPerWaiter.toNanos() * woken.size(), this.maxSpread.toNanos());
		for (Watch watch : woken) {
			long delay = (window > 0) ? ThreadLocalRandom.current().nextLong(window) : 0;
			if (delay == 0) {
				watch.onBack.run();
			}
			else {
				try {
					this.scheduler.schedule(watch.onBack, this.scheduler.getClock().instant().plusNanos(delay));
				}
				catch (RuntimeException ex) {
					// The scheduler is shut down: the client is closing, nobody is to be woken
					logger.debug("Broker wake-up not scheduled", ex);
				}
			}
		}
	}

	private static final class Watch {

		final Runnable onBack;

		volatile boolean sawDown;

		Watch(Runnable onBack, boolean sawDown) {
			this.onBack = onBack;
			this.sawDown = sawDown;
		}

	}

}
