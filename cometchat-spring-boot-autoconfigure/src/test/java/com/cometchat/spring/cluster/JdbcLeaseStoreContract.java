package com.cometchat.spring.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link JdbcLeaseStore} must do on each database it supports, with the starter's own scripts: expiries on the
 * database's clock, claims that skip what another transaction is claiming, fences that only go up.
 */
abstract class JdbcLeaseStoreContract {

	private static final Duration TTL = Duration.ofMinutes(1);

	JdbcLeaseStore store;

	private JdbcTemplate jdbc;

	DataSource dataSource;

	/**
	 * A new, empty database (or schema) for one test.
	 */
	abstract DataSource newDatabase() throws Exception;

	abstract JdbcLeaseStore.Platform platform();

	@BeforeEach
	void createTables() throws Exception {
		this.dataSource = newDatabase();
		String platform = platform().name().toLowerCase(java.util.Locale.ROOT);
		new ResourceDatabasePopulator(new ClassPathResource("com/cometchat/spring/session/schema-" + platform + ".sql"),
				new ClassPathResource("com/cometchat/spring/cluster/schema-" + platform + ".sql"))
			.execute(this.dataSource);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.store = new JdbcLeaseStore(this.dataSource, platform());
	}

	void saved(String... uids) {
		for (String uid : uids) {
			this.jdbc.update("INSERT INTO cometchat_session (app_id, uid, primary_session, auth_token, created_at) "
					+ "VALUES ('app', ?, FALSE, 'token', CURRENT_TIMESTAMP)", uid);
		}
	}

	@Test
	void aReplicaIsAliveUntilItsLeaseExpiresOnTheDatabasesClock() {
		this.store.register("app", "a", "host-a", TTL);
		// Expired already: registered with a lease that ended a second ago
		this.store.register("app", "b", "host-b", Duration.ofSeconds(-1));
		assertThat(this.store.liveReplicas("app")).isEqualTo(1);
		assertThat(this.store.renew("a", TTL)).isTrue();
		assertThat(this.store.renew("b", TTL)).as("an expired replica cannot renew").isFalse();
		assertThat(this.store.renew("nobody", TTL)).isFalse();
		assertThat(this.store.purgeExpired("app", Duration.ZERO)).isEqualTo(1);
		assertThat(this.store.liveReplicas("app")).isEqualTo(1);
	}

	@Test
	void everySavedSessionGetsALeaseAndALoggedOutOneLosesIt() {
		saved("alice", "bob");
		this.store.synchronize("app");
		this.store.synchronize("app");
		assertThat(this.store.sessionCount("app")).isEqualTo(2);
		this.jdbc.update("DELETE FROM cometchat_session WHERE uid = 'bob'");
		this.store.synchronize("app");
		assertThat(this.store.sessionCount("app")).isEqualTo(1);
		// A lease taken by a login whose session is not saved yet stays while its holder is alive
		this.store.register("app", "a", "host-a", TTL);
		this.store.take("app", "a", "carol");
		this.store.synchronize("app");
		assertThat(this.store.sessionCount("app")).isEqualTo(2);
		this.store.remove("app", "carol");
		assertThat(this.store.held("app", "a")).isEmpty();
	}

	@Test
	void theSingleClientsSessionGetsNoLease() {
		this.jdbc.update("INSERT INTO cometchat_session (app_id, uid, primary_session, auth_token, created_at) "
				+ "VALUES ('app', 'bot', TRUE, 'token', CURRENT_TIMESTAMP)");
		this.store.synchronize("app");
		assertThat(this.store.sessionCount("app")).isZero();
	}

	@Test
	void claimsTakeFreeSessionsOnceAndRaiseTheirFence() {
		saved("u1", "u2", "u3");
		this.store.synchronize("app");
		this.store.register("app", "a", "host-a", TTL);
		this.store.register("app", "b", "host-b", TTL);
		List<Lease> ofA = this.store.claim("app", "a", 2);
		List<Lease> ofB = this.store.claim("app", "b", 5);
		assertThat(ofA).hasSize(2).allMatch((lease) -> lease.fence() == 1);
		assertThat(ofB).hasSize(1);
		Set<String> all = new HashSet<>();
		ofA.forEach((lease) -> all.add(lease.uid()));
		ofB.forEach((lease) -> all.add(lease.uid()));
		assertThat(all).containsExactlyInAnyOrder("u1", "u2", "u3");
		assertThat(this.store.claim("app", "b", 5)).as("nothing is free").isEmpty();
		assertThat(this.store.held("app", "a")).hasSize(2);
	}

	@Test
	void theSessionsOfAnExpiredReplicaAreFreeAndTheirFenceGoesUp() {
		saved("u1");
		this.store.synchronize("app");
		this.store.register("app", "old", "host", TTL);
		Lease first = this.store.claim("app", "old", 1).get(0);
		this.store.unregister("app", "old");
		this.store.register("app", "dead", "host", TTL);
		this.jdbc.update("UPDATE cometchat_session_lease SET holder = 'dead'");
		this.jdbc.update("UPDATE cometchat_replica SET expires_at = ? WHERE replica_id = 'dead'",
				java.sql.Timestamp.valueOf("2000-01-01 00:00:00"));
		this.store.register("app", "new", "host", TTL);
		Lease second = this.store.claim("app", "new", 1).get(0);
		assertThat(second.uid()).isEqualTo("u1");
		assertThat(second.fence()).isGreaterThan(first.fence());
		assertThat(this.store.release("app", "dead", new Lease("u1", first.fence())))
			.as("a write with an old fence changes nothing").isFalse();
		assertThat(this.store.held("app", "new")).containsEntry("u1", second.fence());
	}

	@Test
	void aTakeMovesASessionWhateverHoldsItAndAddsItsLeaseWhenMissing() {
		this.store.register("app", "a", "host-a", TTL);
		this.store.register("app", "b", "host-b", TTL);
		Lease ofA = this.store.take("app", "a", "carol");
		Lease ofB = this.store.take("app", "b", "carol");
		assertThat(ofB.fence()).isGreaterThan(ofA.fence());
		assertThat(this.store.held("app", "a")).isEmpty();
		assertThat(this.store.release("app", "a", ofA)).isFalse();
		assertThat(this.store.release("app", "b", ofB)).isTrue();
		assertThat(this.store.claim("app", "a", 1)).extracting(Lease::uid).containsExactly("carol");
	}

	@Test
	void aStopGivesEverySessionBack() {
		saved("u1", "u2");
		this.store.synchronize("app");
		this.store.register("app", "a", "host-a", TTL);
		this.store.register("app", "b", "host-b", TTL);
		assertThat(this.store.claim("app", "a", 5)).hasSize(2);
		this.store.unregister("app", "a");
		assertThat(this.store.liveReplicas("app")).isEqualTo(1);
		assertThat(this.store.claim("app", "b", 5)).hasSize(2);
	}

	@Test
	void aClaimSkipsTheSessionsAnotherTransactionIsClaiming() throws Exception {
		saved("u1", "u2");
		this.store.synchronize("app");
		this.store.register("app", "a", "host-a", TTL);
		try (Connection other = this.dataSource.getConnection()) {
			other.setAutoCommit(false);
			try (Statement statement = other.createStatement();
					ResultSet locked = statement.executeQuery(
							"SELECT uid FROM cometchat_session_lease WHERE app_id = 'app' AND uid = 'u1' FOR UPDATE")) {
				assertThat(locked.next()).isTrue();
				// Returns at once, without the locked one
				assertThat(this.store.claim("app", "a", 5)).extracting(Lease::uid).containsExactly("u2");
			}
			other.rollback();
		}
		assertThat(this.store.claim("app", "a", 5)).extracting(Lease::uid).containsExactly("u1");
	}

}
