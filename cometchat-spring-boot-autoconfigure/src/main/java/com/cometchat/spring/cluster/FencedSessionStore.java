package com.cometchat.spring.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The session store of a connection manager whose sessions are leased: every write for a user's session (save,
 * delete, the time it connected) runs in one transaction with a check that this replica still holds that session's
 * lease <em>with the fence it took it with</em>, the lease row locked until the write commits. A replica that lost the
 * session (another took it and raised the fence, even while this one has not noticed yet) therefore writes nothing:
 * the write fails, naming the reason. Reads, and the single client's session (not leased), go straight through.
 *
 * <p>The transactions are the application's (so with JPA the session store's writes and the check share one
 * connection and commit together).
 *
 * @author CometChat
 */
public class FencedSessionStore implements SessionStore {

	private final SessionStore delegate;

	private final LeaseKeeper leases;

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final @Nullable String transactionGuard;

	/**
	 * Create a store.
	 * @param delegate the session store the writes go to
	 * @param leases this replica's leases
	 * @param dataSource the database with the sessions and the leases
	 * @param transactions the application's transactions on that database
	 * @param platform the database's SQL ({@link JdbcLeaseStore.Platform#transactionGuard()} is run first in each
	 * write's transaction, so that a replica cut off in the middle of one does not keep the lease row locked)
	 */
	public FencedSessionStore(SessionStore delegate, LeaseKeeper leases, DataSource dataSource,
			TransactionOperations transactions, JdbcLeaseStore.Platform platform) {
		this.delegate = delegate;
		this.leases = leases;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = transactions;
		this.transactionGuard = platform.transactionGuard();
	}

	@Override
	public Optional<StoredSession> load(String appId) {
		return this.delegate.load(appId);
	}

	@Override
	public Optional<StoredSession> load(String appId, String uid) {
		return this.delegate.load(appId, uid);
	}

	@Override
	public List<StoredSession> loadAll(String appId) {
		return this.delegate.loadAll(appId);
	}

	@Override
	public void save(StoredSession session) {
		if (session.primary()) {
			this.delegate.save(session);
			return;
		}
		fenced(session.appId(), session.uid(), () -> this.delegate.save(session));
	}

	@Override
	public void delete(String appId) {
		this.delegate.delete(appId);
	}

	@Override
	public void delete(String appId, String uid) {
		fenced(appId, uid, () -> this.delegate.delete(appId, uid));
	}

	@Override
	public void markConnected(String appId, String uid, Instant connectedAt) {
		fenced(appId, uid, () -> this.delegate.markConnected(appId, uid, connectedAt));
	}

	private void fenced(String appId, String uid, Runnable write) {
		Lease lease = this.leases.leaseOf(uid);
		String replica = this.leases.getReplicaId();
		if (lease == null || replica == null) {
			throw notHolder(uid);
		}
		this.transactions.executeWithoutResult((status) -> {
			if (this.transactionGuard != null) {
				this.jdbc.execute(this.transactionGuard);
			}
			List<Long> held = this.jdbc.queryForList("SELECT fence FROM cometchat_session_lease WHERE app_id = ? "
					+ "AND uid = ? AND holder = ? AND fence = ? FOR UPDATE", Long.class, appId, uid, replica,
					lease.fence());
			if (held.isEmpty()) {
				throw notHolder(uid);
			}
			write.run();
		});
	}

	private static IllegalStateException notHolder(String uid) {
		return new IllegalStateException("this replica does not hold the lease of the session of uid '" + uid
				+ "' (any more): another replica holds it, so this one writes nothing for it");
	}

	@Override
	public String toString() {
		return "FencedSessionStore[" + this.delegate + "]";
	}

}
