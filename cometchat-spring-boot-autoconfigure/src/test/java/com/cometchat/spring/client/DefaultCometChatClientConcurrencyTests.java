package com.cometchat.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.SerialExecutor;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.client.transport.TransportConnection;
import com.cometchat.spring.client.transport.TransportListener;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.StoredSession;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.CTestStructure;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.RandomExecutionGenerator;
import org.jetbrains.lincheck.datastructures.CTestConfiguration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.RandomProvider;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The client driven from several threads at once, checked against a sequential model ({@link ClientModel}) with
 * JetBrains Lincheck: Lincheck generates random scenarios of {@code login}, {@code logout}, {@code connect},
 * {@code disconnect}, {@code joinGroup}, {@code leaveGroup} and {@code sendMessage} calls on three threads, runs
 * each many times on real thread pools (the loop, I/O and callback executors of the client), and
 * {@link ClientModelVerifier} looks for an order of the calls that explains what every call reported (a send: as
 * which user the broker got it, whichever way it went: through the loop or the fast lane, written by its caller or by
 * the connection's writer on the I/O pool) and what the client shows when it is quiet: the user, the saved row, the
 * wanted subscriptions, the joined groups and the socket. The transport accepts every connection and the session
 * store answers every call, each after a random delay, so that the steps of concurrent calls interleave differently
 * from run to run; the connections write through a {@link SerialExecutor} as the real transport does,
 * so a caller on the fast lane writes its frame itself when no other thread is writing.
 */
class DefaultCometChatClientConcurrencyTests {

	@Test
	void everyInterleavingOfPublicCallsEndsInTheStateOfTheLastCall() {
		new StressOptions().iterations(60)
			.invocationsPerIteration(150)
			.threads(3)
			.actorsPerThread(3)
			.actorsBefore(1)
			.actorsAfter(0)
			.executionGenerator(FinalViewsExecutionGenerator.class)
			.verifier(ClientModelVerifier.class)
			.check(Subject.class);
	}

	/**
	 * The client under test, made afresh for each run of a scenario; the thread pools are shared by all runs.
	 */
	@Param(name = "user", gen = IntGen.class, conf = "0:2")
	@Param(name = "group", gen = IntGen.class, conf = "0:1")
	public static class Subject {

		private static final Executor LOOP = pool("model-loop-", 2);

		private static final Executor IO = pool("model-io-", 4);

		private static final Executor BROKER = pool("model-broker-", 2);

		private static final Executor CALLBACKS = CometChatResources.builder().build().getCallbackExecutor();

		private static final ThreadPoolTaskScheduler SCHEDULER = scheduler();

		private final AcceptingTransport transport = new AcceptingTransport();

		private final JitteryStore store = new JitteryStore();

		private final DefaultCometChatClient client = CometChatClient.builder()
			.appId("app")
			.transport(this.transport)
			.scheduler(SCHEDULER)
			.executor(LOOP)
			.ioExecutor(IO)
			.callbackExecutor(CALLBACKS)
			.sessionStore(this.store)
			.build();

		@Operation
		public String login(@Param(name = "user") int user) {
			return outcome(this.client.login(ClientModel.CREDENTIALS[user][0], ClientModel.CREDENTIALS[user][1]));
		}

		@Operation
		public String logout() {
			return outcome(this.client.logout());
		}

		@Operation
		public String connect() {
			return outcome(this.client.connect());
		}

		@Operation
		public String disconnect() {
			return outcome(this.client.disconnect());
		}

		/**
		 * A message to another user; when confirmed, the outcome names the sender the broker got.
		 * @return the outcome
		 */
		@Operation
		public String sendMessage() {
			return outcome(this.client.sendMessage(OutgoingMessage.text(ReceiverType.USER, "carol", "hi"))
				.thenApply((sent) -> this.transport.senders.get(sent.id())));
		}

		@Operation
		public String joinGroup(@Param(name = "group") int group) {
			return outcome(this.client.joinGroup(ClientModel.GROUPS[group]));
		}

		@Operation
		public String leaveGroup(@Param(name = "group") int group) {
			return outcome(this.client.leaveGroup(ClientModel.GROUPS[group]));
		}

		/**
		 * What the client shows once every call returned, in the form of {@link ClientModel#render()}; only ever the
		 * last call of a scenario.
		 * @return the views
		 */
		public String views() {
			try {
				// One more turn of the loop, so that what the last calls handed to it has run
				this.client.getSubscriptions().get(10, TimeUnit.SECONDS);
				String user = this.client.getLoggedInUser().map(CometChatUser::uid).orElse(null);
				StoredSession row = this.store.load("app").orElse(null);
				Set<String> subscriptions = this.client.getSubscriptions().get(10, TimeUnit.SECONDS).keySet();
				int open = this.transport.open.size();
				ConnectionState state = this.client.getConnectionState();
				String socket = (state == ConnectionState.CONNECTED && open == 1) ? "open"
						: (state != ConnectionState.CONNECTED && open == 0) ? "closed"
								: "BROKEN(" + state + ", " + open + " open)";
				return ClientModel.render(user,
						(row != null) ? row.uid() + "/" + row.authToken() + new TreeSet<>(row.groups()) : null,
						subscriptions, this.client.getJoinedGroups(), socket);
			}
			catch (Exception ex) {
				return "FAILED: " + ex;
			}
			finally {
				this.client.close();
			}
		}

		private static String outcome(CompletableFuture<?> call) {
			try {
				Object value = call.get(10, TimeUnit.SECONDS);
				return (value instanceof String sender) ? ClientModel.OK + " as " + sender : ClientModel.OK;
			}
			catch (TimeoutException ex) {
				return "TIMEOUT";
			}
			catch (Exception ex) {
				Throwable cause = Failures.unwrap(ex);
				return (cause instanceof CometChatException error) ? error.getCode().name() : String.valueOf(cause);
			}
		}

		private static Executor pool(String prefix, int threads) {
			ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
			pool.setThreadNamePrefix(prefix);
			pool.setCorePoolSize(threads);
			pool.setMaxPoolSize(threads);
			pool.setDaemon(true);
			pool.initialize();
			return pool;
		}

		private static ThreadPoolTaskScheduler scheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("model-scheduler-");
			scheduler.setDaemon(true);
			scheduler.initialize();
			return scheduler;
		}

		/**
		 * Waits a random moment of up to 200 µs: not to time anything, but so that the steps of concurrent calls
		 * interleave differently from run to run.
		 */
		static void jitter() {
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
		}

		/**
		 * A broker that accepts every connection, a moment later, on another thread.
		 */
		static final class AcceptingTransport implements Transport {

			private static final Pattern SENDER = Pattern.compile("\"sender\":\"([^\"]+)\"");

			final Set<TransportConnection> open = ConcurrentHashMap.newKeySet();

			/** The sender written in each chat message, by message id. */
			final Map<String, String> senders = new ConcurrentHashMap<>();

			@Override
			public TransportConnection open(Credentials credentials, TransportListener listener) {
				TransportConnection connection = new TransportConnection() {

					@Override
					public void subscribe(String subscriptionId, String destination, Map<String, String> headers) {
					}

					@Override
					public void unsubscribe(String subscriptionId, Map<String, String> headers) {
					}

					/** Writes in order, on the I/O pool or on a caller that claimed the turn, as the real one. */
					private final SerialExecutor writer = new SerialExecutor(IO);

					@Override
					public CompletableFuture<Void> send(String destination, Map<String, String> headers,
							byte[] payload, @Nullable String receiptId) {
						CompletableFuture<Void> written = new CompletableFuture<>();
						this.writer.execute(() -> {
							Matcher sender = SENDER.matcher(new String(payload, StandardCharsets.UTF_8));
							String id = headers.get(OutboundMessage.MESSAGE_ID_HEADER);
							if (id != null && sender.find()) {
								AcceptingTransport.this.senders.put(id, sender.group(1));
							}
							written.complete(null);
						});
						return written;
					}

					@Override
					public <T> T writeOnCallingThread(Supplier<T> work) {
						if (!this.writer.claimTurn()) {
							return work.get();
						}
						try {
							return work.get();
						}
						finally {
							this.writer.runClaimedTurn();
						}
					}

					@Override
					public CompletableFuture<Void> close() {
						return CompletableFuture.runAsync(() -> {
							jitter();
							AcceptingTransport.this.open.remove(this);
						}, BROKER);
					}

					@Override
					public CompletableFuture<Void> abort() {
						return close();
					}

				};
				this.open.add(connection);
				BROKER.execute(() -> {
					jitter();
					listener.onConnected();
				});
				return connection;
			}

		}

		/**
		 * A session store whose every call takes a random moment.
		 */
		static final class JitteryStore extends InMemorySessionStore {

			@Override
			public java.util.Optional<StoredSession> load(String appId) {
				jitter();
				return super.load(appId);
			}

			@Override
			public void save(StoredSession session) {
				jitter();
				super.save(session);
			}

			@Override
			public void delete(String appId) {
				jitter();
				super.delete(appId);
			}

		}

	}

	/**
	 * Lincheck's random scenarios, each ending with a call of {@link Subject#views()} once every other call returned.
	 */
	public static final class FinalViewsExecutionGenerator extends RandomExecutionGenerator {

		public FinalViewsExecutionGenerator(CTestConfiguration configuration, CTestStructure structure,
				RandomProvider random) {
			super(configuration, structure, random);
		}

		@Override
		public ExecutionScenario nextExecution() {
			ExecutionScenario scenario = super.nextExecution();
			List<Actor> post = new ArrayList<>(scenario.getPostExecution());
			post.add(views());
			return new ExecutionScenario(scenario.getInitExecution(), scenario.getParallelExecution(), post,
					scenario.getValidationFunction());
		}

		static Actor views() {
			try {
				return new Actor(Subject.class.getMethod("views"), List.of(), false, false, false, false, false);
			}
			catch (NoSuchMethodException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
