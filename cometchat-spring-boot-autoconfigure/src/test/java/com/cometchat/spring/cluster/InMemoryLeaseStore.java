package com.cometchat.spring.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LeaseStore} in memory with the semantics of {@link JdbcLeaseStore}, on a clock of its own (the database's),
 * for tests of the lease logic in virtual time. One lock stands for the database's row locks.
 */
public final class InMemoryLeaseStore implements LeaseStore {

	private record Replica(String appId, Instant expiresAt) {

	}

	private static final class Row {

		String holder;

		long fence;

	}

	private final Clock clock;

	private final Map<String, Replica> replicas = new LinkedHashMap<>();

	/** Leases of app "app", by uid. */
	private final Map<String, Row> leases = new LinkedHashMap<>();

	/** The saved sessions of app "app". */
	public final Set<String> sessions = ConcurrentHashMap.newKeySet();

	/** Statements executed, as a database would count them. */
	int statements;

	public InMemoryLeaseStore(Clock clock) {
		this.clock = clock;
	}

	private Instant now() {
		return this.clock.instant();
	}

	private boolean alive(String replicaId) {
		Replica replica = this.replicas.get(replicaId);
		return replica != null && replica.expiresAt().isAfter(now());
	}

	@Override
	public synchronized void register(String appId, String replicaId, String host, Duration ttl) {
		this.statements++;
		this.replicas.put(replicaId, new Replica(appId, now().plus(ttl)));
	}

	@Override
	public synchronized boolean renew(String replicaId, Duration ttl) {
		this.statements++;
		if (!alive(replicaId)) {
			return false;
		}
		this.replicas.put(replicaId, new Replica(this.replicas.get(replicaId).appId(), now().plus(ttl)));
		return true;
	}

	@Override
	public synchronized void unregister(String appId, String replicaId) {
		this.statements += 2;
		this.leases.values().stream().filter((row) -> replicaId.equals(row.holder)).forEach((row) -> row.holder = null);
		this.replicas.remove(replicaId);
	}

	@Override
	public synchronized int purgeExpired(String appId, Duration age) {
		this.statements++;
		int before = this.replicas.size();
		this.replicas.values().removeIf((replica) -> replica.expiresAt().isBefore(now().minus(age)));
		return before - this.replicas.size();
	}

	@Override
	public synchronized int liveReplicas(String appId) {
		this.statements++;
		return (int) this.replicas.keySet().stream().filter(this::alive).count();
	}

	@Override
	public synchronized int sessionCount(String appId) {
		this.statements++;
		return this.leases.size();
	}

	@Override
	public synchronized void synchronize(String appId) {
		this.statements += 2;
		for (String uid : this.sessions) {
			this.leases.computeIfAbsent(uid, (key) -> new Row());
		}
		this.leases.entrySet()
			.removeIf((entry) -> !this.sessions.contains(entry.getKey())
					&& (entry.getValue().holder == null || !alive(entry.getValue().holder)));
	}

	@Override
	public synchronized void remove(String appId, String uid) {
		this.statements++;
		this.leases.remove(uid);
	}

	@Override
	public synchronized List<Lease> claim(String appId, String replicaId, int limit) {
		this.statements += 3;
		List<Lease> claimed = new ArrayList<>();
		for (Map.Entry<String, Row> entry : this.leases.entrySet()) {
			if (claimed.size() >= limit) {
				break;
			}
			Row row = entry.getValue();
			if (row.holder == null || !alive(row.holder)) {
				row.holder = replicaId;
				row.fence++;
				claimed.add(new Lease(entry.getKey(), row.fence));
			}
		}
		return claimed;
	}

	@Override
	public synchronized Lease take(String appId, String replicaId, String uid) {
		this.statements += 2;
		Row row = this.leases.computeIfAbsent(uid, (key) -> new Row());
		row.holder = replicaId;
		row.fence++;
		return new Lease(uid, row.fence);
	}

	@Override
	public synchronized Map<String, Long> held(String appId, String replicaId) {
		this.statements++;
		Map<String, Long> held = new LinkedHashMap<>();
		this.leases.forEach((uid, row) -> {
			if (replicaId.equals(row.holder)) {
				held.put(uid, row.fence);
			}
		});
		return held;
	}

	@Override
	public synchronized boolean release(String appId, String replicaId, Lease lease) {
		this.statements++;
		Row row = this.leases.get(lease.uid());
		if (row != null && replicaId.equals(row.holder) && row.fence == lease.fence()) {
			row.holder = null;
			return true;
		}
		return false;
	}

	@Override
	public synchronized String holderOf(String appId, String uid) {
		return holderOf(uid);
	}

	/**
	 * Return who holds a session in the database now.
	 */
	public synchronized String holderOf(String uid) {
		Row row = this.leases.get(uid);
		return (row != null) ? row.holder : null;
	}

}
