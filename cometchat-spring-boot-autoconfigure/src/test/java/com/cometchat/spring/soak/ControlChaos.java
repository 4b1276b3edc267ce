package com.cometchat.spring.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.Destinations;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.StoredSession;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Client C under random control: batches of {@code login} (as one of two users, so a login may switch users),
 * {@code logout}, {@code connect}, {@code disconnect} and {@code joinGroup} calls from four threads, each batch
 * followed by a checkpoint at which C's views of itself must agree.
 * <p>
 * <b>A batch</b> is {@value #ROUNDS} rounds of four calls; the four calls of a round are due at the same instant on a
 * scheduler with four threads, so they race, and the rounds are 0 to 300 ms apart, so calls also land while earlier
 * ones are still in flight (a login waits for its socket). The calls and their arguments come from the soak's seed;
 * how they interleave does not.
 * <p>
 * <b>A checkpoint</b> comes when every call of the batch has returned its future and every future has completed (a
 * future still open after {@value #CALL_TIMEOUT_SECONDS} s is counted as stuck and left out), and it holds the fault
 * gate: no fault is being injected or recovered from while it looks. <b>C is in a split state at a checkpoint</b> if,
 * within {@value #SETTLE_SECONDS} s, there is no moment at which all of these hold:
 * <ol>
 * <li><b>user</b>: {@code getLoggedInUser()} and the row of the session store name the same uid, or there is neither;
 * <li><b>groups</b>: {@code getJoinedGroups()} equals the row's groups (none without a row);
 * <li><b>subscriptions</b>: the destinations of {@code getSubscriptions()} are exactly the logged-in user's inbox and
 * the topics of the row's groups, and none without a user;
 * <li><b>socket state</b>: {@code getConnectionState()} is {@code CONNECTED} if and only if a user is logged in and
 * the last control call wanted the socket open; otherwise {@code DISCONNECTED}, {@code INITIALIZED} or
 * {@code FAILED}, never {@code CONNECTING} or {@code RECONNECTING} (no fault is active, so a wanted socket opens in
 * far less than the settle time);
 * <li><b>the socket itself</b>: C has one socket in the OS and one connection at the broker, of the logged-in user,
 * when {@code CONNECTED}, and none otherwise ({@link SocketCounts}).
 * </ol>
 * <b>The last control call.</b> Control calls are {@code login}, {@code logout}, {@code connect} and
 * {@code disconnect}, except a login that failed with {@code LOGIN_IN_PROGRESS} and a connect that failed with
 * {@code USER_NOT_LOGGED_IN} (they changed nothing). Each call is
 * placed by two numbers of one counter, taken just before it is invoked and just after it returns its future: the
 * calls only hand work to the client, which applies it in the order it was handed over, so a call that returned
 * before another was invoked came first. The last control call is then any control call that returned after the
 * last-invoked one was invoked (calls that overlap may each be the last), and the socket state passes if one of them
 * explains it: a login that succeeded wants the socket open (auto mode), or leaves it as it was if that user may
 * have been logged in already (the same uid completes at once, without a socket); a failed login leaves no user; a
 * connect wants it open; a disconnect or logout wants it closed. A batch without control calls keeps what the
 * previous checkpoint saw.
 */
final class ControlChaos implements AutoCloseable {

	static final int THREADS = 4;

	static final int ROUNDS = 5;

	static final int CALL_TIMEOUT_SECONDS = 60;

	static final int SETTLE_SECONDS = 5;

	private static final int MAX_ROUND_GAP_MILLIS = 300;

	private final DefaultCometChatClient client;

	private final SessionStore store;

	private final String appId;

	private final Map<String, String> tokens;

	private final List<String> uids;

	private final List<String> groups;

	private final Random random;

	private final Semaphore faultGate;

	private final SocketCounts sockets;

	private final SoakLog log;

	private final ScheduledThreadPoolExecutor callers;

	private final ExecutorService driver = Executors.newSingleThreadExecutor(SoakThreads.named("soak-c-driver"));

	private final AtomicLong order = new AtomicLong();

	private final AtomicInteger checkpoints = new AtomicInteger();

	private final AtomicInteger splitStates = new AtomicInteger();

	private final AtomicInteger stuckCalls = new AtomicInteger();

	private final AtomicInteger calls = new AtomicInteger();

	private final Map<String, Integer> outcomes = Collections.synchronizedMap(new TreeMap<>());

	private volatile boolean stopping;

	private Future<?> running = CompletableFuture.completedFuture(null);

	/** Confined to the driver: whether the socket was open at the last checkpoint, and who was logged in. */
	private boolean openBefore;

	private Optional<String> userBefore = Optional.empty();

	/**
	 * Prepare the chaos; nothing is called before {@link #start()}.
	 * @param client client C, logged in
	 * @param store C's session store
	 * @param tokens C's two users, uid to token
	 * @param seed the seed of the calls and their arguments
	 * @param faultGate taken by a checkpoint, so that no fault is active while it looks
	 * @param sockets the socket counts
	 * @param log the soak's log
	 */
	ControlChaos(DefaultCometChatClient client, SessionStore store, Map<String, String> tokens, long seed,
			Semaphore faultGate, SocketCounts sockets, SoakLog log) {
		this.client = client;
		this.store = store;
		this.appId = client.getAppId();
		this.tokens = Map.copyOf(tokens);
		this.uids = List.copyOf(new TreeSet<>(tokens.keySet()));
		this.groups = List.of("soak-g1", "soak-g2", "soak-g3");
		this.random = new Random(seed);
		this.faultGate = faultGate;
		this.sockets = sockets;
		this.log = log;
		this.callers = new ScheduledThreadPoolExecutor(THREADS, SoakThreads.named("soak-c-caller"));
		this.callers.prestartAllCoreThreads();
	}

	/**
	 * Start the batches, one after another, until {@link #stop()}.
	 */
	void start() {
		this.openBefore = this.client.getConnectionState() == ConnectionState.CONNECTED;
		this.userBefore = this.client.getLoggedInUser().map(CometChatUser::uid);
		this.running = this.driver.submit(() -> {
			while (!this.stopping) {
				batch();
			}
		});
	}

	/**
	 * Let the batch in progress and its checkpoint finish, and stop.
	 * @param timeout how long to wait
	 */
	void stop(Duration timeout) {
		this.stopping = true;
		try {
			this.running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			this.log.write("c: the last batch did not end cleanly: " + ex);
		}
	}

	@Override
	public void close() {
		this.stopping = true;
		SoakThreads.stop(this.driver, this.callers);
	}

	int checkpoints() {
		return this.checkpoints.get();
	}

	int splitStates() {
		return this.splitStates.get();
	}

	int stuckCalls() {
		return this.stuckCalls.get();
	}

	int calls() {
		return this.calls.get();
	}

	/**
	 * Return how the calls ended, by operation and outcome ({@code login:ok}, {@code connect:DISCONNECTED}, ...).
	 * @return the counts
	 */
	Map<String, Integer> outcomes() {
		synchronized (this.outcomes) {
			return new TreeMap<>(this.outcomes);
		}
	}

	private void batch() {
		List<Call> made = Collections.synchronizedList(new ArrayList<>());
		List<ScheduledFuture<?>> scheduled = new ArrayList<>();
		long offset = 0;
		for (int round = 0; round < ROUNDS; round++) {
			offset += this.random.nextInt(MAX_ROUND_GAP_MILLIS + 1);
			for (int thread = 0; thread < THREADS; thread++) {
				Operation operation = Operation.pick(this.random);
				String argument = switch (operation) {
					case LOGIN -> this.uids.get(this.random.nextInt(this.uids.size()));
					case JOIN_GROUP -> this.groups.get(this.random.nextInt(this.groups.size()));
					default -> "";
				};
				scheduled.add(this.callers.schedule(() -> made.add(invoke(operation, argument)), offset,
						TimeUnit.MILLISECONDS));
			}
		}
		try {
			ChaosSoak.waiting(Duration.ofSeconds(CALL_TIMEOUT_SECONDS))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> scheduled.stream().allMatch(Future::isDone)
						&& snapshot(made).stream().allMatch((call) -> call.future().isDone()));
		}
		catch (ConditionTimeoutException ex) {
			List<Call> stuck = snapshot(made).stream().filter((call) -> !call.future().isDone()).toList();
			this.stuckCalls.addAndGet(stuck.size());
			this.log.write("c: " + stuck.size() + " calls did not complete within " + CALL_TIMEOUT_SECONDS + " s: "
					+ stuck);
		}
		if (this.stopping && this.callers.isShutdown()) {
			return;
		}
		List<Call> done = snapshot(made).stream().filter((call) -> call.future().isDone()).toList();
		done.forEach((call) -> this.outcomes.merge(call.operation().label() + ":" + outcome(call), 1, Integer::sum));
		this.calls.addAndGet(done.size());
		checkpoint(done);
	}

	private Call invoke(Operation operation, String argument) {
		long before = this.order.incrementAndGet();
		CompletableFuture<?> future;
		try {
			future = switch (operation) {
				case LOGIN -> this.client.login(argument, this.tokens.get(argument));
				case LOGOUT -> this.client.logout();
				case CONNECT -> this.client.connect();
				case DISCONNECT -> this.client.disconnect();
				case JOIN_GROUP -> this.client.joinGroup(argument);
			};
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		long after = this.order.incrementAndGet();
		return new Call(operation, argument, before, after, future);
	}

	private void checkpoint(List<Call> calls) {
		this.faultGate.acquireUninterruptibly();
		try {
			List<Call> last = lastControlCalls(calls);
			Set<Boolean> wanted = wantedOpen(calls, last);
			List<List<String>> found = new ArrayList<>(List.of(List.of()));
			boolean agreed;
			try {
				ChaosSoak.waiting(Duration.ofSeconds(SETTLE_SECONDS)).pollInterval(Duration.ofMillis(50)).until(() -> {
					found.set(0, disagreements(wanted));
					return found.get(0).isEmpty();
				});
				agreed = true;
			}
			catch (ConditionTimeoutException ex) {
				agreed = false;
			}
			int checkpoint = this.checkpoints.incrementAndGet();
			if (!agreed) {
				this.splitStates.incrementAndGet();
				this.log.write("c: split state at checkpoint " + checkpoint + ": " + String.join("; ", found.get(0))
						+ "; last control call " + (last.isEmpty() ? "none in the batch" : last) + "; calls in order: "
						+ calls.stream().sorted().map(Call::toString).collect(Collectors.joining(", ")));
			}
			this.openBefore = this.client.getConnectionState() == ConnectionState.CONNECTED;
			this.userBefore = this.client.getLoggedInUser().map(CometChatUser::uid);
		}
		finally {
			this.faultGate.release();
		}
	}

	/**
	 * The control calls of a batch that may have been applied last: those that returned after the last-invoked one
	 * was invoked.
	 */
	private static List<Call> lastControlCalls(List<Call> calls) {
		List<Call> control = calls.stream().filter(Call::isControl).toList();
		long lastInvoked = control.stream().mapToLong(Call::before).max().orElse(Long.MAX_VALUE);
		return control.stream().filter((call) -> call.after() > lastInvoked).sorted().toList();
	}

	/**
	 * What the last control call of a batch may have wanted: {@code true} for an open socket.
	 */
	private Set<Boolean> wantedOpen(List<Call> calls, List<Call> last) {
		if (last.isEmpty()) {
			return Set.of(this.openBefore);
		}
		Set<String> loggedIn = new HashSet<>();
		this.userBefore.ifPresent(loggedIn::add);
		calls.stream()
			.filter((call) -> call.operation() == Operation.LOGIN && call.succeeded())
			.forEach((call) -> loggedIn.add(call.argument()));
		Set<Boolean> wanted = new HashSet<>();
		for (Call call : last) {
			switch (call.operation()) {
				case LOGIN -> {
					wanted.add(call.succeeded());
					if (call.succeeded() && loggedIn.contains(call.argument())) {
						// Perhaps the same user again: done at once, the socket left as it was
						wanted.add(false);
					}
				}
				case CONNECT -> wanted.add(true);
				default -> wanted.add(false);
			}
		}
		return wanted;
	}

	/**
	 * Where C's views disagree now; empty if they agree.
	 */
	private List<String> disagreements(Set<Boolean> wantedOpen) {
		List<String> found = new ArrayList<>();
		try {
			Optional<String> user = this.client.getLoggedInUser().map(CometChatUser::uid);
			Optional<StoredSession> row = this.store.load(this.appId);
			String rowUid = row.map(StoredSession::uid).orElse(null);
			if (!Objects.equals(user.orElse(null), rowUid)) {
				found.add("user " + user.orElse("none") + " but the saved row " + Objects.toString(rowUid, "none"));
			}
			Set<String> rowGroups = row.map(StoredSession::groups).orElse(Set.of());
			if (!new TreeSet<>(this.client.getJoinedGroups()).equals(rowGroups)) {
				found.add("joined groups " + new TreeSet<>(this.client.getJoinedGroups()) + " but the row's "
						+ rowGroups);
			}
			Set<String> subscriptions = new TreeSet<>(
					this.client.getSubscriptions().get(5, TimeUnit.SECONDS).values());
			Set<String> expected = new TreeSet<>();
			user.ifPresent((uid) -> {
				expected.add(inbox(uid));
				rowGroups.forEach((guid) -> expected.add(groupTopic(guid)));
			});
			if (!subscriptions.equals(expected)) {
				found.add("subscriptions " + subscriptions + " but wanted " + expected);
			}
			ConnectionState state = this.client.getConnectionState();
			boolean connected = state == ConnectionState.CONNECTED;
			if (state == ConnectionState.CONNECTING || state == ConnectionState.RECONNECTING) {
				found.add("socket " + state + ", not settled");
			}
			else if (connected && user.isEmpty()) {
				found.add("socket CONNECTED without a user");
			}
			else if (user.isPresent() && !wantedOpen.contains(connected)) {
				found.add("socket " + state + " as " + user.get() + " but the last control call wanted it "
						+ describe(wantedOpen));
			}
			int os = this.sockets.os(ClientRole.C);
			List<String> atBroker = this.sockets.brokerConnections(ClientRole.C);
			int expectedSockets = connected ? 1 : 0;
			if (os != expectedSockets) {
				found.add(os + " sockets in the OS while " + state);
			}
			if (atBroker.size() != expectedSockets || (connected && !atBroker.equals(List.of(user.orElse(""))))) {
				found.add("connections at the broker of " + atBroker + " while " + state + " as "
						+ user.orElse("nobody"));
			}
		}
		catch (Exception ex) {
			found.add("views could not be read: " + ex);
		}
		return found;
	}

	private String inbox(String uid) {
		return Destinations.DEFAULT.user().replace("{appId}", this.appId).replace("{uid}", uid);
	}

	private String groupTopic(String guid) {
		return Destinations.DEFAULT.group().replace("{appId}", this.appId).replace("{guid}", guid);
	}

	private static String describe(Set<Boolean> wantedOpen) {
		return (wantedOpen.size() > 1) ? "open or closed" : wantedOpen.contains(true) ? "open" : "closed";
	}

	private static List<Call> snapshot(List<Call> calls) {
		synchronized (calls) {
			return List.copyOf(calls);
		}
	}

	private static String outcome(Call call) {
		ErrorCode code = call.errorCode();
		return (code != null) ? code.name() : call.future().isCompletedExceptionally() ? "other-failure" : "ok";
	}

	/**
	 * The calls C gets, with their weights out of 100.
	 */
	private enum Operation {

		LOGIN("login", 30), LOGOUT("logout", 10), CONNECT("connect", 20), DISCONNECT("disconnect", 20),
		JOIN_GROUP("joinGroup", 20);

		private final String label;

		private final int weight;

		Operation(String label, int weight) {
			this.label = label;
			this.weight = weight;
		}

		String label() {
			return this.label;
		}

		static Operation pick(Random random) {
			int ticket = random.nextInt(100);
			for (Operation operation : values()) {
				ticket -= operation.weight;
				if (ticket < 0) {
					return operation;
				}
			}
			throw new IllegalStateException("Weights do not add up to 100");
		}

	}

	/**
	 * A call C got: what, with which argument, its place in the order, and its future.
	 */
	private record Call(Operation operation, String argument, long before, long after,
			CompletableFuture<?> future) implements Comparable<Call> {

		boolean succeeded() {
			return this.future.isDone() && !this.future.isCompletedExceptionally();
		}

		/**
		 * Whether the call is a control call that may have changed something.
		 */
		boolean isControl() {
			ErrorCode code = errorCode();
			return this.operation != Operation.JOIN_GROUP && code != ErrorCode.LOGIN_IN_PROGRESS
					&& !(this.operation == Operation.CONNECT && code == ErrorCode.USER_NOT_LOGGED_IN);
		}

		ErrorCode errorCode() {
			if (!this.future.isCompletedExceptionally()) {
				return null;
			}
			try {
				this.future.join();
				return null;
			}
			catch (CompletionException ex) {
				return (ex.getCause() instanceof CometChatException failure) ? failure.getCode() : null;
			}
		}

		@Override
		public int compareTo(Call other) {
			return Long.compare(this.before, other.before);
		}

		@Override
		public String toString() {
			String outcome = !this.future.isDone() ? "pending"
					: this.future.isCompletedExceptionally() ? String.valueOf(errorCode()) : "ok";
			return this.operation.label() + (this.argument.isEmpty() ? "" : "(" + this.argument + ")") + "["
					+ this.before + ".." + this.after + "]=" + outcome;
		}

	}

}
