package com.cometchat.spring.cluster;

import javax.sql.DataSource;

import com.cometchat.spring.test.PostgresSchemas;
import org.junit.jupiter.api.AfterAll;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * {@link JdbcLeaseStore} on the machine's PostgreSQL (the {@code it} profile), a schema of its own per test.
 */
class JdbcLeaseStorePostgresIT extends JdbcLeaseStoreContract {

	private static final PostgresSchemas schemas = new PostgresSchemas();

	@AfterAll
	static void dropSchemas() throws Exception {
		schemas.dropAll();
	}

	@Override
	DataSource newDatabase() throws Exception {
		return new SimpleDriverDataSource(new org.postgresql.Driver(),
				PostgresSchemas.URL + "?currentSchema=" + schemas.create(), PostgresSchemas.USER, "");
	}

	@org.junit.jupiter.api.Test
	void aTransactionWhoseClientStalledDoesNotKeepTheSessionFromTheOthers() throws Exception {
		saved("u1", "u2");
		this.store.synchronize("app");
		this.store.register("app", "a", "host-a", java.time.Duration.ofMinutes(1));
		try (java.sql.Connection stalled = this.dataSource.getConnection()) {
			// A replica cut off from the database in the middle of a write: its transaction holds u1's row
			stalled.setAutoCommit(false);
			try (java.sql.Statement statement = stalled.createStatement()) {
				statement.execute(JdbcLeaseStore.Platform.POSTGRESQL.transactionGuard());
				statement.executeQuery("SELECT uid FROM cometchat_session_lease WHERE app_id = 'app' AND uid = 'u1' "
						+ "FOR UPDATE").close();
			}
			java.util.List<String> claimed = new java.util.ArrayList<>();
			this.store.claim("app", "a", 5).forEach((lease) -> claimed.add(lease.uid()));
			org.assertj.core.api.Assertions.assertThat(claimed).containsExactly("u2");
			// PostgreSQL ends the stalled transaction and frees the row
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> {
					this.store.claim("app", "a", 5).forEach((lease) -> claimed.add(lease.uid()));
					return claimed.contains("u1");
				});
		}
	}

	@Override
	JdbcLeaseStore.Platform platform() {
		return JdbcLeaseStore.Platform.POSTGRESQL;
	}

}
