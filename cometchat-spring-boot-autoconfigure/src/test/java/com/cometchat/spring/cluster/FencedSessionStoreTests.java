package com.cometchat.spring.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link FencedSessionStore} on H2: a replica writes a session only while the database says it holds the
 * session's lease with its fence, also when it has not noticed yet that another replica took the session.
 */
class FencedSessionStoreTests {

	private static final Instant CONNECTED = Instant.parse("2026-12-01T10:00:00Z");

	private final VirtualScheduler time = new VirtualScheduler();

	private final InMemorySessionStore sessions = new InMemorySessionStore();

	private JdbcLeaseStore leases;

	private LeaseKeeper keeper;

	private FencedSessionStore fenced;

	@BeforeEach
	void start() {
		DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:fenced-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("com/cometchat/spring/session/schema-h2.sql"),
				new ClassPathResource("com/cometchat/spring/cluster/schema-h2.sql"))
			.execute(dataSource);
		this.leases = new JdbcLeaseStore(dataSource, JdbcLeaseStore.Platform.H2);
		Instant start = this.time.now();
		this.keeper = new LeaseKeeper(this.leases, "app", "here", LeaseKeeper.Settings.DEFAULTS, this.time,
				Runnable::run, () -> Duration.between(start, this.time.now()).toNanos(), new LeaseKeeper.Listener() {

					@Override
					public void acquired(Lease lease) {
					}

					@Override
					public void lost(Lease lease, String reason) {
					}

				});
		this.keeper.start();
		this.fenced = new FencedSessionStore(this.sessions, this.keeper, dataSource,
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JdbcLeaseStore.Platform.H2);
		this.sessions.save(saved("alice", false));
	}

	private static StoredSession saved(String uid, boolean primary) {
		return new StoredSession("app", uid, "eu", "token", Instant.parse("2026-01-01T00:00:00Z"), null, Set.of(),
				primary);
	}

	@Test
	void theHolderWrites() {
		assertThat(this.keeper.take("alice")).isNotNull();
		this.fenced.markConnected("app", "alice", CONNECTED);
		assertThat(this.sessions.load("app", "alice")).get()
			.extracting(StoredSession::lastConnectedAt)
			.isEqualTo(CONNECTED);
	}

	@Test
	void aReplicaWhoseSessionWasTakenWritesNothingEvenBeforeItNotices() {
		assertThat(this.keeper.take("alice")).isNotNull();
		// Another replica takes it (a login there); this one has not renewed since
		this.leases.register("app", "there", "there", Duration.ofMinutes(1));
		this.leases.take("app", "there", "alice");
		assertThat(this.keeper.leaseOf("alice")).as("not noticed yet").isNotNull();
		assertThatIllegalStateException().isThrownBy(() -> this.fenced.markConnected("app", "alice", CONNECTED))
			.withMessageContaining("does not hold the lease");
		assertThatIllegalStateException().isThrownBy(() -> this.fenced.delete("app", "alice"));
		assertThat(this.sessions.load("app", "alice")).get()
			.extracting(StoredSession::lastConnectedAt)
			.as("nothing written")
			.isNull();
	}

	@Test
	void aSessionThisReplicaNeverHeldIsNotWrittenAndTheSingleClientsAlwaysIs() {
		assertThatIllegalStateException().isThrownBy(() -> this.fenced.save(saved("bob", false)));
		assertThat(this.sessions.load("app", "bob")).isEmpty();
		this.fenced.save(saved("bot", true));
		assertThat(this.sessions.load("app")).get().extracting(StoredSession::uid).isEqualTo("bot");
	}

}
