package com.cometchat.spring.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.cometchat.spring.client.CometChatClientObserver;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of a CometChat client, fed as its {@link CometChatClientObserver}. Tags are low-cardinality:
 * the app id, the state and error codes; never a uid.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><td>{@code cometchat.connection.state}</td><td>gauge, 1 for the current state ({@code state} tag)</td></tr>
 * <tr><td>{@code cometchat.connection.connects}</td><td>counter of connections established</td></tr>
 * <tr><td>{@code cometchat.connection.reconnect.attempts}</td><td>counter of reconnect attempts</td></tr>
 * <tr><td>{@code cometchat.connection.failures}</td><td>counter of failures ({@code reason} tag)</td></tr>
 * <tr><td>{@code cometchat.connection.connect.duration}</td><td>timer from CONNECTING to CONNECTED</td></tr>
 * <tr><td>{@code cometchat.messages.sent}, {@code .received}, {@code .duplicates}</td><td>counters</td></tr>
 * <tr><td>{@code cometchat.events.ignored}</td><td>counter of bodies of an unknown kind or protocol version, and of
 * edits by anybody else than the sender, taken and ignored</td></tr>
 * <tr><td>{@code cometchat.messages.failed}</td><td>counter ({@code reason} tag)</td></tr>
 * <tr><td>{@code cometchat.messages.confirmation}</td><td>timer from send to RECEIPT</td></tr>
 * <tr><td>{@code cometchat.messages.pending}</td><td>gauge of sends waiting for a connection or a receipt</td></tr>
 * </table>
 * Each connection attempt is also an {@link Observation} named {@code cometchat.connection.attempt}.
 *
 * @author CometChat
 */
public class CometChatMetrics implements CometChatClientObserver {

	private final MeterRegistry registry;

	private final ObservationRegistry observations;

	private final Tags tags;

	private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.INITIALIZED);

	private final AtomicInteger pending = new AtomicInteger();

	private final Counter connects;

	private final Counter reconnectAttempts;

	private final Timer connectDuration;

	private final Counter sent;

	private final Counter received;

	private final Counter duplicates;

	private final Counter ignored;

	private final Timer confirmation;

	private volatile @Nullable ConnectionStateChange connectingSince;

	private volatile @Nullable Observation attempt;

	/**
	 * Create the meters.
	 * @param registry the meter registry
	 * @param observations the observation registry ({@link ObservationRegistry#NOOP} for none)
	 * @param appId the app id, the {@code app} tag
	 */
	public CometChatMetrics(MeterRegistry registry, ObservationRegistry observations, String appId) {
		this(registry, observations, appId, true);
	}

	/**
	 * Create the meters, with or without the gauges of one connection.
	 * @param registry the meter registry
	 * @param observations the observation registry ({@link ObservationRegistry#NOOP} for none)
	 * @param appId the app id, the {@code app} tag
	 * @param connectionGauges whether to register {@code cometchat.connection.state} and
	 * {@code cometchat.messages.pending} for this client: {@code false} for the sessions of a connection manager, whose
	 * gauges count all of them ({@link CometChatSessionsMetrics}); a gauge has one value per name and tags, so a
	 * second client's would be ignored
	 */
	public CometChatMetrics(MeterRegistry registry, ObservationRegistry observations, String appId,
			boolean connectionGauges) {
		this.registry = registry;
		this.observations = observations;
		this.tags = Tags.of("app", appId);
		if (connectionGauges) {
			for (ConnectionState value : ConnectionState.values()) {
				Gauge.builder("cometchat.connection.state", this.state, (current) -> (current.get() == value) ? 1 : 0)
					.tags(this.tags.and("state", value.name()))
					.description("1 for the current state of the connection, 0 for the others")
					.register(registry);
			}
			Gauge.builder("cometchat.messages.pending", this.pending, AtomicInteger::get)
				.tags(this.tags)
				.description("Sends waiting for a connection or for their receipt")
				.register(registry);
		}
		this.connects = counter("cometchat.connection.connects", "Connections established");
		this.reconnectAttempts = counter("cometchat.connection.reconnect.attempts", "Reconnect attempts");
		this.connectDuration = Timer.builder("cometchat.connection.connect.duration")
			.tags(this.tags)
			.description("Time from CONNECTING to CONNECTED")
			.publishPercentileHistogram()
			.register(registry);
		this.sent = counter("cometchat.messages.sent", "Messages confirmed by the broker");
		this.received = counter("cometchat.messages.received", "Messages delivered to the listeners");
		this.duplicates = counter("cometchat.messages.duplicates", "Second copies of messages dropped");
		this.ignored = counter("cometchat.events.ignored",
				"Bodies of an unknown kind or protocol version, and edits by others than the sender, ignored");
		this.confirmation = Timer.builder("cometchat.messages.confirmation")
			.tags(this.tags)
			.description("Time from sendMessage() to the broker's RECEIPT")
			.publishPercentileHistogram()
			.register(registry);
	}

	private Counter counter(String name, String description) {
		return Counter.builder(name).tags(this.tags).description(description).register(this.registry);
	}

	private Counter failures(String name, ErrorCode reason) {
		// Looked up when a failure happens (rarely): no map per client, which a connection manager has thousands of
		return Counter.builder(name).tags(this.tags.and(Tag.of("reason", reason.name()))).register(this.registry);
	}

	@Override
	public void stateChanged(ConnectionStateChange change) {
		this.state.set(change.current());
		if (change.reason() != null) {
			failures("cometchat.connection.failures", change.reason().getCode()).increment();
		}
		Observation attempt = this.attempt;
		if (attempt != null && change.previous() == ConnectionState.CONNECTING) {
			if (change.reason() != null) {
				attempt.error(change.reason());
			}
			attempt.stop();
			this.attempt = null;
		}
		switch (change.current()) {
			case CONNECTING -> {
				this.connectingSince = change;
				this.attempt = Observation.createNotStarted("cometchat.connection.attempt", this.observations)
					.lowCardinalityKeyValue("app", this.tags.stream().findFirst().map(Tag::getValue).orElse(""))
					.start();
			}
			case CONNECTED -> {
				this.connects.increment();
				ConnectionStateChange since = this.connectingSince;
				if (since != null) {
					this.connectDuration.record(Duration.between(since.timestamp(), change.timestamp()));
				}
			}
			case RECONNECTING -> this.reconnectAttempts.increment();
			default -> {
			}
		}
	}

	@Override
	public void messageSent(Duration sendToConfirmation) {
		this.sent.increment();
		this.confirmation.record(sendToConfirmation);
	}

	@Override
	public void messageFailed(ErrorCode reason) {
		failures("cometchat.messages.failed", reason).increment();
	}

	@Override
	public void messageReceived() {
		this.received.increment();
	}

	@Override
	public void duplicateDropped() {
		this.duplicates.increment();
	}

	@Override
	public void eventIgnored() {
		this.ignored.increment();
	}

	@Override
	public void pendingSendsChanged(int pending) {
		this.pending.set(pending);
	}

}
