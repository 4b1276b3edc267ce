package com.cometchat.spring.benchmarks.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.cometchat.spring.benchmarks.Results;
import com.cometchat.spring.benchmarks.Stats;
import com.cometchat.spring.cluster.JdbcLeaseStore;
import com.cometchat.spring.cluster.Lease;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.cluster.LeaseStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Figure 7: replicas on one PostgreSQL database. {@code replicas} lease keepers (each as a replica runs it: its own
 * connection pool, the starter's {@link JdbcLeaseStore}) share {@code sessions} saved sessions: the statements per
 * second the database runs for them in steady state (counted per call from the SQL each call runs, and checked
 * against PostgreSQL's own count of transactions), and the fail-over time of a replica cut off from the database
 * (from the cut until another replica holds each of its sessions), several times. The sessions are leases only: no
 * socket is opened, so the figure is the database's side alone.
 *
 * @author CometChat
 */
public final class LeasesBenchmark {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private final Results results;

	private final int sessions;

	private final int replicas;

	private final Duration steady;

	private final int cuts;

	public LeasesBenchmark(Results results, int sessions, int replicas, Duration steady, int cuts) {
		this.results = results;
		this.sessions = sessions;
		this.replicas = replicas;
		this.steady = steady;
		this.cuts = cuts;
	}

	public void run() throws Exception {
		String schema = "cometchat_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE SCHEMA " + schema);
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix("leases-");
		scheduler.initialize();
		List<Replica> all = new ArrayList<>();
		try {
			try (HikariDataSource setup = pool(schema, 2)) {
				new ResourceDatabasePopulator(new ClassPathResource("com/cometchat/spring/session/schema-postgresql.sql"),
						new ClassPathResource("com/cometchat/spring/cluster/schema-postgresql.sql"))
					.execute(setup);
				saveSessions(setup);
			}
			Map<String, String> holders = new ConcurrentHashMap<>();
			for (int i = 0; i < this.replicas; i++) {
				all.add(new Replica(i, schema, scheduler, holders));
			}
			long started = System.nanoTime();
			all.forEach((replica) -> replica.keeper.start());
			while (holders.size() < this.sessions) {
				Thread.sleep(50);
			}
			double convergedSeconds = (System.nanoTime() - started) / 1e9;
			// Let the fair share settle, then count
			Thread.sleep(5000);
			long statementsBefore = statements(all);
			long transactionsBefore = transactions();
			long countStarted = System.nanoTime();
			Thread.sleep(this.steady.toMillis());
			double seconds = (System.nanoTime() - countStarted) / 1e9;
			double statementsPerSecond = (statements(all) - statementsBefore) / seconds;
			double transactionsPerSecond = (transactions() - transactionsBefore) / seconds;
			List<Integer> shares = all.stream().map((replica) -> replica.keeper.held().size()).toList();
			System.out.printf("leases: %d sessions on %d replicas: all held after %.1f s; steady %.1f statements/s "
					+ "(%.1f per replica), PostgreSQL counted %.1f transactions/s; shares %s%n", this.sessions,
					this.replicas, convergedSeconds, statementsPerSecond, statementsPerSecond / this.replicas,
					transactionsPerSecond, shares);
			// Fail-over: cut one replica off the database at a time, until another holds each of its sessions
			List<Double> failOvers = new ArrayList<>();
			List<Double> lastOfEachCut = new ArrayList<>();
			for (int cut = 0; cut < this.cuts; cut++) {
				Replica victim = all.get(cut % all.size());
				List<String> orphaned = victim.keeper.held().stream().map(Lease::uid).toList();
				long cutAt = System.nanoTime();
				victim.store.down = true;
				Map<String, Long> takenAt = new ConcurrentHashMap<>();
				while (takenAt.size() < orphaned.size()) {
					for (String uid : orphaned) {
						String holder = holders.get(uid);
						if (holder != null && !holder.equals(victim.name) && !takenAt.containsKey(uid)) {
							takenAt.put(uid, System.nanoTime());
						}
					}
					Thread.sleep(10);
				}
				List<Double> these = takenAt.values().stream().map((at) -> (at - cutAt) / 1e6).sorted().toList();
				failOvers.addAll(these);
				lastOfEachCut.add(these.get(these.size() - 1));
				System.out.printf("leases: cut %d: %d sessions taken over, first %.0f ms, last %.0f ms%n", cut + 1,
						orphaned.size(), these.get(0), these.get(these.size() - 1));
				victim.store.down = false;
				// Back: it registers again and gets its share back before the next cut
				Thread.sleep(8000);
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("machine", Results.machine());
			result.put("sessions", this.sessions);
			result.put("replicas", this.replicas);
			result.put("ttlSeconds", LeaseKeeper.Settings.DEFAULTS.ttl().toSeconds());
			result.put("renewIntervalSeconds", LeaseKeeper.Settings.DEFAULTS.renewInterval().toSeconds());
			result.put("allHeldSecondsAfterStart", convergedSeconds);
			result.put("steadySeconds", seconds);
			result.put("statementsPerSecond", statementsPerSecond);
			result.put("statementsPerSecondPerReplica", statementsPerSecond / this.replicas);
			result.put("postgresTransactionsPerSecond", transactionsPerSecond);
			result.put("shares", shares);
			result.put("cuts", this.cuts);
			result.put("failOverMillis", Stats.of(failOvers).toMap());
			result.put("lastTakeOverMillisPerCut", lastOfEachCut);
			this.results.json("leases", result);
			System.out.println("leases: " + result);
		}
		finally {
			for (Replica replica : all) {
				replica.keeper.stop().exceptionally((failure) -> null).join();
				replica.dataSource.close();
			}
			scheduler.shutdown();
			execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
	}

	private void saveSessions(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement("INSERT INTO cometchat_session (app_id, uid, "
						+ "primary_session, auth_token, created_at) VALUES ('bench', ?, FALSE, 'token', ?)")) {
			connection.setAutoCommit(false);
			for (int i = 0; i < this.sessions; i++) {
				insert.setString(1, "user-" + i);
				insert.setTimestamp(2, Timestamp.from(Instant.now()));
				insert.addBatch();
			}
			insert.executeBatch();
			connection.commit();
		}
	}

	private static long statements(List<Replica> all) {
		return all.stream().mapToLong((replica) -> replica.store.statements.get()).sum();
	}

	private static long transactions() throws Exception {
		try (Connection connection = java.sql.DriverManager.getConnection(URL, "postgres", "");
				Statement statement = connection.createStatement();
				java.sql.ResultSet result = statement.executeQuery(
						"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'test'")) {
			// The statistics of this backend's own transactions are flushed at its end; of the others', at theirs
			result.next();
			return result.getLong(1);
		}
	}

	private static void execute(String sql) throws Exception {
		try (Connection connection = java.sql.DriverManager.getConnection(URL, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static HikariDataSource pool(String schema, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(URL + "?currentSchema=" + schema);
		config.setUsername("postgres");
		config.setMaximumPoolSize(size);
		config.setConnectionTimeout(2000);
		return new HikariDataSource(config);
	}

	/**
	 * One replica: its pool, its store (counting statements, and able to lose the database), its keeper.
	 */
	private final class Replica {

		final String name;

		final HikariDataSource dataSource;

		final Counting store;

		final LeaseKeeper keeper;

		Replica(int number, String schema, ThreadPoolTaskScheduler scheduler, Map<String, String> holders) {
			this.name = "replica-" + number;
			this.dataSource = pool(schema, 2);
			this.store = new Counting(new JdbcLeaseStore(this.dataSource, JdbcLeaseStore.Platform.POSTGRESQL));
			java.util.concurrent.ExecutorService storeThreads = java.util.concurrent.Executors.newFixedThreadPool(2);
			this.keeper = new LeaseKeeper(this.store, "bench", this.name, LeaseKeeper.Settings.DEFAULTS, scheduler,
					storeThreads, System::nanoTime, new LeaseKeeper.Listener() {

						@Override
						public void acquired(Lease lease) {
							holders.put(lease.uid(), Replica.this.name);
						}

						@Override
						public void lost(Lease lease, String reason) {
							holders.remove(lease.uid(), Replica.this.name);
						}

					});
		}

	}

	/**
	 * Counts the SQL statements each call runs (as {@link JdbcLeaseStore} writes them), and fails every call while the
	 * database is "down" for this replica.
	 */
	private static final class Counting implements LeaseStore {

		private final LeaseStore delegate;

		final AtomicLong statements = new AtomicLong();

		volatile boolean down;

		Counting(LeaseStore delegate) {
			this.delegate = delegate;
		}

		private LeaseStore use(int statements) {
			if (this.down) {
				throw new IllegalStateException("database unreachable");
			}
			this.statements.addAndGet(statements);
			return this.delegate;
		}

		@Override
		public void register(String appId, String replicaId, String host, Duration ttl) {
			use(1).register(appId, replicaId, host, ttl);
		}

		@Override
		public boolean renew(String replicaId, Duration ttl) {
			return use(1).renew(replicaId, ttl);
		}

		@Override
		public void unregister(String appId, String replicaId) {
			use(2).unregister(appId, replicaId);
		}

		@Override
		public int purgeExpired(String appId, Duration age) {
			return use(1).purgeExpired(appId, age);
		}

		@Override
		public int liveReplicas(String appId) {
			return use(1).liveReplicas(appId);
		}

		@Override
		public int sessionCount(String appId) {
			return use(1).sessionCount(appId);
		}

		@Override
		public void synchronize(String appId) {
			use(2).synchronize(appId);
		}

		@Override
		public void remove(String appId, String uid) {
			use(1).remove(appId, uid);
		}

		@Override
		public List<Lease> claim(String appId, String replicaId, int limit) {
			List<Lease> claimed = use(1).claim(appId, replicaId, limit);
			// The select, one update per session taken (one JDBC batch), and the select of the fences
			this.statements.addAndGet(claimed.isEmpty() ? 0 : claimed.size() + 1);
			return claimed;
		}

		@Override
		public Lease take(String appId, String replicaId, String uid) {
			return use(2).take(appId, replicaId, uid);
		}

		@Override
		public Map<String, Long> held(String appId, String replicaId) {
			return use(1).held(appId, replicaId);
		}

		@Override
		public boolean release(String appId, String replicaId, Lease lease) {
			return use(1).release(appId, replicaId, lease);
		}

	}

}
