package com.cometchat.spring.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import javax.sql.DataSource;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJdbcSessionAutoConfiguration;
import com.cometchat.spring.autoconfigure.session.CometChatJpaSessionAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What {@link JdbcSessionStore} must do on each database the starter ships a schema for, in an application whose
 * store is {@code cometchat.session.store=jdbc}: every field of a session back as it was saved (instants to the
 * microsecond), one primary session per app, tokens encrypted at rest, and rows that the JPA store reads unchanged
 * (and the reverse), so that an application can switch between the two stores on one table. The tests of what a store
 * does run on {@link JpaSessionStore} too (its bulk deletes and updates are Criteria queries of its own).
 */
abstract class JdbcSessionStoreContract {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private List<String> database;

	/**
	 * The {@code spring.datasource.*} properties of a new, empty database (or schema) for one test.
	 */
	abstract List<String> newDatabase() throws Exception;

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = newDatabase();
	}

	private ApplicationContextRunner runner(String store) {
		List<String> properties = new ArrayList<>(this.database);
		properties.addAll(List.of("cometchat.url=ws://localhost:15674/ws", "cometchat.session.store=" + store,
				"cometchat.session.encryption-key=" + KEY, "cometchat.session.initialize-schema=always",
				"cometchat.auto-establish-socket-connection=false",
				// The table is the starter's script's, which Hibernate must leave alone between the two stores
				"spring.jpa.hibernate.ddl-auto=validate"));
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					TransactionAutoConfiguration.class, CometChatJdbcSessionAutoConfiguration.class,
					CometChatAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new));
		if (store.equals("jpa")) {
			runner = runner.withConfiguration(AutoConfigurations.of(HibernateJpaAutoConfiguration.class,
					DataJpaRepositoriesAutoConfiguration.class, CometChatJpaSessionAutoConfiguration.class));
		}
		return runner;
	}

	private void withStore(String store, StoreTest test) {
		runner(store).run((context) -> {
			assertThat(context).hasNotFailed();
			test.run(context.getBean(SessionStore.class), new JdbcTemplate(context.getBean(DataSource.class)));
		});
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	@Test
	void theStoreIsTheJdbcOne() {
		withStore("jdbc", (store, jdbc) -> assertThat(store).isInstanceOf(JdbcSessionStore.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void aSessionComesBackAsItWasSavedToTheMicrosecond(String kind) {
		Instant created = Instant.parse("2026-03-29T01:30:00.123456Z");
		Instant connected = now();
		StoredSession session = new StoredSession("app", "alice", "eu", "token-a", created, connected,
				Set.of("team-b", "team-a"), true);
		withStore(kind, (store, jdbc) -> {
			store.save(session);
			assertThat(store.load("app")).contains(session);
			assertThat(store.load("app", "alice")).contains(session);
			assertThat(store.loadAll("app")).containsExactly(session);
			assertThat(store.load("other-app")).isEmpty();
			assertThat(store.load("app", "bob")).isEmpty();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void emptyFieldsStayEmpty(String kind) {
		StoredSession session = new StoredSession("app", "alice", null, "token-a", now(), null, Set.of(), false);
		withStore(kind, (store, jdbc) -> {
			store.save(session);
			assertThat(store.load("app", "alice")).contains(session);
			assertThat(store.load("app")).as("not a primary session").isEmpty();
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM cometchat_session WHERE region IS NULL "
					+ "AND last_connected_at IS NULL AND group_ids IS NULL", Integer.class)).isOne();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void savingAgainUpdatesTheUsersRow(String kind) {
		withStore(kind, (store, jdbc) -> {
			StoredSession first = new StoredSession("app", "alice", "eu", "token-1", now(), null, Set.of(), false);
			store.save(first);
			StoredSession second = first.withAuthToken("token-2").withGroups(Set.of("g")).withLastConnectedAt(now());
			store.save(second);
			assertThat(store.loadAll("app")).containsExactly(second);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void aPrimarySessionEndsTheAppsEarlierPrimarySessionOnly(String kind) {
		withStore(kind, (store, jdbc) -> {
			StoredSession bot1 = new StoredSession("app", "bot-1", "eu", "t1", now(), null, Set.of(), true);
			StoredSession user = new StoredSession("app", "carol", "eu", "t3", now(), null, Set.of(), false);
			StoredSession otherApp = new StoredSession("other", "bot-9", "eu", "t9", now(), null, Set.of(), true);
			store.save(bot1);
			store.save(user);
			store.save(otherApp);
			StoredSession bot2 = new StoredSession("app", "bot-2", "eu", "t2", now(), null, Set.of(), true);
			store.save(bot2);
			assertThat(store.load("app")).contains(bot2);
			assertThat(store.loadAll("app")).containsExactlyInAnyOrder(bot2, user);
			assertThat(store.load("other")).contains(otherApp);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void deletingTheAppsSessionDeletesOnlyThePrimaryOne(String kind) {
		withStore(kind, (store, jdbc) -> {
			StoredSession bot = new StoredSession("app", "bot", "eu", "t1", now(), null, Set.of(), true);
			StoredSession user = new StoredSession("app", "carol", "eu", "t3", now(), null, Set.of(), false);
			store.save(bot);
			store.save(user);
			store.delete("app");
			assertThat(store.loadAll("app")).containsExactly(user);
			store.delete("app", "carol");
			assertThat(store.loadAll("app")).isEmpty();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void markConnectedChangesOnlyTheTimeItConnected(String kind) {
		withStore(kind, (store, jdbc) -> {
			StoredSession session = new StoredSession("app", "alice", "eu", "t", now(), null, Set.of("g"), false);
			store.save(session);
			Instant connected = Instant.parse("2026-12-01T20:00:00.000001Z");
			store.markConnected("app", "alice", connected);
			store.markConnected("app", "nobody", connected);
			assertThat(store.loadAll("app")).containsExactly(session.withLastConnectedAt(connected));
		});
	}

	@Test
	void theTokenIsEncryptedAtRestAndARowOfAnotherKeyIsLeftOut() {
		withStore("jdbc", (store, jdbc) -> {
			store.save(new StoredSession("app", "alice", "eu", "token-in-clear", now(), null, Set.of(), false));
			assertThat(jdbc.queryForObject("SELECT auth_token FROM cometchat_session", String.class))
				.startsWith("gcm1:")
				.doesNotContain("token-in-clear");
			TokenCipher otherKey = AesGcmTokenCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[16]));
			jdbc.update("INSERT INTO cometchat_session (app_id, uid, primary_session, auth_token, created_at) "
					+ "VALUES ('app', 'mallory', FALSE, ?, CURRENT_TIMESTAMP)", otherKey.encrypt("x"));
			assertThat(store.loadAll("app")).extracting(StoredSession::uid).containsExactly("alice");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc", "jpa" })
	void aTokenTheDatabaseRefusesIsNotQuotedByTheFailureAndNothingChanges(String kind) {
		StoredSession saved = new StoredSession("app", "alice", "eu", "token-a", now(), null, Set.of(), false);
		// Too long for its column even encrypted; H2 quotes such a value in its message
		String secret = "SECRET-" + "x".repeat(5000);
		withStore(kind, (store, jdbc) -> {
			store.save(saved);
			Throwable failure = catchThrowable(() -> store.save(saved.withAuthToken(secret)));
			assertThat(failure).isNotNull();
			java.io.StringWriter trace = new java.io.StringWriter();
			failure.printStackTrace(new java.io.PrintWriter(trace));
			// Neither in clear nor as stored (encrypted: gcm1:...)
			assertThat(trace.toString()).doesNotContain("SECRET-").doesNotContain("xxxxxxxxxx").doesNotContain("gcm1:");
			assertThat(store.loadAll("app")).containsExactly(saved);
		});
	}

	@Test
	void whatTheJpaStoreSavedTheJdbcStoreReadsUnchangedAndTheReverse() {
		Instant created = Instant.parse("2026-10-25T01:30:00.654321Z");
		StoredSession byJpa = new StoredSession("app", "alice", "eu", "token-a", created, now(), Set.of("g1", "g2"),
				true);
		StoredSession byJdbc = new StoredSession("app", "bob", null, "token-b", now(),
				Instant.parse("2026-12-01T23:59:59.999999Z"), Set.of(), false);
		// Off UTC (and off whole hours), so that an instant read or written in the JVM's zone shows
		TimeZone zone = TimeZone.getDefault();
		TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
		try {
			withStore("jpa", (store, jdbc) -> {
				assertThat(store).isInstanceOf(JpaSessionStore.class);
				store.save(byJpa);
			});
			withStore("jdbc", (store, jdbc) -> {
				assertThat(store.loadAll("app")).containsExactly(byJpa);
				store.save(byJdbc);
			});
			withStore("jpa",
					(store, jdbc) -> assertThat(store.loadAll("app")).containsExactlyInAnyOrder(byJpa, byJdbc));
		}
		finally {
			TimeZone.setDefault(zone);
		}
	}

	@FunctionalInterface
	interface StoreTest {

		void run(SessionStore store, JdbcTemplate jdbc) throws Exception;

	}

}
