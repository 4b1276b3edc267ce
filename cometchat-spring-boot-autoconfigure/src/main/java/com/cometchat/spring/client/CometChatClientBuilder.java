package com.cometchat.spring.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

import com.cometchat.spring.client.transport.Credentials;
import com.cometchat.spring.client.transport.Transport;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketStompTransport;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.SessionStore;
import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * Builds a {@link DefaultCometChatClient}, with or without a Spring application context.
 *
 * <p>Threads: a client runs on {@link CometChatResources} (a scheduler, a loop, an I/O and a callback executor, and
 * the WebSocket client). Unless given with {@link #resources(CometChatResources)}, the client creates its own and
 * releases them on {@link DefaultCometChatClient#close()}. To hold many clients in one JVM, give them all the same
 * resources: the thread count then stays fixed whatever the number of clients, and clients with the same broker
 * settings share one transport (and its reachability probe).
 *
 * @author CometChat
 */
public final class CometChatClientBuilder {

	private @Nullable URI url;

	private String appId = "default";

	private @Nullable String region = "eu";

	private @Nullable String virtualHost = "/";

	private boolean autoEstablishSocketConnection = true;

	private Duration connectTimeout = Duration.ofSeconds(10);

	private Duration heartbeatOutgoing = Duration.ofSeconds(10);

	private Duration heartbeatIncoming = Duration.ofSeconds(2);

	private int inboundMessageSizeLimit = 64 * 1024;

	private int frameCoalescingLimit = WebSocketStompTransport.Settings.DEFAULT_FRAME_COALESCING_LIMIT;

	private Duration acknowledgeDelay = WebSocketStompTransport.Settings.DEFAULT_ACKNOWLEDGE_DELAY;

	private Duration shutdownTimeout = Duration.ofSeconds(5);

	private boolean receipts = true;

	private boolean autoMarkDelivered;

	private Duration receiptTimeout = Duration.ofSeconds(15);

	private int sendQueueCapacity = 1000;

	private Destinations destinations = Destinations.DEFAULT;

	private boolean durableSubscriptions;

	private PresenceSubscription presenceSubscription = PresenceSubscription.NONE;

	private Set<String> presenceRoles = Set.of();

	private Set<String> presenceFriends = Set.of();

	private @Nullable String role;

	private Duration presenceHeartbeatInterval = Duration.ofSeconds(15);

	private int presenceMissedHeartbeats = 3;

	private final List<CometChatClientObserver> observers = new ArrayList<>();

	private @Nullable BackOff backOff;

	private @Nullable SessionStore sessionStore;

	private @Nullable Credentials serviceAccount;

	private @Nullable CometChatTokenProvider tokenProvider;

	private @Nullable WebSocketClient webSocketClient;

	private @Nullable SSLContext sslContext;

	private WebSocketClientType webSocketClientType = WebSocketClientType.AUTO;

	private Duration reconnectProbeInterval = WebSocketStompTransport.Settings.DEFAULT_PROBE_INTERVAL;

	private @Nullable CometChatResources resources;

	private @Nullable TaskScheduler scheduler;

	private @Nullable Executor executor;

	private @Nullable Executor ioExecutor;

	private @Nullable Executor storeExecutor;

	private @Nullable Executor callbackExecutor;

	private @Nullable Transport transport;

	private @Nullable ApplicationEventPublisher eventPublisher;

	private boolean publishMessageEvents;

	private @Nullable String senderHeader;

	private boolean dropUnverified;

	private @Nullable JsonMapper jsonMapper;

	private int phase = DefaultCometChatClient.DEFAULT_PHASE;

	CometChatClientBuilder() {
	}

	/**
	 * STOMP-over-WebSocket endpoint, {@code ws://} or {@code wss://}.
	 * @param url the URL
	 * @return this builder
	 */
	public CometChatClientBuilder url(URI url) {
		String scheme = url.getScheme();
		Assert.isTrue("ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme),
				() -> "'url' must be a ws:// or wss:// URL, got '" + url + "'");
		this.url = url;
		return this;
	}

	/**
	 * App id; the saved session is kept per app id.
	 * @param appId the app id
	 * @return this builder
	 */
	public CometChatClientBuilder appId(String appId) {
		Assert.hasText(appId, "'appId' must not be empty");
		this.appId = appId;
		return this;
	}

	/**
	 * App region, sent with {@code CONNECT} and saved with the session (lower-cased).
	 * @param region the region, or {@code null}
	 * @return this builder
	 */
	public CometChatClientBuilder region(@Nullable String region) {
		this.region = (region != null) ? region.toLowerCase(java.util.Locale.ROOT) : null;
		return this;
	}

	/**
	 * STOMP {@code host} header: the broker's virtual host ({@code /} for RabbitMQ), or {@code null} for none.
	 * @param virtualHost the virtual host
	 * @return this builder
	 */
	public CometChatClientBuilder virtualHost(@Nullable String virtualHost) {
		this.virtualHost = virtualHost;
		return this;
	}

	/**
	 * Whether login and start open the socket by themselves (default {@code true}).
	 * @param autoEstablishSocketConnection whether to connect automatically
	 * @return this builder
	 */
	public CometChatClientBuilder autoEstablishSocketConnection(boolean autoEstablishSocketConnection) {
		this.autoEstablishSocketConnection = autoEstablishSocketConnection;
		return this;
	}

	/**
	 * Bound for a connection attempt to reach {@code CONNECTED} (also for the WebSocket handshake), and the time a
	 * connection must stay up before the back-off starts again from the beginning.
	 * @param connectTimeout the timeout
	 * @return this builder
	 */
	public CometChatClientBuilder connectTimeout(Duration connectTimeout) {
		Assert.isTrue(!connectTimeout.isNegative() && !connectTimeout.isZero(), "'connectTimeout' must be positive");
		this.connectTimeout = connectTimeout;
		return this;
	}

	/**
	 * STOMP heart-beats to send and to ask of the broker; {@link Duration#ZERO} switches a direction off.
	 * @param outgoing how often to send
	 * @param incoming how often the broker should send
	 * @return this builder
	 */
	public CometChatClientBuilder heartbeat(Duration outgoing, Duration incoming) {
		Assert.isTrue(!outgoing.isNegative() && !incoming.isNegative(), "Heart-beats must not be negative");
		this.heartbeatOutgoing = outgoing;
		this.heartbeatIncoming = incoming;
		return this;
	}

	/**
	 * The largest STOMP frame the client accepts.
	 * @param bytes the limit
	 * @return this builder
	 */
	public CometChatClientBuilder inboundMessageSizeLimit(int bytes) {
		Assert.isTrue(bytes > 0, "'inboundMessageSizeLimit' must be positive");
		this.inboundMessageSizeLimit = bytes;
		return this;
	}

	/**
	 * The largest WebSocket message the connection's writer puts several queued STOMP frames in: a burst of sends
	 * (or acknowledgements) costs one write instead of one per frame. {@code 0} writes each frame in a message of its
	 * own, for a broker that reads only one STOMP frame per WebSocket message. Defaults to 8 KiB.
	 * @param bytes the limit, or {@code 0}
	 * @return this builder
	 */
	public CometChatClientBuilder frameCoalescingLimit(int bytes) {
		Assert.isTrue(bytes >= 0, "'frameCoalescingLimit' must not be negative");
		this.frameCoalescingLimit = bytes;
		return this;
	}

	/**
	 * How long the {@code ACK} of a received message may be held back, to be written together with others and with
	 * the connection's next frames: a stream of messages then costs a few writes instead of one per message. Held
	 * {@code ACK}s are written sooner when they stand for 4 KiB of messages (under what brokers let a subscriber leave
	 * unacknowledged), and before a graceful close; a connection that drops leaves them unwritten, and the broker
	 * delivers those messages again on the next one, where they are recognised by their id. {@link Duration#ZERO}
	 * writes each at once, the default: holding them back pays on a connection that receives a stream, and costs a
	 * timer per message on a quiet one.
	 * @param delay the delay, or {@link Duration#ZERO}
	 * @return this builder
	 */
	public CometChatClientBuilder acknowledgeDelay(Duration delay) {
		Assert.notNull(delay, "'acknowledgeDelay' must not be null");
		Assert.isTrue(!delay.isNegative(), "'acknowledgeDelay' must not be negative");
		this.acknowledgeDelay = delay;
		return this;
	}

	/**
	 * Delays between reconnect attempts after the immediate first one; {@code STOP} goes to
	 * {@link ConnectionState#FAILED}. Default: exponential from 1 s, ×2, at most 5 s, jitter 500 ms (scaled like the
	 * interval), no limit.
	 * @param backOff the back-off
	 * @return this builder
	 */
	public CometChatClientBuilder reconnectBackOff(BackOff backOff) {
		this.backOff = backOff;
		return this;
	}

	/**
	 * Where the logged-in session is saved. Default: in memory (lost on restart).
	 * @param sessionStore the store
	 * @return this builder
	 */
	public CometChatClientBuilder sessionStore(SessionStore sessionStore) {
		this.sessionStore = sessionStore;
		return this;
	}

	/**
	 * A user logged in at start when no session is saved.
	 * @param uid the user's id
	 * @param authToken the auth token
	 * @return this builder
	 */
	public CometChatClientBuilder serviceAccount(String uid, String authToken) {
		this.serviceAccount = new Credentials(uid, authToken);
		return this;
	}

	/**
	 * Where a fresh auth token comes from when the broker rejects the token of the saved session (or the service
	 * account's) on a connect or reconnect: the client then reconnects with the fresh token and saves it, instead of
	 * going to {@link ConnectionState#FAILED}. Called on the callback executor, at most once per rejection, bounded by
	 * the connect timeout; see {@link CometChatTokenProvider} for the rules. Without one, a rejection fails.
	 * @param tokenProvider the provider, or {@code null} for none
	 * @return this builder
	 */
	public CometChatClientBuilder tokenProvider(@Nullable CometChatTokenProvider tokenProvider) {
		this.tokenProvider = tokenProvider;
		return this;
	}

	/**
	 * TLS context for {@code wss://} URLs, used by the WebSocket client the builder creates; the JVM's default
	 * when not set.
	 * @param sslContext the context, or {@code null}
	 * @return this builder
	 */
	public CometChatClientBuilder sslContext(@Nullable SSLContext sslContext) {
		this.sslContext = sslContext;
		return this;
	}

	/**
	 * How often to check whether an unreachable broker is back while waiting to reconnect (a TCP connect to its host
	 * and port); when it is, the client reconnects at once instead of when its back-off ends.
	 * @param reconnectProbeInterval the interval, {@link Duration#ZERO} for no checks
	 * @return this builder
	 */
	public CometChatClientBuilder reconnectProbeInterval(Duration reconnectProbeInterval) {
		Assert.isTrue(!reconnectProbeInterval.isNegative(), "'reconnectProbeInterval' must not be negative");
		this.reconnectProbeInterval = reconnectProbeInterval;
		return this;
	}

	/**
	 * Which JSR-356 WebSocket client to build on, when no {@link #webSocketClient(WebSocketClient)} is given.
	 * @param webSocketClientType the type; {@link WebSocketClientType#AUTO} (the default) prefers Jetty's
	 * @return this builder
	 * @see com.cometchat.spring.client.transport.WebSocketClients
	 */
	public CometChatClientBuilder webSocketClientType(WebSocketClientType webSocketClientType) {
		this.webSocketClientType = webSocketClientType;
		return this;
	}

	/**
	 * WebSocket client to connect with, instead of one made from the resources; stopped by its owner.
	 * @param webSocketClient the client
	 * @return this builder
	 */
	public CometChatClientBuilder webSocketClient(WebSocketClient webSocketClient) {
		this.webSocketClient = webSocketClient;
		return this;
	}

	/**
	 * Threads and WebSocket clients to run on, shared with other clients and not closed by this one.
	 * @param resources the resources
	 * @return this builder
	 */
	public CometChatClientBuilder resources(CometChatResources resources) {
		this.resources = resources;
		return this;
	}

	/**
	 * Scheduler for heart-beats, timeouts and retries, instead of the resources' one; its clock is the client's
	 * clock.
	 * @param scheduler the scheduler
	 * @return this builder
	 */
	public CometChatClientBuilder scheduler(TaskScheduler scheduler) {
		this.scheduler = scheduler;
		return this;
	}

	/**
	 * Executor that drains the connection loop, instead of the resources' one; tasks on it never block.
	 * @param executor the executor
	 * @return this builder
	 */
	public CometChatClientBuilder executor(Executor executor) {
		this.executor = executor;
		return this;
	}

	/**
	 * Executor for blocking work (frame writes, closes; and session store calls when no
	 * {@link #storeExecutor(Executor) store executor} is given), instead of the resources' one.
	 * @param ioExecutor the executor
	 * @return this builder
	 */
	public CometChatClientBuilder ioExecutor(Executor ioExecutor) {
		this.ioExecutor = ioExecutor;
		return this;
	}

	/**
	 * Executor for session store calls, instead of the resources' one (or the {@link #ioExecutor(Executor) I/O
	 * executor} given to this builder).
	 * @param storeExecutor the executor
	 * @return this builder
	 */
	public CometChatClientBuilder storeExecutor(Executor storeExecutor) {
		this.storeExecutor = storeExecutor;
		return this;
	}

	/**
	 * Executor for user code, instead of the resources' one: listeners, application events and the completion of
	 * every future the client returns. It may block without harming any connection; a continuation that waits for
	 * another call of the client ({@code join()}) needs a thread of it to be free (the default pool adds one).
	 * @param callbackExecutor the executor
	 * @return this builder
	 */
	public CometChatClientBuilder callbackExecutor(Executor callbackExecutor) {
		this.callbackExecutor = callbackExecutor;
		return this;
	}

	/**
	 * Transport to open connections with, instead of a {@link WebSocketStompTransport} built from this builder's
	 * URL and STOMP settings. One transport can serve many clients.
	 * @param transport the transport
	 * @return this builder
	 */
	public CometChatClientBuilder transport(Transport transport) {
		this.transport = transport;
		return this;
	}

	/**
	 * Whether a send completes on the broker's {@code RECEIPT} (default), and is sent again after a drop until then,
	 * rather than when written.
	 * @param receipts whether to ask for receipts
	 * @return this builder
	 */
	public CometChatClientBuilder receipts(boolean receipts) {
		this.receipts = receipts;
		return this;
	}

	/**
	 * Whether every message received is marked delivered to its sender by itself ({@link CometChatClient#markAsDelivered}),
	 * before the listeners hear of it. Off by default: it costs a frame and a receipt per message received.
	 * @param autoMarkDelivered whether to mark received messages delivered
	 * @return this builder
	 */
	public CometChatClientBuilder autoMarkDelivered(boolean autoMarkDelivered) {
		this.autoMarkDelivered = autoMarkDelivered;
		return this;
	}

	/**
	 * How long to wait for a {@code RECEIPT} before failing the send with {@link ErrorCode#RECEIPT_TIMEOUT}.
	 * @param receiptTimeout the timeout
	 * @return this builder
	 */
	public CometChatClientBuilder receiptTimeout(Duration receiptTimeout) {
		Assert.isTrue(!receiptTimeout.isNegative() && !receiptTimeout.isZero(), "'receiptTimeout' must be positive");
		this.receiptTimeout = receiptTimeout;
		return this;
	}

	/**
	 * How many sends may wait for a connection; one more fails with {@link ErrorCode#QUEUE_FULL}. {@code 0}: no
	 * waiting, a send while not connected fails at once with {@link ErrorCode#NOT_CONNECTED}. Sends while connected
	 * never wait.
	 * @param sendQueueCapacity the capacity
	 * @return this builder
	 */
	public CometChatClientBuilder sendQueueCapacity(int sendQueueCapacity) {
		Assert.isTrue(sendQueueCapacity >= 0, "'sendQueueCapacity' must not be negative");
		this.sendQueueCapacity = sendQueueCapacity;
		return this;
	}

	/**
	 * Destination templates of inboxes, groups and presence.
	 * @param destinations the templates
	 * @return this builder
	 */
	public CometChatClientBuilder destinations(Destinations destinations) {
		this.destinations = destinations;
		return this;
	}

	/**
	 * Whether group subscriptions are durable, so that the broker keeps a group's messages while the socket is down,
	 * until the user leaves the group or logs out: on RabbitMQ ({@code durable:true}, {@code auto-delete:false}) and
	 * on ActiveMQ Artemis ({@code client-id} {@code cometchat-{appId}-{uid}} on {@code CONNECT},
	 * {@code durable-subscription-name} on {@code SUBSCRIBE}). Each broker ignores the other's headers; Spring's
	 * simple broker keeps nothing.
	 * @param durableSubscriptions whether to subscribe durably
	 * @return this builder
	 */
	public CometChatClientBuilder durableSubscriptions(boolean durableSubscriptions) {
		this.durableSubscriptions = durableSubscriptions;
		return this;
	}

	/**
	 * Whose presence to listen to: everyone's, users with one of the given roles, or the given friends.
	 * @param presenceSubscription the mode
	 * @param roles the roles watched in {@link PresenceSubscription#ROLES} mode
	 * @param friends the uids watched in {@link PresenceSubscription#FRIENDS} mode
	 * @return this builder
	 */
	public CometChatClientBuilder presenceSubscription(PresenceSubscription presenceSubscription, Set<String> roles,
			Set<String> friends) {
		this.presenceSubscription = presenceSubscription;
		this.presenceRoles = Set.copyOf(roles);
		this.presenceFriends = Set.copyOf(friends);
		return this;
	}

	/**
	 * The role this user announces with their presence.
	 * @param role the role
	 * @return this builder
	 */
	public CometChatClientBuilder role(@Nullable String role) {
		this.role = role;
		return this;
	}

	/**
	 * How often the logged-in user announces themselves online again while connected, and after how many intervals
	 * without an announcement a watched user is reported offline (a user whose process died or whose link was cut
	 * says no goodbye). A user's announcements carry their interval, which receivers use rather than their own.
	 * Default: every 15 s, offline after 3 missed (45 s). Each client publishes one presence per interval, which the
	 * broker delivers to every client that watches all users.
	 * @param interval how often to announce online; {@link Duration#ZERO} switches both the heartbeats and the timeout
	 * off: others are then told online on every connect and offline only before a deliberate disconnect
	 * @param missedHeartbeats how many intervals without an announcement make a watched user offline
	 * @return this builder
	 */
	public CometChatClientBuilder presenceHeartbeat(Duration interval, int missedHeartbeats) {
		Assert.isTrue(!interval.isNegative(), "'interval' must not be negative");
		Assert.isTrue(missedHeartbeats >= 1, "'missedHeartbeats' must be at least 1");
		this.presenceHeartbeatInterval = interval;
		this.presenceMissedHeartbeats = missedHeartbeats;
		return this;
	}

	/**
	 * Add an observer, such as the metrics; every added one is told, in the order added.
	 * @param observer the observer
	 * @return this builder
	 */
	public CometChatClientBuilder addObserver(CometChatClientObserver observer) {
		this.observers.add(observer);
		return this;
	}

	/**
	 * Where state changes and login outcomes are published as application events.
	 * @param eventPublisher the publisher, or {@code null} for none
	 * @return this builder
	 */
	public CometChatClientBuilder eventPublisher(@Nullable ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
		return this;
	}

	/**
	 * Which header of a received message carries the sender as the broker authenticated it, so that
	 * {@link ChatMessage#senderVerified()} says whether the {@code sender} in the body is who sent it: RabbitMQ's
	 * {@code user-id} (RabbitMQ refuses a {@code SEND} whose {@code user-id} is not the connection's login), ActiveMQ
	 * Artemis's {@code _AMQ_VALIDATED_USER} (with {@code populate-validated-user} on), or the header an application's
	 * own broker stamps. Only a header the broker sets or checks can vouch: on a broker that passes any client's
	 * headers on, it proves nothing. Every client sends its uid as {@code user-id}.
	 * @param header the header, or {@code null} (the default) for no verification
	 * @param dropUnverified whether to drop (acknowledge, count, log and not deliver) a message the broker did not
	 * vouch for
	 * @return this builder
	 */
	public CometChatClientBuilder senderVerification(@Nullable String header, boolean dropUnverified) {
		Assert.isTrue(header != null || !dropUnverified, "Dropping unverified messages needs a header to verify by");
		this.senderHeader = header;
		this.dropUnverified = dropUnverified;
		return this;
	}

	/**
	 * Whether to publish every message and event the listeners hear (messages, presence, typing, receipts, edits,
	 * reactions, transient messages, group members) as a {@link CometChatMessageEvent} through the
	 * {@link #eventPublisher(ApplicationEventPublisher) event publisher} (default {@code false}: a busy client does not
	 * pay for an event per message that nobody may listen to).
	 * @param publishMessageEvents whether to publish them
	 * @return this builder
	 */
	public CometChatClientBuilder publishMessageEvents(boolean publishMessageEvents) {
		this.publishMessageEvents = publishMessageEvents;
		return this;
	}

	/**
	 * The application's mapper, for the data of custom messages: {@link ChatMessage#data(Class)} reads with it and
	 * {@link OutgoingMessage#custom(ReceiverType, String, String, Object)} writes with it, so that its modules and
	 * settings apply. The protocol's own fields are read and written the same whatever it is.
	 * @param jsonMapper the mapper, or {@code null} for a default one
	 * @return this builder
	 */
	public CometChatClientBuilder jsonMapper(@Nullable JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		return this;
	}

	/**
	 * How long stopping may wait for the socket to close and the session store calls to finish.
	 * @param shutdownTimeout the timeout
	 * @return this builder
	 */
	public CometChatClientBuilder shutdownTimeout(Duration shutdownTimeout) {
		Assert.isTrue(!shutdownTimeout.isNegative(), "'shutdownTimeout' must not be negative");
		this.shutdownTimeout = shutdownTimeout;
		return this;
	}

	/**
	 * The {@link org.springframework.context.SmartLifecycle} phase.
	 * @param phase the phase
	 * @return this builder
	 */
	public CometChatClientBuilder phase(int phase) {
		this.phase = phase;
		return this;
	}

	/**
	 * Build the client. It does nothing on the network until {@link DefaultCometChatClient#start()} or an operation.
	 * @return the client
	 */
	public DefaultCometChatClient build() {
		List<Runnable> owned = new ArrayList<>();
		return new DefaultCometChatClient(parts(null, this.resources, CompositeObserver.of(this.observers), owned));
	}

	/**
	 * Build the client of one user of a connection manager: the same settings, on resources the manager gives.
	 * @param uid the user
	 * @param resources the manager's resources
	 * @param observer the session's observer (the single client's observers are not added)
	 * @return the client
	 */
	DefaultCometChatClient buildSession(String uid, CometChatResources resources, CometChatClientObserver observer) {
		return buildSession(uid, resources, observer, UnaryOperator.identity());
	}

	/**
	 * Build the client of one user of a connection manager, its transport decorated (e.g. fenced by a lease).
	 * @param uid the user
	 * @param resources the manager's resources
	 * @param observer the session's observer
	 * @param transport decorates the transport
	 * @return the client
	 */
	DefaultCometChatClient buildSession(String uid, CometChatResources resources, CometChatClientObserver observer,
			UnaryOperator<Transport> transport) {
		return new DefaultCometChatClient(parts(uid, resources, observer, new ArrayList<>(), transport));
	}

	/**
	 * Return the reconnect back-off, also used to retry a failed restore.
	 * @return the back-off
	 */
	BackOff backOff() {
		return (this.backOff != null) ? this.backOff : defaultBackOff();
	}

	/**
	 * Return the session store given, if any.
	 * @return the store or {@code null}
	 */
	@Nullable SessionStore sessionStore() {
		return this.sessionStore;
	}

	String appId() {
		return this.appId;
	}

	boolean autoEstablishSocketConnection() {
		return this.autoEstablishSocketConnection;
	}

	Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Create resources with the scheduler and executors given to this builder, the others new.
	 * @return the resources, to be closed by the caller
	 */
	CometChatResources newResources() {
		CometChatResources.Builder created = CometChatResources.builder();
		if (this.scheduler != null) {
			created.scheduler(this.scheduler);
		}
		if (this.executor != null) {
			created.loopExecutor(this.executor);
		}
		if (this.ioExecutor != null) {
			created.ioExecutor(this.ioExecutor);
		}
		Executor storeExecutor = (this.storeExecutor != null) ? this.storeExecutor : this.ioExecutor;
		if (storeExecutor != null) {
			created.storeExecutor(storeExecutor);
		}
		if (this.callbackExecutor != null) {
			created.callbackExecutor(this.callbackExecutor);
		}
		return created.build();
	}

	/**
	 * Return the resources given, if any.
	 * @return the resources or {@code null}
	 */
	@Nullable CometChatResources resources() {
		return this.resources;
	}

	private Parts parts(@Nullable String fixedUid, @Nullable CometChatResources given, CometChatClientObserver observer,
			List<Runnable> owned) {
		return parts(fixedUid, given, observer, owned, UnaryOperator.identity());
	}

	private Parts parts(@Nullable String fixedUid, @Nullable CometChatResources given, CometChatClientObserver observer,
			List<Runnable> owned, UnaryOperator<Transport> decorate) {
		CometChatResources resources = given;
		if (resources == null) {
			resources = newResources();
			owned.add(resources::close);
		}
		TaskScheduler scheduler = (this.scheduler != null) ? this.scheduler : resources.getScheduler();
		Executor loopExecutor = (this.executor != null) ? this.executor : resources.getLoopExecutor();
		Executor ioExecutor = (this.ioExecutor != null) ? this.ioExecutor : resources.getIoExecutor();
		Executor storeExecutor = (this.storeExecutor != null) ? this.storeExecutor
				: (this.ioExecutor != null) ? this.ioExecutor : resources.getStoreExecutor();
		Executor callbackExecutor = (this.callbackExecutor != null) ? this.callbackExecutor
				: resources.getCallbackExecutor();
		Transport transport = this.transport;
		if (transport == null) {
			Assert.state(this.url != null, "'url' is required");
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("app-id", this.appId);
			if (StringUtils.hasText(this.region)) {
				headers.put("region", this.region);
			}
			WebSocketStompTransport.Settings settings = new WebSocketStompTransport.Settings(this.url, this.virtualHost,
					this.heartbeatOutgoing, this.heartbeatIncoming, this.inboundMessageSizeLimit, this.receiptTimeout,
					headers, this.reconnectProbeInterval, this.frameCoalescingLimit, this.acknowledgeDelay);
			if (this.webSocketClient != null) {
				WebSocketStompTransport created = new WebSocketStompTransport(this.webSocketClient, scheduler, settings,
						ioExecutor);
				owned.add(0, created::stop);
				transport = created;
			}
			else {
				transport = resources.transport(new CometChatResources.WebSocketSettings(this.webSocketClientType,
						this.inboundMessageSizeLimit, this.sslContext, this.connectTimeout), settings);
			}
		}
		transport = decorate.apply(transport);
		BackOff backOff = backOff();
		SessionStore sessionStore = (this.sessionStore != null) ? this.sessionStore : new InMemorySessionStore();
		Runnable onClose = () -> owned.forEach(Runnable::run);
		return new Parts(this.appId, fixedUid, this.region, this.autoEstablishSocketConnection,
				(fixedUid != null) ? null : this.serviceAccount, sessionStore, transport, backOff, this.connectTimeout,
				scheduler, loopExecutor, ioExecutor, storeExecutor, callbackExecutor, this.eventPublisher,
				this.publishMessageEvents, this.shutdownTimeout,
				this.phase, onClose, this.receipts, this.sendQueueCapacity, this.destinations, this.durableSubscriptions,
				this.presenceSubscription, this.presenceRoles, this.presenceFriends, this.role,
				this.presenceHeartbeatInterval, this.presenceMissedHeartbeats, observer, this.url,
				this.autoMarkDelivered, this.tokenProvider,
				(this.jsonMapper != null) ? new PayloadConverter(this.jsonMapper) : PayloadConverter.DEFAULT,
				this.senderHeader, this.dropUnverified);
	}

	private static BackOff defaultBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(1000, 2.0);
		backOff.setMaxInterval(5_000);
		backOff.setJitter(500);
		return backOff;
	}

	/**
	 * What the client is made of.
	 */
	record Parts(String appId, @Nullable String fixedUid, @Nullable String region, boolean autoEstablishSocketConnection,
			@Nullable Credentials serviceAccount, SessionStore sessionStore, Transport transport, BackOff backOff,
			Duration connectTimeout, TaskScheduler scheduler, Executor loopExecutor, Executor ioExecutor,
			Executor storeExecutor, Executor callbackExecutor, @Nullable ApplicationEventPublisher eventPublisher,
			boolean publishMessageEvents, Duration shutdownTimeout, int phase, Runnable onClose, boolean receipts, int sendQueueCapacity, Destinations destinations,
			boolean durableSubscriptions, PresenceSubscription presenceSubscription, Set<String> presenceRoles,
			Set<String> presenceFriends, @Nullable String role, Duration presenceHeartbeatInterval,
			int presenceMissedHeartbeats, CometChatClientObserver observer,
			@Nullable URI url, boolean autoMarkDelivered, @Nullable CometChatTokenProvider tokenProvider,
			PayloadConverter payloadConverter, @Nullable String senderHeader, boolean dropUnverified) {

	}

}
