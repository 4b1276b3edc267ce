package com.cometchat.spring.client.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReachabilityProbe}: real TCP connects to a real listening (or closed) port, probe times in virtual
 * time (the connects run on the calling thread).
 */
class ReachabilityProbeTests {

	private static final Duration INTERVAL = Duration.ofMillis(250);

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private ServerSocket broker;

	private int port;

	private ReachabilityProbe probe;

	@BeforeEach
	void brokerDown() throws IOException {
		try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			this.port = free.getLocalPort();
		}
		this.probe = new ReachabilityProbe(URI.create("ws://127.0.0.1:" + this.port + "/ws"), this.scheduler,
				Runnable::run, INTERVAL, Duration.ofMillis(1), Duration.ofSeconds(3));
	}

	@AfterEach
	void closeBroker() throws IOException {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	private void brokerUp() throws IOException {
		this.broker = new ServerSocket();
		this.broker.setReuseAddress(true);
		this.broker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 50);
	}

	@Test
	void wakesAWaiterWhenTheBrokerComesBackAndThenStops() throws IOException {
		AtomicInteger woken = new AtomicInteger();
		this.probe.watch(woken::incrementAndGet);
		for (int i = 0; i < 8; i++) {
			this.scheduler.advance(INTERVAL);
		}
		assertThat(woken).as("nothing while the broker is down").hasValue(0);
		brokerUp();
		this.scheduler.advance(INTERVAL);
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(woken).hasValue(1);
		assertThat(this.probe.waiting()).isZero();
		assertThat(this.scheduler.pendingTasks()).as("no probing when nobody waits").isZero();
	}

	@Test
	void probesAtOnceThenEveryIntervalWhileSomeoneWaits() {
		assertThat(this.scheduler.pendingTasks()).isZero();
		Runnable stop = this.probe.watch(() -> {
		});
		assertThat(this.scheduler.pendingTasks()).as("probed at once, the next one scheduled").isOne();
		this.scheduler.advance(INTERVAL);
		assertThat(this.scheduler.pendingTasks()).isOne();
		stop.run();
		this.scheduler.advance(INTERVAL);
		assertThat(this.scheduler.pendingTasks()).as("nobody waits: no more probes").isZero();
	}

	@Test
	void aBrokerReachableAtTheFirstProbeWakesNobodyUntilItWentDownAndCameBack() throws IOException {
		brokerUp();
		AtomicInteger woken = new AtomicInteger();
		this.probe.watch(woken::incrementAndGet);
		this.scheduler.advance(Duration.ofSeconds(5));
		assertThat(woken).as("TCP was never down: the STOMP failure has another cause").hasValue(0);
		assertThat(this.probe.waiting()).as("still watching").isOne();
		this.broker.close();
		this.scheduler.advance(INTERVAL);
		assertThat(woken).hasValue(0);
		brokerUp();
		this.scheduler.advance(INTERVAL);
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(woken).as("down, then up: back").hasValue(1);
		assertThat(this.probe.waiting()).isZero();
		assertThat(this.scheduler.pendingTasks()).isZero();
	}

	@Test
	void aWatchThatTakesAnOpenPortForBackIsWokenByTheFirstProbeAndTheOthersAreNot() throws IOException {
		brokerUp();
		AtomicInteger plain = new AtomicInteger();
		AtomicInteger afterFailure = new AtomicInteger();
		this.probe.watch(plain::incrementAndGet);
		this.probe.watch(afterFailure::incrementAndGet, true);
		this.scheduler.advance(INTERVAL);
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(afterFailure).as("the port is open just after the attempt failed: back").hasValue(1);
		assertThat(plain).as("never seen down: left to the back-off").hasValue(0);
		assertThat(this.probe.waiting()).isOne();
	}

	@Test
	void aWatchThatTakesAnOpenPortForBackWaitsWhileThePortIsClosed() throws IOException {
		AtomicInteger woken = new AtomicInteger();
		this.probe.watch(woken::incrementAndGet, true);
		this.scheduler.advance(Duration.ofSeconds(2));
		assertThat(woken).hasValue(0);
		brokerUp();
		this.scheduler.advance(INTERVAL);
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(woken).hasValue(1);
	}

	@Test
	void aWaiterThatStoppedWatchingIsNotWoken() throws IOException {
		AtomicInteger woken = new AtomicInteger();
		Runnable stop = this.probe.watch(woken::incrementAndGet);
		stop.run();
		brokerUp();
		this.scheduler.advance(INTERVAL);
		this.scheduler.advance(Duration.ofSeconds(5));
		assertThat(woken).hasValue(0);
	}

	@Test
	void manyWaitersAreWokenSpreadOverAWindowThatGrowsWithTheirNumber() throws IOException {
		List<Instant> wokenAt = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			this.probe.watch(() -> wokenAt.add(this.scheduler.now()));
		}
		this.scheduler.advance(INTERVAL);
		brokerUp();
		this.scheduler.advance(INTERVAL);
		Instant back = this.scheduler.now();
		// 1 ms per waiter: a window of 1 s
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(wokenAt).hasSize(1000);
		List<Long> delays = wokenAt.stream().map((at) -> Duration.between(back, at).toMillis()).toList();
		assertThat(delays).allSatisfy((delay) -> assertThat(delay).isBetween(0L, 1000L));
		assertThat(delays.stream().filter((delay) -> delay < 500).count()).as("about half in each half")
			.isBetween(350L, 650L);
		assertThat(delays.stream().distinct().count()).as("not all at once").isGreaterThan(500);
	}

	@Test
	void theWindowIsCapped() throws IOException {
		ReachabilityProbe capped = new ReachabilityProbe(URI.create("ws://127.0.0.1:" + this.port + "/ws"),
				this.scheduler, Runnable::run, INTERVAL, Duration.ofMillis(10), Duration.ofMillis(100));
		AtomicInteger woken = new AtomicInteger();
		for (int i = 0; i < 1000; i++) {
			capped.watch(woken::incrementAndGet);
		}
		this.scheduler.advance(INTERVAL);
		brokerUp();
		this.scheduler.advance(INTERVAL);
		this.scheduler.advance(Duration.ofMillis(100));
		assertThat(woken).as("all within 100 ms, not 10 s").hasValue(1000);
	}

	@Test
	void anUnresolvableHostIsDownNotAnError() {
		AtomicInteger woken = new AtomicInteger();
		ReachabilityProbe probe = new ReachabilityProbe(URI.create("wss://host.invalid/ws"), this.scheduler,
				Runnable::run, INTERVAL, Duration.ofMillis(1), Duration.ofSeconds(3));
		probe.watch(woken::incrementAndGet);
		this.scheduler.advance(INTERVAL);
		assertThat(woken).as("an unresolvable host is down, not an error").hasValue(0);
		assertThat(probe.waiting()).isOne();
	}

}
