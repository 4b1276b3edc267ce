package com.cometchat.spring.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link LeaseStore} on the tables {@code cometchat_replica} and {@code cometchat_session_lease} (the scripts
 * {@code com/cometchat/spring/cluster/schema-<platform>.sql}), with the database's own guarantees only: the server's
 * clock for every expiry, row locks with {@code SKIP LOCKED} for claims, and conditional updates.
 *
 * @author CometChat
 */
public class JdbcLeaseStore implements LeaseStore {

	/**
	 * The databases whose SQL this store speaks.
	 */
	public enum Platform {

		/** H2 2.x. */
		H2("CURRENT_TIMESTAMP", "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)", null),

		/** PostgreSQL. */
		POSTGRESQL("CURRENT_TIMESTAMP", "(CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '1 millisecond')",
				"SET LOCAL idle_in_transaction_session_timeout = '" + STALLED_TRANSACTION_TIMEOUT_MILLIS + "ms'"),

		/** MySQL 8. */
		MYSQL("CURRENT_TIMESTAMP(6)", "TIMESTAMPADD(MICROSECOND, ? * 1000, CURRENT_TIMESTAMP(6))", null),

		/** MariaDB 10.6 and later. */
		MARIADB("CURRENT_TIMESTAMP(6)", "TIMESTAMPADD(MICROSECOND, ? * 1000, CURRENT_TIMESTAMP(6))", null);

		private final String now;

		private final String nowPlusMillis;

		private final @Nullable String transactionGuard;

		Platform(String now, String nowPlusMillis, @Nullable String transactionGuard) {
			this.now = now;
			this.nowPlusMillis = nowPlusMillis;
			this.transactionGuard = transactionGuard;
		}

		/**
		 * Return the statement that makes the database end a transaction on lease rows whose client stalled (cut off
		 * from the database in the middle of it), so that its row locks do not keep the other replicas from the
		 * sessions: PostgreSQL ends a transaction idle for {@value #STALLED_TRANSACTION_TIMEOUT_MILLIS} ms. The
		 * other databases have none here: their server ends such a session only when it notices the connection is
		 * gone.
		 * @return the statement, run first in each transaction, or {@code null}
		 */
		public @Nullable String transactionGuard() {
			return this.transactionGuard;
		}

		/**
		 * Return the platform of a Spring Boot platform name ({@code h2}, {@code postgresql}, {@code mysql},
		 * {@code mariadb}).
		 * @param name the name
		 * @return the platform
		 */
		public static Platform of(String name) {
			return switch (name.toLowerCase(java.util.Locale.ROOT)) {
				case "h2" -> H2;
				case "postgresql" -> POSTGRESQL;
				case "mysql" -> MYSQL;
				case "mariadb" -> MARIADB;
				default -> throw new IllegalArgumentException("Leases are not supported on '" + name
						+ "'; supported: h2, postgresql, mysql, mariadb");
			};
		}

	}

	/**
	 * How long PostgreSQL lets a transaction on lease rows sit idle (its client stalled) before it ends it.
	 */
	public static final long STALLED_TRANSACTION_TIMEOUT_MILLIS = 1000;

	private final JdbcTemplate jdbc;

	private final @Nullable String transactionGuard;

	private final Platform platform;

	private final TransactionTemplate transactions;

	private final String now;

	private final String nowPlusMillis;

	/**
	 * Create a store.
	 * @param dataSource the database with the lease tables
	 * @param platform its SQL
	 */
	public JdbcLeaseStore(DataSource dataSource, Platform platform) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		// InnoDB's default (repeatable read) also locks the rows a claim only looked at: other claims would skip them
		this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		this.now = platform.now;
		this.nowPlusMillis = platform.nowPlusMillis;
		this.transactionGuard = platform.transactionGuard;
		this.platform = platform;
	}

	/**
	 * Return the database's SQL this store speaks.
	 * @return the platform
	 */
	public Platform getPlatform() {
		return this.platform;
	}

	private void guard() {
		if (this.transactionGuard != null) {
			this.jdbc.execute(this.transactionGuard);
		}
	}

	@Override
	public void register(String appId, String replicaId, String host, Duration ttl) {
		this.jdbc.update("INSERT INTO cometchat_replica (replica_id, app_id, host, expires_at) VALUES (?, ?, ?, "
				+ this.nowPlusMillis + ")", replicaId, appId, host, ttl.toMillis());
	}

	@Override
	public boolean renew(String replicaId, Duration ttl) {
		return this.jdbc.update("UPDATE cometchat_replica SET expires_at = " + this.nowPlusMillis
				+ " WHERE replica_id = ? AND expires_at > " + this.now, ttl.toMillis(), replicaId) == 1;
	}

	@Override
	public void unregister(String appId, String replicaId) {
		this.transactions.executeWithoutResult((status) -> {
			guard();
			this.jdbc.update("UPDATE cometchat_session_lease SET holder = NULL WHERE app_id = ? AND holder = ?", appId,
					replicaId);
			this.jdbc.update("DELETE FROM cometchat_replica WHERE replica_id = ?", replicaId);
		});
	}

	@Override
	public int purgeExpired(String appId, Duration age) {
		return this.jdbc.update(
				"DELETE FROM cometchat_replica WHERE app_id = ? AND expires_at < " + this.nowPlusMillis, appId,
				-age.toMillis());
	}

	@Override
	public int liveReplicas(String appId) {
		Integer count = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM cometchat_replica WHERE app_id = ? AND expires_at > " + this.now, Integer.class,
				appId);
		return (count != null) ? count : 0;
	}

	@Override
	public int sessionCount(String appId) {
		Integer count = this.jdbc.queryForObject("SELECT COUNT(*) FROM cometchat_session_lease WHERE app_id = ?",
				Integer.class, appId);
		return (count != null) ? count : 0;
	}

	@Override
	public void synchronize(String appId) {
		try {
			this.jdbc.update("INSERT INTO cometchat_session_lease (app_id, uid, holder, fence) "
					+ "SELECT s.app_id, s.uid, NULL, 0 FROM cometchat_session s WHERE s.app_id = ? "
					+ "AND s.primary_session = FALSE AND NOT EXISTS "
					+ "(SELECT 1 FROM cometchat_session_lease l WHERE l.app_id = s.app_id AND l.uid = s.uid)", appId);
		}
		catch (DuplicateKeyException ex) {
			// Another replica added the same leases at the same moment: they are there
		}
		this.jdbc.update("DELETE FROM cometchat_session_lease WHERE app_id = ? AND NOT EXISTS (SELECT 1 FROM "
				+ "cometchat_session s WHERE s.app_id = cometchat_session_lease.app_id "
				+ "AND s.uid = cometchat_session_lease.uid AND s.primary_session = FALSE) AND (holder IS NULL OR "
				+ "NOT EXISTS (SELECT 1 FROM cometchat_replica r WHERE r.replica_id = cometchat_session_lease.holder "
				+ "AND r.expires_at > " + this.now + "))", appId);
	}

	@Override
	public void remove(String appId, String uid) {
		this.jdbc.update("DELETE FROM cometchat_session_lease WHERE app_id = ? AND uid = ?", appId, uid);
	}

	@Override
	public List<Lease> claim(String appId, String replicaId, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		List<Lease> claimed = this.transactions.execute((status) -> {
			guard();
			List<String> free = this.jdbc.queryForList("SELECT l.uid FROM cometchat_session_lease l WHERE l.app_id = ? "
					+ "AND (l.holder IS NULL OR NOT EXISTS (SELECT 1 FROM cometchat_replica r WHERE r.replica_id = "
					+ "l.holder AND r.expires_at > " + this.now + ")) LIMIT ? FOR UPDATE SKIP LOCKED", String.class,
					appId, limit);
			if (free.isEmpty()) {
				return List.<Lease>of();
			}
			List<Object[]> arguments = new ArrayList<>(free.size());
			for (String uid : free) {
				arguments.add(new Object[] { replicaId, appId, uid });
			}
			this.jdbc.batchUpdate(
					"UPDATE cometchat_session_lease SET holder = ?, fence = fence + 1 WHERE app_id = ? AND uid = ?",
					arguments);
			Map<String, Long> held = held(appId, replicaId);
			List<Lease> leases = new ArrayList<>(free.size());
			for (String uid : free) {
				leases.add(new Lease(uid, held.get(uid)));
			}
			return leases;
		});
		return (claimed != null) ? claimed : List.of();
	}

	@Override
	public Lease take(String appId, String replicaId, String uid) {
		for (int attempt = 0;; attempt++) {
			try {
				Lease lease = this.transactions.execute((status) -> {
					guard();
					int updated = this.jdbc.update(
							"UPDATE cometchat_session_lease SET holder = ?, fence = fence + 1 WHERE app_id = ? AND uid = ?",
							replicaId, appId, uid);
					if (updated == 0) {
						this.jdbc.update("INSERT INTO cometchat_session_lease (app_id, uid, holder, fence) "
								+ "VALUES (?, ?, ?, 1)", appId, uid, replicaId);
					}
					Long fence = this.jdbc.queryForObject(
							"SELECT fence FROM cometchat_session_lease WHERE app_id = ? AND uid = ?", Long.class, appId,
							uid);
					return new Lease(uid, (fence != null) ? fence : 1);
				});
				Assert.state(lease != null, "No lease");
				return lease;
			}
			catch (DuplicateKeyException ex) {
				// Added by another replica between the update and the insert: update it now
				if (attempt > 0) {
					throw ex;
				}
			}
		}
	}

	@Override
	public Map<String, Long> held(String appId, String replicaId) {
		Map<String, Long> held = new LinkedHashMap<>();
		this.jdbc.query("SELECT uid, fence FROM cometchat_session_lease WHERE app_id = ? AND holder = ?",
				(row) -> {
					held.put(row.getString(1), row.getLong(2));
				}, appId, replicaId);
		return held;
	}

	@Override
	public List<ReplicaInfo> replicas(String appId) {
		return this.jdbc.query("SELECT r.replica_id, r.host, r.expires_at, CASE WHEN r.expires_at > " + this.now
				+ " THEN 1 ELSE 0 END, (SELECT COUNT(*) FROM cometchat_session_lease l WHERE l.app_id = r.app_id "
				+ "AND l.holder = r.replica_id) FROM cometchat_replica r WHERE r.app_id = ? ORDER BY r.replica_id",
				(row, number) -> new ReplicaInfo(row.getString(1), row.getString(2),
						row.getTimestamp(3).toInstant(), row.getInt(4) == 1, row.getInt(5)),
				appId);
	}

	@Override
	public @Nullable String holderOf(String appId, String uid) {
		List<String> holders = this.jdbc.queryForList(
				"SELECT holder FROM cometchat_session_lease WHERE app_id = ? AND uid = ?", String.class, appId, uid);
		return holders.isEmpty() ? null : holders.get(0);
	}

	@Override
	public boolean release(String appId, String replicaId, Lease lease) {
		return this.jdbc.update("UPDATE cometchat_session_lease SET holder = NULL WHERE app_id = ? AND uid = ? "
				+ "AND holder = ? AND fence = ?", appId, lease.uid(), replicaId, lease.fence()) == 1;
	}

}
