package com.cometchat.spring.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

import com.cometchat.spring.test.GatedScheduler;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LeaseKeeper}: replicas on one database in virtual time. Each replica's threads (its scheduler and
 * its database calls) go through a gate that can pause them (a GC pause, or a database call that hangs), cut its
 * database off, or kill it; the database has its own clock, the virtual one. Whenever a replica acquires a session,
 * the test checks that no other replica holds it and may still act.
 */
class LeaseKeeperTests {

	private static final LeaseKeeper.Settings SETTINGS = LeaseKeeper.Settings.DEFAULTS;

	private final VirtualScheduler time = new VirtualScheduler();

	private final InMemoryLeaseStore database = new InMemoryLeaseStore(this.time.getClock());

	private final List<Replica> replicas = new ArrayList<>();

	/** Two replicas acting for one session at once, seen when one acquired it. */
	private final List<String> violations = new ArrayList<>();

	private final Instant start = this.time.now();

	private void saved(int count) {
		for (int i = 0; i < count; i++) {
			this.database.sessions.add("user-" + i);
		}
	}

	private Replica replica(String name) {
		Replica replica = new Replica(name);
		this.replicas.add(replica);
		return replica;
	}

	private void advance(Duration duration) {
		// In steps of 10 ms, so that what each step runs sees the time it runs at
		for (long ms = 0; ms < duration.toMillis(); ms += 10) {
			this.time.advance(Duration.ofMillis(10));
		}
	}

	private long nanos() {
		return Duration.between(this.start, this.time.now()).toNanos();
	}

	@Test
	void oneReplicaTakesEverySessionAndKeepsThemWhileItRenews() {
		saved(3);
		Replica a = replica("a");
		a.keeper.start();
		advance(Duration.ofSeconds(1));
		assertThat(a.keeper.held()).extracting(Lease::uid).containsExactlyInAnyOrder("user-0", "user-1", "user-2");
		advance(Duration.ofMinutes(1));
		assertThat(a.keeper.mayAct()).isTrue();
		assertThat(a.keeper.held()).hasSize(3);
		assertThat(a.lost).isEmpty();
		assertThat(a.acquired).hasSize(3);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void replicasShareTheSessionsFairly() {
		saved(30);
		Replica a = replica("a");
		Replica b = replica("b");
		Replica c = replica("c");
		a.keeper.start();
		advance(Duration.ofSeconds(2));
		b.keeper.start();
		c.keeper.start();
		advance(Duration.ofSeconds(5));
		assertThat(a.keeper.held()).hasSize(10);
		assertThat(b.keeper.held()).hasSize(10);
		assertThat(c.keeper.held()).hasSize(10);
		assertThat(this.violations).isEmpty();
		assertThat(a.lost).as("a handed 20 over").hasSize(20)
			.allMatch((event) -> event.reason().contains("fair share"));
	}

	@Test
	void aDeadReplicasSessionsAreTakenAfterItsLeaseExpiresAndNotBefore() {
		saved(10);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(3));
		assertThat(a.keeper.held()).hasSize(5);
		long lastRenewal = a.lastRenewalMillis;
		a.kill();
		advance(Duration.ofSeconds(10));
		assertThat(b.keeper.held()).hasSize(10);
		List<Event> takenOver = b.acquired.subList(5, 10);
		assertThat(takenOver).allMatch((event) -> event.atMillis() >= lastRenewal + SETTINGS.ttl().toMillis())
			.allMatch((event) -> event.atMillis() <= lastRenewal
					+ SETTINGS.ttl().plus(SETTINGS.renewInterval()).toMillis());
		assertThat(this.violations).isEmpty();
	}

	@Test
	void aReplicaCutOffFromTheDatabaseStopsActingBeforeAnotherTakesItsSessions() {
		saved(10);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(3));
		a.lost.clear();
		a.databaseDown = true;
		advance(Duration.ofSeconds(10));
		assertThat(a.keeper.mayAct()).isFalse();
		assertThat(a.lost).hasSize(5).allMatch((event) -> event.reason().contains("could not renew"));
		assertThat(b.keeper.held()).hasSize(10);
		long lastLoss = a.lost.get(4).atMillis();
		long firstTakeOver = b.acquired.get(5).atMillis();
		assertThat(lastLoss).as("a stopped at least the margin before b took over")
			.isLessThanOrEqualTo(firstTakeOver - SETTINGS.margin().toMillis());
		assertThat(a.keeper.counts().selfFenced()).isEqualTo(1);
		assertThat(a.keeper.counts().failedRenewals()).isPositive();
		assertThat(b.keeper.counts().acquired()).isEqualTo(10);
		assertThat(this.violations).isEmpty();
		// Back on the database: it starts over, and gets its share back
		a.databaseDown = false;
		advance(Duration.ofSeconds(5));
		assertThat(a.keeper.held()).hasSize(5);
		assertThat(b.keeper.held()).hasSize(5);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void aDatabaseCallThatHangsDoesNotKeepAReplicaActing() {
		saved(4);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(3));
		a.lost.clear();
		a.hangDatabaseCalls = true;
		advance(Duration.ofSeconds(10));
		assertThat(a.lost).hasSize(2);
		assertThat(a.keeper.held()).isEmpty();
		assertThat(b.keeper.held()).hasSize(4);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void afterAPauseLongerThanItsLeaseAReplicaMayNotActEvenBeforeItsTimersRun() {
		saved(4);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(3));
		a.paused = true;
		advance(Duration.ofSeconds(10));
		assertThat(b.keeper.held()).hasSize(4);
		assertThat(a.keeper.held()).as("its timers have not run yet").hasSize(2);
		assertThat(a.keeper.mayAct()).isFalse();
		assertThat(a.keeper.leaseOf(a.keeper.held().get(0).uid())).isNull();
		assertThat(this.violations).isEmpty();
		a.resume();
		assertThat(a.keeper.held()).isEmpty();
		advance(Duration.ofSeconds(5));
		assertThat(a.keeper.held()).hasSize(2);
		assertThat(b.keeper.held()).hasSize(2);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void aGracefulStopHandsTheSessionsOverWithinOneRenewalInterval() {
		saved(10);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(3));
		long stoppedAt = this.time.now().toEpochMilli() - this.start.toEpochMilli();
		a.lost.clear();
		assertThat(a.keeper.stop()).isCompleted();
		assertThat(a.lost).hasSize(5);
		advance(Duration.ofSeconds(2));
		assertThat(b.keeper.held()).hasSize(10);
		assertThat(b.acquired.subList(5, 10))
			.allMatch((event) -> event.atMillis() <= stoppedAt + SETTINGS.renewInterval().toMillis());
		assertThat(this.violations).isEmpty();
	}

	@Test
	void aSessionTakenByAnotherReplicaIsLostByItsHolderAtItsNextRenewal() {
		saved(2);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		advance(Duration.ofSeconds(1));
		b.keeper.start();
		advance(Duration.ofSeconds(3));
		String aliceOfA = a.keeper.held().get(0).uid();
		Lease taken = b.keeper.take(aliceOfA);
		assertThat(taken).isNotNull();
		advance(Duration.ofMillis(SETTINGS.renewInterval().toMillis() + 10));
		assertThat(a.keeper.leaseOf(aliceOfA)).isNull();
		assertThat(a.lost).extracting(Event::uid).contains(aliceOfA);
		assertThat(b.keeper.leaseOf(aliceOfA)).isEqualTo(taken);
		assertThat(this.database.holderOf(aliceOfA)).isEqualTo(b.keeper.getReplicaId());
	}

	@Test
	void aSessionALoginTookIsNotHandedOverForTheFairShareBeforeTheLoginSettles() {
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(1));
		for (String uid : List.of("x", "y", "z")) {
			this.database.sessions.add(uid);
			assertThat(a.keeper.take(uid)).isNotNull();
		}
		advance(Duration.ofSeconds(5));
		assertThat(a.keeper.held()).as("the logins have not settled").hasSize(3);
		assertThat(a.lost).isEmpty();
		List.of("x", "y", "z").forEach(a.keeper::settled);
		advance(SETTINGS.renewInterval().multipliedBy(2));
		assertThat(a.keeper.held()).hasSize(2);
		assertThat(b.keeper.held()).hasSize(1);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void aLoginThatTakesASessionWhileARenewalReadsTheDatabaseDoesNotLoseIt() {
		Replica a = replica("a");
		a.keeper.start();
		advance(Duration.ofSeconds(1));
		this.database.sessions.add("x");
		// The renewal reads what it holds, then a login here takes x before the renewal compares
		a.afterHeldIsRead = () -> assertThat(a.keeper.take("x")).isNotNull();
		advance(SETTINGS.renewInterval());
		assertThat(a.lost).isEmpty();
		assertThat(a.keeper.leaseOf("x")).isNotNull();
		advance(SETTINGS.renewInterval().multipliedBy(3));
		assertThat(a.keeper.leaseOf("x")).as("and the next renewals agree").isNotNull();
	}

	@Test
	void aLoggedOutSessionIsLostAndALoggedInOneIsShared() {
		saved(2);
		Replica a = replica("a");
		a.keeper.start();
		advance(Duration.ofSeconds(1));
		// Logged out: the session and its lease go
		this.database.sessions.remove("user-0");
		this.database.remove("app", "user-0");
		this.database.sessions.add("user-9");
		advance(Duration.ofSeconds(10));
		assertThat(a.lost).extracting(Event::uid).containsExactly("user-0");
		assertThat(a.keeper.held()).extracting(Lease::uid).containsExactlyInAnyOrder("user-1", "user-9");
	}

	@Test
	void theDatabaseWorkPerReplicaDoesNotGrowWithTheSessions() {
		saved(1000);
		Replica a = replica("a");
		Replica b = replica("b");
		a.keeper.start();
		b.keeper.start();
		advance(Duration.ofSeconds(10));
		int before = this.database.statements;
		advance(Duration.ofSeconds(60));
		double perSecondAndReplica = (this.database.statements - before) / 60.0 / 2;
		assertThat(perSecondAndReplica).as("statements per second and replica, steady").isLessThan(5);
		assertThat(a.keeper.held()).hasSize(500);
	}

	// A replica and its gate

	record Event(String uid, long atMillis, String reason) {

	}

	final class Replica implements LeaseKeeper.Listener {

		final String name;

		final LeaseKeeper keeper;

		final List<Event> acquired = new ArrayList<>();

		final List<Event> lost = new ArrayList<>();

		boolean paused;

		boolean hangDatabaseCalls;

		boolean databaseDown;

		boolean dead;

		long lastRenewalMillis;

		/** Runs once, right after the next read of the sessions held: what another thread does meanwhile. */
		Runnable afterHeldIsRead;

		private final Queue<Runnable> held = new ArrayDeque<>();

		Replica(String name) {
			this.name = name;
			Executor threads = this::run;
			Executor databaseCalls = (task) -> {
				if (this.hangDatabaseCalls) {
					// Never returns
					return;
				}
				run(task);
			};
			this.keeper = new LeaseKeeper(new Gated(), "app", name, SETTINGS, new GatedScheduler(LeaseKeeperTests.this.time, threads),
					databaseCalls, LeaseKeeperTests.this::nanos, this);
		}

		private void run(Runnable task) {
			if (this.dead) {
				return;
			}
			if (this.paused) {
				this.held.add(task);
				return;
			}
			task.run();
		}

		void kill() {
			this.dead = true;
		}

		void resume() {
			this.paused = false;
			while (!this.held.isEmpty()) {
				this.held.poll().run();
			}
		}

		private long nowMillis() {
			return Duration.between(LeaseKeeperTests.this.start, LeaseKeeperTests.this.time.now()).toMillis();
		}

		@Override
		public void acquired(Lease lease) {
			this.acquired.add(new Event(lease.uid(), nowMillis(), "acquired"));
			for (Replica other : LeaseKeeperTests.this.replicas) {
				if (other != this && other.keeper.leaseOf(lease.uid()) != null) {
					LeaseKeeperTests.this.violations.add(lease.uid() + " acquired by " + this.name + " at "
							+ nowMillis() + " ms while " + other.name + " may still act for it");
				}
			}
		}

		@Override
		public void lost(Lease lease, String reason) {
			this.lost.add(new Event(lease.uid(), nowMillis(), reason));
		}

		/**
		 * The database as this replica reaches it.
		 */
		private final class Gated implements LeaseStore {

			private InMemoryLeaseStore db() {
				if (Replica.this.databaseDown) {
					throw new IllegalStateException("Connection refused");
				}
				return LeaseKeeperTests.this.database;
			}

			@Override
			public void register(String appId, String replicaId, String host, Duration ttl) {
				db().register(appId, replicaId, host, ttl);
				Replica.this.lastRenewalMillis = nowMillis();
			}

			@Override
			public boolean renew(String replicaId, Duration ttl) {
				boolean renewed = db().renew(replicaId, ttl);
				if (renewed) {
					Replica.this.lastRenewalMillis = nowMillis();
				}
				return renewed;
			}

			@Override
			public void unregister(String appId, String replicaId) {
				db().unregister(appId, replicaId);
			}

			@Override
			public int purgeExpired(String appId, Duration age) {
				return db().purgeExpired(appId, age);
			}

			@Override
			public int liveReplicas(String appId) {
				return db().liveReplicas(appId);
			}

			@Override
			public int sessionCount(String appId) {
				return db().sessionCount(appId);
			}

			@Override
			public void synchronize(String appId) {
				db().synchronize(appId);
			}

			@Override
			public List<Lease> claim(String appId, String replicaId, int limit) {
				return db().claim(appId, replicaId, limit);
			}

			@Override
			public Lease take(String appId, String replicaId, String uid) {
				return db().take(appId, replicaId, uid);
			}

			@Override
			public Map<String, Long> held(String appId, String replicaId) {
				Map<String, Long> held = db().held(appId, replicaId);
				Runnable meanwhile = Replica.this.afterHeldIsRead;
				Replica.this.afterHeldIsRead = null;
				if (meanwhile != null) {
					meanwhile.run();
				}
				return held;
			}

			@Override
			public boolean release(String appId, String replicaId, Lease lease) {
				return db().release(appId, replicaId, lease);
			}

			@Override
			public void remove(String appId, String uid) {
				db().remove(appId, uid);
			}

		}

	}

}
