package com.cometchat.spring.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * One replica's side of the leases: it keeps the replica alive in the database, takes its fair share of the sessions
 * nobody alive holds, gives back what is above its share, notices the sessions taken from it, and stops acting by
 * itself when it cannot know that it still holds them.
 *
 * <p><b>The rule that keeps two replicas from acting for one session.</b> Another replica may take a session only once
 * this replica's row has expired on the database's clock, that is {@code ttl} after the database executed the last
 * renewal that succeeded. This replica reads its own monotonic clock <em>before</em> it sends each renewal; when the
 * renewal succeeds, its deadline is that reading plus {@code ttl} minus {@code margin}. Since the database executed the
 * renewal after that reading, the deadline falls at least {@code margin} before the database lets anyone take the
 * session (the margin covers the drift between the two clocks over one {@code ttl}). Past the deadline
 * {@link #mayAct()} is {@code false} at once, read from the clock (so also right after a GC pause, before any timer
 * had a chance to run), and a timer tells the {@link Listener} that every session is lost, also while a database
 * call hangs: the database calls run on the store executor, and the keeper never holds its lock across them.
 *
 * <p><b>Cost.</b> Per renewal interval and replica, whatever the number of sessions: one renewal, one query of the
 * sessions held, two counts, and a claim or releases when the share changed; the saved sessions are matched with their
 * leases every tenth renewal, and expired replica rows are removed then too.
 *
 * <p>A replica that lost its leases (expired, or fenced itself) starts over: it gives back in the database whatever
 * its old registration still holds, and registers again under a new id. The {@link Listener} is called under the
 * keeper's lock, in order, and must not block.
 *
 * @author CometChat
 */
public class LeaseKeeper {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	/** Matching saved sessions with leases and removing old replica rows happen every this many renewals. */
	private static final int HOUSEKEEPING_EVERY = 10;

	/**
	 * Told which sessions this replica holds.
	 */
	public interface Listener {

		/**
		 * This replica holds the session now: it may connect it.
		 * @param lease the lease
		 */
		void acquired(Lease lease);

		/**
		 * This replica must stop acting for the session at once: no frame may leave for it any more, and its socket
		 * is closed.
		 * @param lease the lease
		 * @param reason why
		 */
		void lost(Lease lease, String reason);

		/**
		 * Called when a stop told of the loss of every session: a future completing when nothing acts for them any
		 * more (their sockets are gone). The stop gives them back in the database only then.
		 * @return the future
		 */
		default CompletableFuture<Void> stoppedActing() {
			return CompletableFuture.completedFuture(null);
		}

	}

	/**
	 * Timings of the leases.
	 *
	 * @param ttl how long a replica counts as alive after a renewal, on the database's clock
	 * @param renewInterval how often a replica renews, and looks for sessions to take
	 * @param margin how long before its row expires in the database a replica stops acting by itself
	 */
	public record Settings(Duration ttl, Duration renewInterval, Duration margin) {

		/** The defaults: a dead replica's sessions are free after at most 5 s, taken within 1 s more. */
		public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(1),
				Duration.ofSeconds(1));

		/**
		 * Check the timings.
		 */
		public Settings {
			Assert.isTrue(!renewInterval.isNegative() && !renewInterval.isZero(), "'renewInterval' must be positive");
			Assert.isTrue(!margin.isNegative() && !margin.isZero(), "'margin' must be positive");
			Assert.isTrue(ttl.compareTo(renewInterval.multipliedBy(2).plus(margin)) >= 0,
					"'ttl' must be at least twice 'renewInterval' plus 'margin', so that one late renewal is no loss");
		}

	}

	private final LeaseStore store;

	private final String appId;

	private final String host;

	private final Settings settings;

	private final TaskScheduler scheduler;

	private final Executor storeExecutor;

	private final LongSupplier nanoTime;

	private final Listener listener;

	private final Object lock = new Object();

	private final AtomicLong acquiredCount = new AtomicLong();

	private final AtomicLong lostCount = new AtomicLong();

	private final AtomicLong renewedCount = new AtomicLong();

	private final AtomicLong failedRenewalCount = new AtomicLong();

	private final AtomicLong fencedCount = new AtomicLong();

	// Guarded by lock

	private final Map<String, Lease> held = new LinkedHashMap<>();

	/** Sessions a {@link #take(String)} is taking: a renewal leaves them alone meanwhile. */
	private final Set<String> taking = new HashSet<>();

	/** Sessions taken by a login that has not settled: never handed over for the fair share meanwhile. */
	private final Set<String> pinned = new HashSet<>();

	private @Nullable String replicaId;

	/** The registration to give back before registering again, after the leases were lost. */
	private @Nullable String abandoned;

	/** Monotonic reading past which this replica must not act; valid while {@link #valid}. */
	private long deadline;

	private boolean valid;

	private boolean running;

	private int renewals;

	private @Nullable ScheduledFuture<?> fenceTimer;

	private @Nullable ScheduledFuture<?> nextRenewal;

	/**
	 * Create a keeper.
	 * @param store the database side
	 * @param appId the app id whose sessions it shares out
	 * @param host where this replica runs, for operators
	 * @param settings the timings
	 * @param scheduler runs the renewals and the self-fencing deadline
	 * @param storeExecutor runs the database calls, which may block
	 * @param nanoTime the monotonic clock ({@code System::nanoTime})
	 * @param listener told which sessions this replica holds
	 */
	public LeaseKeeper(LeaseStore store, String appId, String host, Settings settings, TaskScheduler scheduler,
			Executor storeExecutor, LongSupplier nanoTime, Listener listener) {
		this.store = store;
		this.appId = appId;
		this.host = host;
		this.settings = settings;
		this.scheduler = scheduler;
		this.storeExecutor = storeExecutor;
		this.nanoTime = nanoTime;
		this.listener = listener;
	}

	/**
	 * Register and start renewing, in the background.
	 */
	public void start() {
		synchronized (this.lock) {
			if (this.running) {
				return;
			}
			this.running = true;
		}
		this.storeExecutor.execute(this::renew);
	}

	/**
	 * Stop acting for every session held, then give them back and remove this replica, so that the others take them
	 * at their next renewal.
	 * @return a future completing when the database was told (failing when it could not be: the sessions are then
	 * free once this replica's row expires)
	 */
	public CompletableFuture<Void> stop() {
		String registered;
		synchronized (this.lock) {
			if (!this.running) {
				return CompletableFuture.completedFuture(null);
			}
			this.running = false;
			cancel(this.nextRenewal);
			cancel(this.fenceTimer);
			loseAll("this replica is stopping; its sessions are handed over");
			this.valid = false;
			registered = this.replicaId;
			this.replicaId = null;
		}
		if (registered == null) {
			return CompletableFuture.completedFuture(null);
		}
		// Given back once nothing acts for them here any more, so that the next holder never overlaps this one
		return this.listener.stoppedActing()
			.handle((stopped, failure) -> null)
			.thenRunAsync(() -> this.store.unregister(this.appId, registered), this.storeExecutor);
	}

	/**
	 * Return whether this replica may act now for the sessions it holds: its last renewal is recent enough, on its own
	 * monotonic clock. Check it right before anything leaves for a session.
	 * @return whether it may act
	 */
	public boolean mayAct() {
		synchronized (this.lock) {
			return this.running && this.valid && this.nanoTime.getAsLong() - this.deadline < 0;
		}
	}

	/**
	 * Return the lease of a session, if this replica holds it and may act.
	 * @param uid the user
	 * @return the lease, or {@code null}
	 */
	public @Nullable Lease leaseOf(String uid) {
		synchronized (this.lock) {
			return mayAct() ? this.held.get(uid) : null;
		}
	}

	/**
	 * Return the sessions held now.
	 * @return their leases
	 */
	public List<Lease> held() {
		synchronized (this.lock) {
			return List.copyOf(this.held.values());
		}
	}

	/**
	 * Return the id this replica is registered under now.
	 * @return the id, or {@code null} before its first registration
	 */
	public @Nullable String getReplicaId() {
		synchronized (this.lock) {
			return this.replicaId;
		}
	}

	// On the store executor

	private void renew() {
		String registered;
		String stale;
		synchronized (this.lock) {
			if (!this.running) {
				return;
			}
			registered = this.replicaId;
			stale = this.abandoned;
		}
		long started = this.nanoTime.getAsLong();
		try {
			if (stale != null) {
				// Whatever the lost registration still holds goes back at once, not when its row expires
				this.store.unregister(this.appId, stale);
				synchronized (this.lock) {
					this.abandoned = null;
				}
			}
			if (registered != null && this.store.renew(registered, this.settings.ttl())) {
				this.renewedCount.incrementAndGet();
				extend(started);
			}
			else {
				if (registered != null) {
					lost(registered, "the lease of this replica expired in the database");
				}
				String fresh = UUID.randomUUID().toString();
				this.store.register(this.appId, fresh, this.host, this.settings.ttl());
				synchronized (this.lock) {
					if (!this.running) {
						this.abandoned = fresh;
						return;
					}
					this.replicaId = fresh;
				}
				extend(started);
				registered = fresh;
			}
			balance(registered);
		}
		catch (RuntimeException ex) {
			this.failedRenewalCount.incrementAndGet();
			logger.warn("Could not renew the session leases of this replica: " + ex.getMessage());
		}
		finally {
			scheduleRenewal();
		}
	}

	private void extend(long started) {
		synchronized (this.lock) {
			if (!this.running) {
				return;
			}
			this.deadline = started + this.settings.ttl().minus(this.settings.margin()).toNanos();
			this.valid = true;
			cancel(this.fenceTimer);
			long wait = Math.max(0, this.deadline - this.nanoTime.getAsLong());
			this.fenceTimer = this.scheduler.schedule(this::fenceIfLate,
					this.scheduler.getClock().instant().plusNanos(wait));
		}
	}

	private void balance(String registered) {
		boolean housekeeping;
		synchronized (this.lock) {
			housekeeping = this.renewals++ % HOUSEKEEPING_EVERY == 0;
		}
		if (housekeeping) {
			this.store.synchronize(this.appId);
			this.store.purgeExpired(this.appId, this.settings.ttl().multipliedBy(HOUSEKEEPING_EVERY));
		}
		Map<String, Lease> before;
		synchronized (this.lock) {
			before = Map.copyOf(this.held);
		}
		Map<String, Long> inDatabase = this.store.held(this.appId, registered);
		int share = ceilDiv(this.store.sessionCount(this.appId), Math.max(1, this.store.liveReplicas(this.appId)));
		List<Lease> surplus = new ArrayList<>();
		int wanted;
		synchronized (this.lock) {
			if (!isCurrent(registered)) {
				return;
			}
			// Taken by another replica (a login there) or logged out: stop acting for it
			for (Lease lease : List.copyOf(this.held.values())) {
				// A lease taken after the database was read is checked at the next renewal
				if (lease.equals(before.get(lease.uid())) && !this.taking.contains(lease.uid())
						&& !Objects.equals(inDatabase.get(lease.uid()), lease.fence())) {
					this.held.remove(lease.uid());
					this.lostCount.incrementAndGet();
					this.listener.lost(lease, "another replica holds the session now, or it was logged out");
				}
			}
			// Held in the database but not here (this replica stopped acting for it): give it back
			for (Map.Entry<String, Long> entry : inDatabase.entrySet()) {
				Lease lease = this.held.get(entry.getKey());
				if (lease == null && !this.taking.contains(entry.getKey())) {
					surplus.add(new Lease(entry.getKey(), entry.getValue()));
				}
			}
			// Above the fair share (a replica joined): stop acting for the surplus first, then give it back
			int above = this.held.size() - share;
			for (Lease lease : List.copyOf(this.held.values())) {
				if (above <= 0) {
					break;
				}
				if (this.pinned.contains(lease.uid())) {
					continue;
				}
				above--;
				this.held.remove(lease.uid());
				this.lostCount.incrementAndGet();
				this.listener.lost(lease, "handed over to another replica (fair share)");
				surplus.add(lease);
			}
			wanted = share - this.held.size();
		}
		for (Lease lease : surplus) {
			this.store.release(this.appId, registered, lease);
		}
		if (wanted > 0) {
			List<Lease> claimed = this.store.claim(this.appId, registered, wanted);
			synchronized (this.lock) {
				for (Lease lease : claimed) {
					if (isCurrent(registered) && mayAct()) {
						this.held.put(lease.uid(), lease);
						this.acquiredCount.incrementAndGet();
						this.listener.acquired(lease);
					}
				}
			}
		}
	}

	/**
	 * Take one session whatever holds it (a login on this replica): the holder before loses it at its next renewal.
	 * The session is not handed over for the fair share until {@link #settled(String)} or {@link #release(String)}.
	 * The old holder stops acting for it at its next renewal if it can reach the database, or by its own deadline if it
	 * cannot: only {@code ttl} after the take is it certain that the two do not overlap.
	 * @param uid the user
	 * @return the lease, or {@code null} when this replica is not registered or may not act
	 */
	public @Nullable Lease take(String uid) {
		String registered;
		synchronized (this.lock) {
			registered = this.replicaId;
			if (registered == null || !this.taking.add(uid)) {
				return null;
			}
		}
		try {
			Lease lease = this.store.take(this.appId, registered, uid);
			synchronized (this.lock) {
				if (!isCurrent(registered) || !mayAct()) {
					return null;
				}
				this.held.put(uid, lease);
				this.acquiredCount.incrementAndGet();
				this.pinned.add(uid);
				return lease;
			}
		}
		finally {
			synchronized (this.lock) {
				this.taking.remove(uid);
			}
		}
	}

	/**
	 * The login that took a session settled: the session may be handed over for the fair share from now on.
	 * @param uid the user
	 */
	public void settled(String uid) {
		synchronized (this.lock) {
			this.pinned.remove(uid);
		}
	}

	/**
	 * Give a session back (its login here failed): another replica, or this one, may take it at its next renewal.
	 * Calls the database on the caller's thread.
	 * @param uid the user
	 */
	public void release(String uid) {
		Lease lease;
		String registered;
		synchronized (this.lock) {
			lease = this.held.remove(uid);
			this.pinned.remove(uid);
			registered = this.replicaId;
		}
		if (lease != null && registered != null) {
			this.store.release(this.appId, registered, lease);
		}
	}

	/**
	 * Remove a session's lease (its user logged out, on this replica or another): whichever replica holds it stops
	 * acting for it at its next renewal. Calls the database on the caller's thread.
	 * @param uid the user
	 */
	public void remove(String uid) {
		synchronized (this.lock) {
			this.held.remove(uid);
			this.pinned.remove(uid);
		}
		this.store.remove(this.appId, uid);
	}

	private boolean isCurrent(String registered) {
		return this.running && registered.equals(this.replicaId);
	}

	private void lost(String registered, String reason) {
		synchronized (this.lock) {
			if (registered.equals(this.replicaId)) {
				loseAll(reason);
				this.valid = false;
				this.replicaId = null;
			}
		}
	}

	// On the scheduler

	private void fenceIfLate() {
		synchronized (this.lock) {
			if (!this.running || !this.valid || this.nanoTime.getAsLong() - this.deadline < 0) {
				return;
			}
			logger.warn("No renewal of this replica's session leases within " + this.settings.ttl().toMillis()
					+ "ms minus the margin: it stops acting for its " + this.held.size() + " sessions");
			this.fencedCount.incrementAndGet();
			loseAll("this replica could not renew its lease in time");
			this.valid = false;
			// Its registration may still be alive in the database: give it back and register again
			this.abandoned = this.replicaId;
			this.replicaId = null;
		}
	}

	private void scheduleRenewal() {
		synchronized (this.lock) {
			if (!this.running) {
				return;
			}
			this.nextRenewal = this.scheduler.schedule(() -> this.storeExecutor.execute(this::renew),
					this.scheduler.getClock().instant().plus(this.settings.renewInterval()));
		}
	}

	private void loseAll(String reason) {
		for (Lease lease : List.copyOf(this.held.values())) {
			this.lostCount.incrementAndGet();
			this.listener.lost(lease, reason);
		}
		this.held.clear();
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	private static int ceilDiv(int dividend, int divisor) {
		return (dividend + divisor - 1) / divisor;
	}

	/**
	 * Return the replicas of this app as the database sees them (calls the database on the caller's thread).
	 * @return the replicas
	 */
	public List<ReplicaInfo> replicas() {
		return this.store.replicas(this.appId);
	}

	/**
	 * Return which replica holds a session, as the database sees it (calls the database on the caller's thread).
	 * @param uid the user
	 * @return the replica's id, or {@code null}
	 */
	public @Nullable String holderOf(String uid) {
		return this.store.holderOf(this.appId, uid);
	}

	/**
	 * Return the counts since start: sessions taken (claimed, or by a login), sessions lost (handed over, taken by
	 * another replica, logged out elsewhere, or with the whole lease), renewals that succeeded and failed, and the times
	 * this replica stopped acting by itself.
	 * @return the counts
	 */
	public Counts counts() {
		return new Counts(this.acquiredCount.get(), this.lostCount.get(), this.renewedCount.get(),
				this.failedRenewalCount.get(), this.fencedCount.get());
	}

	/**
	 * What a keeper counted since it was created.
	 *
	 * @param acquired sessions taken
	 * @param lost sessions lost
	 * @param renewals renewals that succeeded
	 * @param failedRenewals renewals that failed (the database could not be reached, or answered with an error)
	 * @param selfFenced times the replica stopped acting by itself at its deadline
	 */
	public record Counts(long acquired, long lost, long renewals, long failedRenewals, long selfFenced) {

	}

	@Override
	public String toString() {
		synchronized (this.lock) {
			return "LeaseKeeper[appId=" + this.appId + ", replica=" + this.replicaId + ", held=" + this.held.size()
					+ ", mayAct=" + mayAct() + "]";
		}
	}

}
