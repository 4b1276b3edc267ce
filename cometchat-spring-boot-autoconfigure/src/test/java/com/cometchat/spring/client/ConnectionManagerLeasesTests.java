package com.cometchat.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.cluster.InMemoryLeaseStore;
import com.cometchat.spring.cluster.Lease;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.cluster.LeaseStore;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
import com.cometchat.spring.test.GatedScheduler;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultCometChatConnectionManager} with leases: two replicas (each a manager with its own
 * transport and {@link LeaseKeeper}) on one session store and one lease store, in virtual time. Each session is
 * connected by exactly one replica; a replica that loses a session drops its socket before another may take it.
 */
class ConnectionManagerLeasesTests {

	private static final LeaseKeeper.Settings LEASES = LeaseKeeper.Settings.DEFAULTS;

	private final VirtualScheduler time = new VirtualScheduler();

	private final Instant start = this.time.now();

	private final InMemorySessionStore sessions = new InMemorySessionStore();

	private final InMemoryLeaseStore leases = new InMemoryLeaseStore(this.time.getClock());

	private final Replica a = new Replica("a");

	private final Replica b = new Replica("b");

	private static StoredSession saved(String uid) {
		return new StoredSession("app", uid, "eu", uid + "-token", Instant.parse("2026-01-01T00:00:00Z"), null,
				Set.of(), false);
	}

	private void advance(Duration duration) {
		for (long ms = 0; ms < duration.toMillis(); ms += 10) {
			this.time.advance(Duration.ofMillis(10));
			this.a.answer();
			this.b.answer();
		}
	}

	@Test
	void eachSavedSessionIsConnectedByExactlyOneReplica() {
		for (int i = 0; i < 4; i++) {
			this.sessions.save(saved("user-" + i));
		}
		this.a.manager.start();
		this.b.manager.start();
		advance(Duration.ofSeconds(3));
		assertThat(this.a.manager.getClients()).hasSize(2);
		assertThat(this.b.manager.getClients()).hasSize(2);
		assertThat(this.a.connectedUids()).doesNotContainAnyElementsOf(this.b.connectedUids());
		assertThat(this.a.connectedUids().size() + this.b.connectedUids().size()).isEqualTo(4);
		assertThat(this.a.manager.countByState()).containsEntry(ConnectionState.CONNECTED, 2);
	}

	@Test
	void aStoppedReplicasSessionsMoveToTheOtherAfterItsSocketsAreClosed() {
		for (int i = 0; i < 4; i++) {
			this.sessions.save(saved("user-" + i));
		}
		this.a.manager.start();
		this.b.manager.start();
		advance(Duration.ofSeconds(3));
		List<String> ofA = this.a.connectedUids();
		this.a.manager.stop();
		assertThat(this.a.transport.openCount()).as("closed before the leases are given back").isZero();
		assertThat(this.a.manager.getClients()).isEmpty();
		assertThat(this.sessions.loadAll("app")).as("a stop keeps the sessions").hasSize(4);
		advance(LEASES.renewInterval().plusMillis(100));
		assertThat(this.b.connectedUids()).containsAll(ofA).hasSize(4);
	}

	@Test
	void aLoginOnOneReplicaTakesTheUserFromTheOther() {
		this.sessions.save(saved("alice"));
		this.a.manager.start();
		advance(Duration.ofSeconds(1));
		this.b.manager.start();
		advance(Duration.ofSeconds(1));
		assertThat(this.a.connectedUids()).containsExactly("alice");
		CompletableFuture<CometChatClient> login = this.b.manager.login("alice", "alice-token");
		advance(Duration.ofMillis(100));
		assertThat(login).isCompleted();
		assertThat(this.b.connectedUids()).containsExactly("alice");
		advance(LEASES.renewInterval());
		assertThat(this.a.connectedUids()).as("a dropped it at its next renewal").isEmpty();
		assertThat(this.a.manager.getClient("alice")).isEmpty();
		advance(Duration.ofSeconds(10));
		assertThat(this.b.connectedUids()).containsExactly("alice");
		assertThat(this.a.transport.openCount()).isZero();
	}

	@Test
	void callsForAUserHeldByAnotherReplicaFailNamingIt() {
		this.sessions.save(saved("alice"));
		this.a.manager.start();
		advance(Duration.ofSeconds(1));
		this.b.manager.start();
		advance(Duration.ofSeconds(1));
		assertThat(this.a.connectedUids()).containsExactly("alice");
		CompletableFuture<SentMessage> sent = this.b.manager.sendMessage("alice",
				OutgoingMessage.text(ReceiverType.USER, "bob", "hi"));
		assertThat(errorCode(sent)).isEqualTo(ErrorCode.NOT_SESSION_HOLDER);
		assertThat(sent.handle((done, failure) -> failure.getMessage()).join()).contains(this.a.keeper.getReplicaId());
		assertThat(errorCode(this.b.manager.connect("alice"))).isEqualTo(ErrorCode.NOT_SESSION_HOLDER);
		assertThat(errorCode(this.b.manager.disconnect("alice"))).isEqualTo(ErrorCode.NOT_SESSION_HOLDER);
		assertThat(errorCode(this.b.manager.connect("carol"))).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
		assertThat(this.a.manager.sendMessage("alice", OutgoingMessage.text(ReceiverType.USER, "bob", "hi")))
			.as("the holder sends").isNotCompletedExceptionally();
	}

	@Test
	void aLogoutOnAReplicaThatDoesNotHoldTheUserLogsItOutEverywhere() {
		this.sessions.save(saved("alice"));
		this.a.manager.start();
		advance(Duration.ofSeconds(1));
		this.b.manager.start();
		advance(Duration.ofSeconds(1));
		assertThat(this.b.manager.logout("alice")).isCompleted();
		assertThat(this.sessions.loadAll("app")).isEmpty();
		advance(LEASES.renewInterval());
		assertThat(this.a.manager.getClient("alice")).isEmpty();
		assertThat(this.a.transport.openCount()).isZero();
		assertThat(errorCode(this.b.manager.logout("alice"))).isEqualTo(ErrorCode.USER_NOT_LOGGED_IN);
	}

	@Test
	void aReplicaCutOffFromTheDatabaseSendsNothingAfterItsDeadline() {
		this.sessions.save(saved("alice"));
		this.a.manager.start();
		advance(Duration.ofSeconds(2));
		CometChatClient alice = this.a.manager.getClient("alice").orElseThrow();
		this.a.databaseDown = true;
		advance(LEASES.ttl().minus(LEASES.margin()));
		assertThat(this.a.keeper.mayAct()).isFalse();
		int framesBefore = this.a.transport.connections().get(0).sends().size();
		CompletableFuture<SentMessage> sent = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "hello"));
		assertThat(this.a.transport.connections().get(0).sends()).as("nothing left").hasSize(framesBefore);
		assertThat(this.a.transport.openCount()).isZero();
		assertThat(this.a.manager.getClient("alice")).isEmpty();
		assertThat(sent).isCompletedExceptionally();
	}

	@Test
	void afterItsDeadlineNothingLeavesForASessionEvenBeforeTheReplicaHearsItLostIt() {
		this.sessions.save(saved("alice"));
		this.a.manager.start();
		advance(Duration.ofSeconds(2));
		CometChatClient alice = this.a.manager.getClient("alice").orElseThrow();
		ScriptedTransport.Connection socket = this.a.transport.connections().get(0);
		// A GC pause of the keeper's threads: no renewal, and its own timers do not run either
		this.a.keeperPaused = true;
		// Past its deadline, and past its row's expiry in the database
		advance(LEASES.ttl().plusMillis(500));
		assertThat(this.a.keeper.mayAct()).isFalse();
		assertThat(this.a.manager.getClient("alice")).as("not told yet").containsSame(alice);
		int framesBefore = socket.sends().size();
		assertThat(socket.deliver("cometchat-app-alice-user", message("m-1", "bob", "alice", "hi alice")))
			.as("a message is not taken, so not acknowledged: the next holder gets it").isFalse();
		assertThat(socket.isClosed()).as("the socket is dropped").isTrue();
		CompletableFuture<SentMessage> sent = alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, "bob", "hi"));
		assertThat(socket.sends()).as("nothing left").hasSize(framesBefore);
		assertThat(this.a.transport.connections()).as("no new socket").hasSize(1);
		// The keeper's threads run again: its renewal fails, the manager hears of the loss and drops the client (with
		// no other replica, this one takes the session again at once, with a new fence and a new client)
		this.a.resume();
		assertThat(this.a.manager.getClient("alice")).isNotEqualTo(Optional.of(alice));
		assertThat(errorCode(sent)).isNotNull();
	}

	private static byte[] message(String id, String sender, String receiver, String text) {
		return ("{\"kind\":\"message\",\"id\":\"" + id + "\",\"sender\":\"" + sender
				+ "\",\"receiverType\":\"user\",\"receiver\":\"" + receiver + "\",\"type\":\"text\",\"text\":\"" + text
				+ "\",\"sentAt\":\"2026-01-01T00:00:00Z\"}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	@Test
	void aLoginThatFailsGivesTheLeaseBack() {
		this.a.manager.start();
		advance(Duration.ofSeconds(1));
		CompletableFuture<CometChatClient> login = this.a.manager.login("alice", "wrong");
		advance(Duration.ofMillis(10));
		this.a.transport.last().rejected();
		advance(Duration.ofMillis(10));
		assertThat(errorCode(login)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(this.a.keeper.held()).isEmpty();
		assertThat(this.leases.holderOf("alice")).isNull();
	}

	/**
	 * One replica: a manager with its own transport and keeper.
	 */
	private final class Replica {

		final ScriptedTransport transport = new ScriptedTransport();

		final DefaultCometChatConnectionManager manager;

		final LeaseKeeper keeper;

		boolean databaseDown;

		boolean keeperPaused;

		private final List<Runnable> deferred = new ArrayList<>();

		private final List<ScriptedTransport.Connection> answered = new ArrayList<>();

		Replica(String name) {
			CometChatClientBuilder builder = CometChatClient.builder()
				.appId("app")
				.transport(this.transport)
				.scheduler(ConnectionManagerLeasesTests.this.time)
				.executor(Runnable::run)
				.ioExecutor(Runnable::run)
				.storeExecutor(Runnable::run)
				.callbackExecutor(Runnable::run)
				.reconnectBackOff(new FixedBackOff(1000))
				.sessionStore(ConnectionManagerLeasesTests.this.sessions);
			this.manager = new DefaultCometChatConnectionManager(builder, null, 64, () -> new CometChatClientObserver() {
			});
			this.keeper = new LeaseKeeper(new Reached(), "app", name, LEASES, new GatedScheduler(ConnectionManagerLeasesTests.this.time, this::run),
					this::run, () -> Duration.between(ConnectionManagerLeasesTests.this.start,
							ConnectionManagerLeasesTests.this.time.now()).toNanos(),
					this.manager.leaseListener());
			this.manager.useLeases(this.keeper);
		}

		void resume() {
			this.keeperPaused = false;
			List<Runnable> tasks = List.copyOf(this.deferred);
			this.deferred.clear();
			tasks.forEach(Runnable::run);
		}

		private void run(Runnable task) {
			if (this.keeperPaused) {
				this.deferred.add(task);
				return;
			}
			task.run();
		}

		/**
		 * The broker accepts every connection of this replica that is open.
		 */
		void answer() {
			for (ScriptedTransport.Connection connection : List.copyOf(this.transport.connections())) {
				if (!this.answered.contains(connection) && !connection.isClosed()) {
					this.answered.add(connection);
					if (!connection.credentials().authToken().equals("wrong")) {
						connection.connected();
					}
				}
			}
		}

		List<String> connectedUids() {
			return this.manager.getClients()
				.stream()
				.filter((client) -> client.getConnectionState() == ConnectionState.CONNECTED)
				.map((client) -> client.getLoggedInUser().orElseThrow().uid())
				.sorted()
				.toList();
		}

		/**
		 * The lease store as this replica reaches it; the saved sessions are what the session store holds.
		 */
		private final class Reached implements LeaseStore {

			private InMemoryLeaseStore db() {
				if (Replica.this.databaseDown) {
					throw new IllegalStateException("Connection refused");
				}
				return ConnectionManagerLeasesTests.this.leases;
			}

			@Override
			public void register(String appId, String replicaId, String host, Duration ttl) {
				db().register(appId, replicaId, host, ttl);
			}

			@Override
			public boolean renew(String replicaId, Duration ttl) {
				return db().renew(replicaId, ttl);
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
				InMemoryLeaseStore db = db();
				db.sessions.clear();
				ConnectionManagerLeasesTests.this.sessions.loadAll(appId)
					.stream()
					.filter((session) -> !session.primary())
					.forEach((session) -> db.sessions.add(session.uid()));
				db.synchronize(appId);
			}

			@Override
			public void remove(String appId, String uid) {
				db().remove(appId, uid);
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
				return db().held(appId, replicaId);
			}

			@Override
			public boolean release(String appId, String replicaId, Lease lease) {
				return db().release(appId, replicaId, lease);
			}

			@Override
			public String holderOf(String appId, String uid) {
				return db().holderOf(appId, uid);
			}

		}

	}

}
