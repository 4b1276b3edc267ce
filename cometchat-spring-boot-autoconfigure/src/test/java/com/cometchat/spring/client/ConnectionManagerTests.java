package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.SerialExecutor;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.test.ScriptedTransport;
import com.cometchat.spring.test.StateRecorder;
import com.cometchat.spring.test.VirtualScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import static com.cometchat.spring.client.ConnectionState.CONNECTED;
import static com.cometchat.spring.client.ConnectionState.CONNECTING;
import static com.cometchat.spring.client.ConnectionState.DISCONNECTED;
import static com.cometchat.spring.client.ConnectionState.FAILED;
import static com.cometchat.spring.client.ConnectionState.RECONNECTING;
import static com.cometchat.spring.test.Futures.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionManager}, in virtual time with a scripted transport. Each test asserts the whole
 * sequence of state changes; the recorder also fails on a repeated state or a broken chain.
 */
class ConnectionManagerTests {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Credentials CREDENTIALS = new Credentials("bot-1", "secret-token");

	private final VirtualScheduler scheduler = new VirtualScheduler();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final StateRecorder recorder = new StateRecorder();

	private final SerialExecutor loop = new SerialExecutor(Runnable::run);

	private ConnectionManager manager = createManager(exponential(0));

	private ConnectionManager createManager(BackOff backOff) {
		return createManager(this.transport, backOff);
	}

	private ConnectionManager createManager(Transport transport, BackOff backOff) {
		return new ConnectionManager(transport, this.loop, this.scheduler, backOff, CONNECT_TIMEOUT,
				this.recorder, (epoch, id, headers, payload) -> true, 1000, true, (pending) -> {
				});
	}

	private static ExponentialBackOff exponential(long jitter) {
		ExponentialBackOff backOff = new ExponentialBackOff(1000, 2.0);
		backOff.setMaxInterval(8000);
		backOff.setJitter(jitter);
		return backOff;
	}

	private CompletableFuture<Void> connect() {
		CompletableFuture<Void> result = new CompletableFuture<>();
		this.loop.execute(() -> this.manager.connect(CREDENTIALS, false, 1).whenComplete((done, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(null);
			}
		}));
		return result;
	}

	private void disconnect() {
		this.loop.execute(this.manager::disconnect);
	}

	/** The delay announced by the last change to {@code RECONNECTING}. */
	private Duration lastRetryIn() {
		return this.recorder.changes()
			.stream()
			.filter((change) -> change.current() == RECONNECTING)
			.reduce((first, second) -> second)
			.orElseThrow()
			.retryIn();
	}

	private ConnectionStateChange connectAndDrop() {
		connect();
		this.transport.last().connected();
		this.transport.last().dropped();
		return this.recorder.changes().get(2);
	}

	@Test
	void startsInitializedWithNoConnection() {
		assertThat(this.manager.snapshot().state()).isEqualTo(ConnectionState.INITIALIZED);
		assertThat(this.transport.opened()).isZero();
		assertThat(this.recorder.changes()).isEmpty();
	}

	@Test
	void connectGoesConnectingThenConnected() {
		CompletableFuture<Void> connected = connect();
		assertThat(this.recorder.states()).containsExactly(CONNECTING);
		assertThat(connected).isNotDone();
		this.transport.last().connected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED);
		assertThat(connected).isCompleted();
		assertThat(this.manager.snapshot().state()).isEqualTo(CONNECTED);
		assertThat(this.transport.last().credentials()).isEqualTo(CREDENTIALS);
		assertThat(this.scheduler.pendingTasks()).as("connect timeout cancelled, stability timer set").isOne();
		this.scheduler.advance(CONNECT_TIMEOUT);
		assertThat(this.scheduler.pendingTasks()).isZero();
	}

	@Test
	void reconnectsImmediatelyAfterDropFromConnected() {
		ConnectionStateChange drop = connectAndDrop();
		assertThat(drop.current()).isEqualTo(RECONNECTING);
		assertThat(drop.retryIn()).isEqualTo(Duration.ZERO);
		assertThat(drop.attempt()).isEqualTo(1);
		assertThat(drop.reason().getCode()).isEqualTo(ErrorCode.CONNECTION_LOST);
		assertThat(this.transport.opened()).as("retried without waiting").isEqualTo(2);
		assertThat(this.transport.connections().get(0).isClosed()).isTrue();
		this.transport.last().connected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING, CONNECTED);
	}

	@Test
	void backsOffExponentiallyUpToTheMaximumAfterFailedAttempts() {
		connectAndDrop();
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			this.transport.last().fail(ErrorCode.CONNECT_FAILED);
			ConnectionStateChange waiting = this.recorder.last();
			assertThat(waiting.current()).isEqualTo(RECONNECTING);
			assertThat(waiting.attempt()).isEqualTo(i + 2);
			delays.add(waiting.retryIn());
			int opened = this.transport.opened();
			this.scheduler.advance(waiting.retryIn().minusMillis(1));
			assertThat(this.transport.opened()).as("no attempt before the delay").isEqualTo(opened);
			this.scheduler.advance(Duration.ofMillis(1));
			assertThat(this.transport.opened()).as("attempt when the delay is over").isEqualTo(opened + 1);
		}
		assertThat(delays).extracting(Duration::toMillis).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L, 8000L);
	}

	@Test
	void backOffResetsAfterSuccess() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(2));
		this.scheduler.advance(Duration.ofSeconds(2));
		this.transport.last().connected();
		assertThat(this.manager.snapshot().attempt()).as("until the connection proves stable").isEqualTo(3);
		this.scheduler.advance(CONNECT_TIMEOUT);
		assertThat(this.manager.snapshot().attempt()).isZero();
		assertThat(this.manager.snapshot().lastError()).isNull();
		this.transport.last().dropped();
		assertThat(this.recorder.last().attempt()).as("immediate retry again").isEqualTo(1);
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.recorder.last().attempt()).isEqualTo(2);
	}

	@Test
	void aConnectionTheBrokerServedIsHealthyAfterOneSecondAndTheNextCutIsRetriedAtOnce() {
		connect();
		for (int cut = 0; cut < 5; cut++) {
			this.transport.last().connected();
			this.loop.execute(() -> this.manager.subscribe("inbox", "/queue/bot-1", java.util.Map.of()));
			this.transport.last().deliver("inbox", new byte[0]);
			assertThat(this.manager.snapshot().attempt()).as("not healthy before a second").isEqualTo(cut == 0 ? 0 : 1);
			this.scheduler.advance(Duration.ofMillis(999));
			assertThat(this.manager.snapshot().attempt()).isEqualTo(cut == 0 ? 0 : 1);
			this.scheduler.advance(Duration.ofMillis(1));
			assertThat(this.manager.snapshot().attempt()).as("served and up for a second: healthy").isZero();
			this.scheduler.advance(Duration.ofSeconds(2));
			this.transport.last().dropped();
			assertThat(lastRetryIn()).as("cut " + cut + " is retried at once").isEqualTo(Duration.ZERO);
		}
		assertThat(this.transport.opened()).isEqualTo(6);
	}

	@Test
	void aReceiptServesTheConnectionToo() {
		connect();
		this.transport.last().connected();
		this.transport.last().dropped();
		this.transport.last().connected();
		CompletableFuture<Void> sent = new CompletableFuture<>();
		this.loop.execute(() -> this.manager.send(OutboundMessage.json("m-1", "/queue/x", new byte[0], false))
			.whenComplete((done, failure) -> sent.complete(null)));
		this.scheduler.advance(Duration.ofMillis(1500));
		assertThat(this.manager.snapshot().attempt()).as("up for 1.5 s, nothing served yet").isOne();
		this.transport.last().sends().get(0).receipt();
		assertThat(sent).isDone();
		assertThat(this.manager.snapshot().attempt()).as("the receipt makes it healthy").isZero();
		this.transport.last().dropped();
		assertThat(lastRetryIn()).isEqualTo(Duration.ZERO);
	}

	@Test
	void aConnectionNothingServedStaysOnTheBackOffUntilTheConnectTimeout() {
		connect();
		this.transport.last().connected();
		this.transport.last().dropped();
		this.transport.last().connected();
		this.scheduler.advance(Duration.ofSeconds(9));
		assertThat(this.manager.snapshot().attempt()).isOne();
		this.transport.last().dropped();
		assertThat(lastRetryIn()).as("the immediate retry was used").isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aConnectionTheBrokerServedThatDropsWithinASecondIsRetriedAfterTheFirstStepOfTheBackOff() {
		connect();
		List<Duration> delays = new ArrayList<>();
		this.loop.execute(() -> this.manager.subscribe("inbox", "/queue/bot-1", java.util.Map.of()));
		for (int i = 0; i < 5; i++) {
			this.transport.last().connected();
			this.transport.last().deliver("inbox", new byte[0]);
			this.scheduler.advance(Duration.ofMillis(900));
			this.transport.last().fail(ErrorCode.SERVER_ERROR);
			delays.add(lastRetryIn());
			this.scheduler.advance(lastRetryIn());
		}
		assertThat(delays).extracting(Duration::toMillis).containsExactly(0L, 1000L, 1000L, 1000L, 1000L);
	}

	@Test
	void aYoungServedConnectionAfterALongOutageIsRetriedAfterTheFirstStepNotWhereTheBackOffHadGrown() {
		connectAndDrop();
		for (int i = 0; i < 3; i++) {
			this.transport.last().fail(ErrorCode.CONNECT_FAILED);
			this.scheduler.advance(lastRetryIn());
		}
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(4));
		this.transport.last().connected();
		this.loop.execute(() -> this.manager.subscribe("inbox", "/queue/bot-1", java.util.Map.of()));
		this.transport.last().deliver("inbox", new byte[0]);
		this.scheduler.advance(Duration.ofMillis(300));
		this.transport.last().dropped();
		assertThat(lastRetryIn()).isEqualTo(Duration.ofSeconds(1));
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().connected();
		this.scheduler.advance(Duration.ofMillis(300));
		this.transport.last().dropped();
		assertThat(lastRetryIn()).as("nothing served on this one: the back-off grows again").isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aPortFoundOpenJustAfterAFailedAttemptWakesOncePerOutage() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(1));
		int opened = this.transport.opened();
		this.transport.portOpen();
		assertThat(this.transport.opened()).as("the port opened just after the attempt: try at once")
			.isEqualTo(opened + 1);
		for (int i = 0; i < ConnectionManager.QUICK_RETRIES_AFTER_WAKE_UP; i++) {
			this.transport.last().fail(ErrorCode.CONNECT_FAILED);
			assertThat(this.recorder.last().retryIn()).as("quick retries after a wake-up that failed")
				.isEqualTo(Duration.ofMillis(500));
			this.scheduler.advance(Duration.ofMillis(500));
		}
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(8));
		opened = this.transport.opened();
		this.transport.portOpen();
		assertThat(this.transport.opened()).as("once per outage: a broker up on TCP but failing STOMP waits")
			.isEqualTo(opened);
		this.scheduler.advance(Duration.ofSeconds(8));
		this.transport.last().connected();
		this.scheduler.advance(CONNECT_TIMEOUT);
		this.transport.last().dropped();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		opened = this.transport.opened();
		this.transport.portOpen();
		assertThat(this.transport.opened()).as("a healthy connection gives the next outage its wake-up")
			.isEqualTo(opened + 1);
	}

	@Test
	void aPortFoundOpenAfterAnAttemptTheHostRefusedIsTheBrokerBackEveryTime() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.transport.portOpen();
		for (int i = 0; i < ConnectionManager.QUICK_RETRIES_AFTER_WAKE_UP; i++) {
			this.transport.last().fail(ErrorCode.CONNECT_FAILED);
			this.scheduler.advance(Duration.ofMillis(500));
		}
		// The outage's wake-up is spent; the broker went down again and its port was closed at the next attempt
		this.transport.last().refused();
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(8));
		int opened = this.transport.opened();
		this.transport.portOpen();
		assertThat(this.transport.opened()).as("the port was closed at the attempt: open now is the broker back")
			.isEqualTo(opened + 1);
		// That attempt reached a port that accepts TCP and then failed STOMP
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		opened = this.transport.opened();
		this.transport.portOpen();
		assertThat(this.transport.opened()).as("up on TCP but failing STOMP: the back-off decides, no storm")
			.isEqualTo(opened);
	}

	@Test
	void onlyARefusedOrUnreachableConnectionMeansThePortWasClosed() {
		assertThat(ConnectionManager.portClosed(new CometChatException(ErrorCode.CONNECT_FAILED, "x",
				new IllegalStateException(new java.net.ConnectException("Connection refused"))))).isTrue();
		assertThat(ConnectionManager.portClosed(new CometChatException(ErrorCode.CONNECT_FAILED, "x",
				new java.net.NoRouteToHostException("No route to host")))).isTrue();
		assertThat(ConnectionManager.portClosed(new CometChatException(ErrorCode.CONNECT_FAILED, "x",
				new java.net.SocketTimeoutException("Connect timed out")))).isFalse();
		assertThat(ConnectionManager.portClosed(new CometChatException(ErrorCode.CONNECT_FAILED,
				"No CONNECTED frame within 3000ms"))).isFalse();
	}

	@Test
	void aBrokerThatDropsEveryConnectionAtOnceIsRetriedWithGrowingDelays() {
		connect();
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			this.transport.last().connected();
			this.transport.last().fail(ErrorCode.SERVER_ERROR);
			Duration delay = this.recorder.changes()
				.stream()
				.filter((change) -> change.current() == RECONNECTING)
				.reduce((first, second) -> second)
				.orElseThrow()
				.retryIn();
			delays.add(delay);
			this.scheduler.advance(delay);
		}
		assertThat(delays).extracting(Duration::toMillis).containsExactly(0L, 1000L, 2000L, 4000L, 8000L);
		assertThat(this.transport.opened()).isEqualTo(6);
	}

	@Test
	void jitterKeepsEveryDelayWithinItsBounds() {
		this.manager = createManager(exponential(500));
		connectAndDrop();
		List<Long> first = new ArrayList<>();
		for (int outage = 0; outage < 100; outage++) {
			long interval = 1000;
			for (int i = 0; i < 5; i++) {
				this.transport.last().fail(ErrorCode.CONNECT_FAILED);
				long delay = this.recorder.last().retryIn().toMillis();
				long jitter = 500 * (interval / 1000);
				assertThat(delay).isBetween(Math.max(interval - jitter, 1000), Math.min(interval + jitter, 8000));
				if (i == 0) {
					first.add(delay);
				}
				this.scheduler.advance(Duration.ofMillis(delay));
				interval = Math.min(interval * 2, 8000);
			}
			this.transport.last().connected();
			this.scheduler.advance(CONNECT_TIMEOUT);
			this.transport.last().dropped();
		}
		// 100 draws from [1000, 1500): a spread under 250 ms or fewer than 40 distinct values has odds below 1e-20
		assertThat(first.stream().distinct().count()).as("jitter spreads the delays").isGreaterThan(40);
		assertThat(first.stream().mapToLong(Long::longValue).max().getAsLong()
				- first.stream().mapToLong(Long::longValue).min().getAsLong()).isGreaterThan(250);
	}

	@Test
	void connectTimeoutFailsTheAttemptAndClosesIt() {
		connect();
		this.scheduler.advance(CONNECT_TIMEOUT.minusMillis(1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING);
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING);
		assertThat(this.recorder.last().reason().getCode()).isEqualTo(ErrorCode.CONNECT_TIMEOUT);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.transport.last().isClosed()).isTrue();
	}

	@Test
	void duplicateDropCallbacksMakeOneTransition() {
		connect();
		ScriptedTransport.Connection first = this.transport.last();
		first.connected();
		first.fail(ErrorCode.CONNECTION_LOST);
		first.fail(ErrorCode.CONNECTION_LOST);
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING);
		assertThat(this.transport.opened()).as("one new socket for one drop").isEqualTo(2);
	}

	@Test
	void aDroppedConnectionIsAbortedAndTheNextOneOpensAtOnce() {
		this.transport.closesHang();
		connect();
		ScriptedTransport.Connection first = this.transport.last();
		first.connected();
		first.dropped();
		assertThat(first.aborts()).as("a dead link is not waited on").isEqualTo(1);
		assertThat(first.closes()).isZero();
		assertThat(this.transport.opened()).as("no wait for a close handshake").isEqualTo(2);
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING);
	}

	@Test
	void aConnectionThatTimesOutIsAbortedToo() {
		this.transport.closesHang();
		connect();
		ScriptedTransport.Connection first = this.transport.last();
		this.scheduler.advance(CONNECT_TIMEOUT);
		assertThat(first.aborts()).isEqualTo(1);
		assertThat(first.isClosed()).isTrue();
	}

	@Test
	void aDeliberateDisconnectClosesGracefullyAndAbortsWhatDoesNotCloseWithinTwoSeconds() {
		this.transport.closesHang();
		connect();
		ScriptedTransport.Connection first = this.transport.last();
		first.connected();
		CompletableFuture<Void> closed = new CompletableFuture<>();
		this.loop.execute(() -> this.manager.disconnect().whenComplete((done, failure) -> closed.complete(null)));
		assertThat(first.closes()).isEqualTo(1);
		assertThat(first.aborts()).isZero();
		assertThat(closed).isNotDone();
		this.scheduler.advance(Duration.ofMillis(1999));
		assertThat(first.aborts()).isZero();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(first.aborts()).as("on the client's clock").isEqualTo(1);
		assertThat(closed).isCompleted();
	}

	@Test
	void aConnectAfterADisconnectWhoseSocketDoesNotCloseOpensOnceItIsAborted() {
		this.transport.closesHang();
		connect();
		this.transport.last().connected();
		disconnect();
		connect();
		assertThat(this.transport.opened()).as("the first socket is still closing").isEqualTo(1);
		this.scheduler.advance(Duration.ofSeconds(2));
		assertThat(this.transport.opened()).as("aborted, so gone: the next one opens").isEqualTo(2);
	}

	@Test
	void lateCallbacksOfAnAbandonedAttemptAreIgnored() {
		connect();
		ScriptedTransport.Connection timedOut = this.transport.last();
		this.scheduler.advance(CONNECT_TIMEOUT);
		timedOut.connected();
		timedOut.dropped();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING);
		this.scheduler.advance(Duration.ofSeconds(1));
		ScriptedTransport.Connection retry = this.transport.last();
		timedOut.connected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING, CONNECTING);
		retry.connected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING, CONNECTING, CONNECTED);
	}

	@Test
	void disconnectWhileConnectingCancelsTheAttempt() {
		CompletableFuture<Void> connected = connect();
		ScriptedTransport.Connection attempt = this.transport.last();
		disconnect();
		assertThat(errorCode(connected)).isEqualTo(ErrorCode.DISCONNECTED);
		attempt.connected();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(attempt.isClosed()).isTrue();
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.recorder.states()).containsExactly(CONNECTING, DISCONNECTED);
	}

	@Test
	void disconnectWhileReconnectingCancelsTheRetry() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		disconnect();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).isEqualTo(2);
		assertThat(this.scheduler.pendingTasks()).isZero();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING,
				RECONNECTING, DISCONNECTED);
	}

	@Test
	void disconnectWhenConnectedClosesTheSocket() {
		connect();
		this.transport.last().connected();
		disconnect();
		assertThat(this.transport.last().isClosed()).isTrue();
		this.transport.last().dropped();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED);
	}

	@Test
	void disconnectBeforeAnyConnectAndAfterFailedGoesToDisconnected() {
		disconnect();
		connect();
		this.transport.last().rejected();
		disconnect();
		disconnect();
		assertThat(this.recorder.states()).containsExactly(DISCONNECTED, CONNECTING, FAILED, DISCONNECTED);
	}

	@Test
	void rejectedCredentialsFailWithoutRetry() {
		CompletableFuture<Void> connected = connect();
		this.transport.last().rejected();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, FAILED);
		assertThat(this.recorder.last().reason().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(errorCode(connected)).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(this.manager.snapshot().lastError().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
	}

	@Test
	void rejectedCredentialsDuringReconnectFailWithoutRetry() {
		connectAndDrop();
		this.transport.last().rejected();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED, RECONNECTING, CONNECTING, FAILED);
		assertThat(this.transport.opened()).isEqualTo(2);
	}

	@Test
	void aRejectionWithATokenRenewalWaitsInReconnectingWithNoTimerAndConnectsWithTheFreshTokenAtOnce() {
		List<Long> asked = renewals(true);
		CompletableFuture<Void> connected = connect();
		this.transport.last().rejected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING);
		assertThat(this.recorder.last().retryIn()).isNull();
		assertThat(this.recorder.last().reason().getCode()).isEqualTo(ErrorCode.AUTH_REJECTED);
		assertThat(asked).hasSize(1);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).as("no retry with the rejected token").isEqualTo(1);
		assertThat(this.transport.brokerWatchers()).isZero();
		this.loop.execute(() -> this.manager.connect(CREDENTIALS, false, 1));
		assertThat(this.transport.opened()).as("connect() waits for the token too").isEqualTo(1);
		this.loop.execute(() -> this.manager.renewToken(asked.get(0), new Credentials("bot-1", "fresh-token")));
		assertThat(this.transport.last().credentials().authToken()).isEqualTo("fresh-token");
		this.transport.last().connected();
		assertThat(connected).isCompleted();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING, CONNECTING, CONNECTED);
	}

	@Test
	void aFreshTokenTheBrokerRejectsFailsWithoutAskingAgain() {
		List<Long> asked = renewals(true);
		connect();
		this.transport.last().rejected();
		this.loop.execute(() -> this.manager.renewToken(asked.get(0), new Credentials("bot-1", "fresh-token")));
		this.transport.last().rejected();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(asked).hasSize(1);
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING, CONNECTING, FAILED);
		assertThat(this.recorder.last().reason().getCode()).isEqualTo(ErrorCode.TOKEN_REFRESH_FAILED);
		assertThat(this.recorder.last().reason().getCause()).isInstanceOfSatisfying(CometChatException.class,
				(rejection) -> assertThat(rejection.getCode()).isEqualTo(ErrorCode.AUTH_REJECTED));
		assertThat(this.transport.opened()).isEqualTo(2);
	}

	@Test
	void aTokenThatComesAfterADisconnectOrAFailureDoesNothing() {
		List<Long> asked = renewals(true);
		connect();
		this.transport.last().rejected();
		disconnect();
		this.loop.execute(() -> this.manager.renewToken(asked.get(0), new Credentials("bot-1", "fresh-token")));
		this.loop.execute(() -> this.manager.tokenRenewalFailed(asked.get(0),
				new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED, "late")));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING, DISCONNECTED);
		connect();
		this.transport.last().rejected();
		this.loop.execute(() -> this.manager.tokenRenewalFailed(asked.get(1),
				new CometChatException(ErrorCode.TOKEN_REFRESH_FAILED, "no token")));
		this.loop.execute(() -> this.manager.renewToken(asked.get(1), new Credentials("bot-1", "fresh-token")));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING, DISCONNECTED, CONNECTING,
				RECONNECTING, FAILED);
		assertThat(this.transport.opened()).isEqualTo(2);
	}

	@Test
	void aRejectionWhenTheRenewalDeclinesOrOfALoginFailsAsWithoutOne() {
		List<Long> asked = renewals(false);
		connect();
		this.transport.last().rejected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, FAILED);
		this.loop.execute(() -> this.manager.connect(CREDENTIALS, true, 1));
		this.transport.last().rejected();
		assertThat(this.recorder.states()).containsExactly(CONNECTING, FAILED, CONNECTING, FAILED);
		assertThat(asked).isEmpty();
	}

	/**
	 * Give the manager a token renewal that records the epoch of every wait.
	 */
	private List<Long> renewals(boolean mayRenew) {
		List<Long> asked = new ArrayList<>();
		this.manager.renewTokensWith(new ConnectionManager.TokenRenewal() {

			@Override
			public boolean mayRenew() {
				return mayRenew;
			}

			@Override
			public void renew(Credentials rejected, CometChatException rejection, long waitEpoch) {
				assertThat(rejected).isEqualTo(CREDENTIALS);
				asked.add(waitEpoch);
			}

		});
		return asked;
	}

	@Test
	void connectWhileConnectingOrConnectedOpensNoSecondSocket() {
		CompletableFuture<Void> first = connect();
		CompletableFuture<Void> second = connect();
		assertThat(this.transport.opened()).isEqualTo(1);
		this.transport.last().connected();
		CompletableFuture<Void> third = connect();
		assertThat(first).isCompleted();
		assertThat(second).isCompleted();
		assertThat(third).isCompleted();
		assertThat(this.transport.opened()).isEqualTo(1);
		assertThat(this.recorder.states()).containsExactly(CONNECTING, CONNECTED);
	}

	@Test
	void theBrokerComingBackEndsTheBackOffWaitAndTheBackOffGoesOnAfterAnotherFailure() {
		connectAndDrop();
		assertThat(this.transport.brokerWatchers()).as("no watch for the immediate retry").isZero();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(1));
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.transport.brokerWatchers()).isOne();
		int opened = this.transport.opened();
		this.scheduler.advance(Duration.ofMillis(300));
		this.transport.brokerBack();
		assertThat(this.transport.opened()).as("retried as soon as the broker is back").isEqualTo(opened + 1);
		this.scheduler.advance(Duration.ofSeconds(2));
		assertThat(this.transport.opened()).as("the cancelled retry does not fire").isEqualTo(opened + 1);
		for (int i = 0; i < ConnectionManager.QUICK_RETRIES_AFTER_WAKE_UP; i++) {
			this.transport.last().fail(ErrorCode.CONNECT_FAILED);
			assertThat(this.recorder.last().retryIn()).as("quick retries after a wake-up that failed")
				.isEqualTo(Duration.ofMillis(500));
			this.scheduler.advance(Duration.ofMillis(500));
		}
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).as("then the back-off goes on where it had grown")
			.isEqualTo(Duration.ofSeconds(8));
		this.scheduler.advance(Duration.ofSeconds(8));
		this.transport.last().connected();
		assertThat(this.recorder.last().current()).isEqualTo(CONNECTED);
	}

	@Test
	void aLateBrokerBackSignalDuringAnAttemptOrAfterDisconnectDoesNothing() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.transport.brokerWatchers()).isOne();
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.transport.brokerWatchers()).as("the attempt stops the watch").isZero();
		assertThat(this.transport.opened()).isEqualTo(3);
		this.transport.brokerBackLate();
		assertThat(this.transport.opened()).as("no second socket for the attempt in progress").isEqualTo(3);
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.transport.brokerWatchers()).isOne();
		disconnect();
		assertThat(this.transport.brokerWatchers()).as("disconnect stops the watch").isZero();
		this.transport.brokerBackLate();
		assertThat(this.transport.opened()).isEqualTo(3);
		assertThat(this.recorder.last().current()).isEqualTo(DISCONNECTED);
	}

	@Test
	void connectWhileReconnectingRetriesNow() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(1));
		CompletableFuture<Void> connected = connect();
		assertThat(this.transport.opened()).as("retried without waiting").isEqualTo(3);
		this.transport.last().connected();
		assertThat(connected).isCompleted();
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.transport.opened()).as("the cancelled retry does not fire").isEqualTo(3);
	}

	@Test
	void connectAfterFailedStartsAfresh() {
		connect();
		this.transport.last().rejected();
		connect();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().attempt()).isEqualTo(1);
		assertThat(this.recorder.last().retryIn()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, FAILED, CONNECTING, RECONNECTING);
	}

	@Test
	void exhaustedRetriesFail() {
		ExponentialBackOff backOff = exponential(0);
		backOff.setMaxAttempts(2);
		this.manager = createManager(backOff);
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.scheduler.advance(Duration.ofSeconds(1));
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.scheduler.advance(Duration.ofSeconds(2));
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.recorder.last().current()).isEqualTo(FAILED);
		assertThat(this.recorder.last().reason().getCode()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
		assertThat(this.transport.opened()).isEqualTo(4);
	}

	@Test
	void failFastConnectFailsOnTheFirstError() {
		CompletableFuture<Void> connected = new CompletableFuture<>();
		this.loop.execute(() -> this.manager.connect(CREDENTIALS, true, 1).whenComplete((done, failure) -> {
			if (failure != null) {
				connected.completeExceptionally(failure);
			}
		}));
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(errorCode(connected)).isEqualTo(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.states()).containsExactly(CONNECTING, FAILED);
		assertThat(this.transport.opened()).isEqualTo(1);
	}

	@Test
	void snapshotFollowsTheState() {
		connectAndDrop();
		this.transport.last().fail(ErrorCode.CONNECT_FAILED);
		assertThat(this.manager.snapshot().state()).isEqualTo(RECONNECTING);
		assertThat(this.manager.snapshot().attempt()).isEqualTo(2);
		assertThat(this.manager.snapshot().retryIn()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.manager.snapshot().lastError().getCode()).isEqualTo(ErrorCode.CONNECT_FAILED);
		assertThat(this.manager.snapshot().since()).isEqualTo(this.scheduler.now());
	}

	@Test
	void transportThatThrowsOnOpenIsAFailedAttempt() {
		ConnectionManager throwing = createManager((credentials, listener) -> {
			throw new IllegalStateException("no route");
		}, exponential(0));
		this.loop.execute(() -> throwing.connect(CREDENTIALS, false, 1));
		assertThat(this.recorder.states()).containsExactly(CONNECTING, RECONNECTING);
		assertThat(this.recorder.last().reason().getCode()).isEqualTo(ErrorCode.CONNECT_FAILED);
		assertThat(this.recorder.last().reason().getMessage()).contains("no route");
	}

	@Test
	void credentialsNeverShowTheirToken() {
		assertThat(CREDENTIALS.toString()).contains("bot-1").doesNotContain("secret-token");
	}

}
