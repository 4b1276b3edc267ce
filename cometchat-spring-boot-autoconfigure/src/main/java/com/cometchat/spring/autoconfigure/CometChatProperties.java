package com.cometchat.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.cometchat.spring.client.PresenceSubscription;
import com.cometchat.spring.client.transport.WebSocketClientType;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the CometChat client.
 *
 * @author CometChat
 */
@ConfigurationProperties("cometchat")
public class CometChatProperties {

	/**
	 * Whether to enable the CometChat client.
	 */
	private boolean enabled = true;

	/**
	 * STOMP-over-WebSocket endpoint of the broker, a ws:// or wss:// URL.
	 */
	private @Nullable String url;

	/**
	 * App id. The logged-in session is saved per app id.
	 */
	private String appId = "default";

	/**
	 * App region.
	 */
	private String region = "eu";

	/**
	 * Virtual host sent as the STOMP 'host' header of CONNECT. RabbitMQ needs a virtual host name such as '/', not a
	 * host name.
	 */
	private @Nullable String virtualHost = "/";

	/**
	 * Whether login and application start open the socket by themselves. When false, nothing connects until the
	 * application calls connect().
	 */
	private boolean autoEstablishSocketConnection = true;

	/**
	 * Presence of which users to subscribe to.
	 */
	private PresenceSubscription presenceSubscription = PresenceSubscription.NONE;

	/**
	 * Whether a send completes on the broker's RECEIPT, and is sent again after a drop until then, rather than when
	 * written.
	 */
	private boolean receipts = true;

	/**
	 * Whether to mark every received message delivered to its sender, before the listeners hear of it.
	 */
	private boolean autoMarkDelivered;

	/**
	 * Whether to publish every message and event the clients receive (messages, presence, typing, receipts, edits,
	 * reactions, transient messages, group members) as a CometChatMessageEvent application event.
	 */
	private boolean publishMessageEvents;

	/**
	 * Time to wait for the RECEIPT of a send before failing it.
	 */
	private Duration receiptTimeout = Duration.ofSeconds(15);

	/**
	 * Maximum number of sends that wait for a connection. One more fails at once; 0 for no waiting, so that a send
	 * while not connected fails at once.
	 */
	private int sendQueueCapacity = 1000;

	/**
	 * Whether group subscriptions are durable, so that RabbitMQ and ActiveMQ Artemis keep a group's messages while
	 * the socket is down, until the user leaves the group or logs out.
	 */
	private boolean durableSubscriptions;

	/**
	 * Timeout for a connection attempt to receive the STOMP CONNECTED frame.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * Maximum size of an inbound STOMP frame.
	 */
	private DataSize inboundMessageSizeLimit = DataSize.ofKilobytes(64);

	/**
	 * Maximum size of a WebSocket message in which several queued outbound STOMP frames are written together. 0 writes
	 * each frame in a message of its own, for a broker that reads only one frame per WebSocket message.
	 */
	private DataSize frameCoalescingLimit = DataSize.ofKilobytes(8);

	/**
	 * How long the acknowledgement of a received message may be held back, to be written together with others and
	 * with the connection's next frames, for a connection that receives a stream. 0 writes each at once.
	 */
	private Duration acknowledgeDelay = Duration.ZERO;

	/**
	 * JSR-356 WebSocket client to connect with. 'auto' uses Jetty's when it is on the class path (the starter ships
	 * it), else Tomcat's.
	 */
	private WebSocketClientType websocketClient = WebSocketClientType.AUTO;

	/**
	 * Time to wait, when the application stops, for the socket to close and the session store calls to finish.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	private final Heartbeat heartbeat = new Heartbeat();

	private final Reconnect reconnect = new Reconnect();

	private final Session session = new Session();

	private final User user = new User();

	private final ConnectionManager connectionManager = new ConnectionManager();

	private final Cluster cluster = new Cluster();

	private final Destinations destinations = new Destinations();

	private final Presence presence = new Presence();

	private final Ssl ssl = new Ssl();

	private final SenderVerification senderVerification = new SenderVerification();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public String getAppId() {
		return this.appId;
	}

	public void setAppId(String appId) {
		this.appId = appId;
	}

	public String getRegion() {
		return this.region;
	}

	public void setRegion(String region) {
		this.region = region;
	}

	public @Nullable String getVirtualHost() {
		return this.virtualHost;
	}

	public void setVirtualHost(@Nullable String virtualHost) {
		this.virtualHost = virtualHost;
	}

	public boolean isAutoEstablishSocketConnection() {
		return this.autoEstablishSocketConnection;
	}

	public void setAutoEstablishSocketConnection(boolean autoEstablishSocketConnection) {
		this.autoEstablishSocketConnection = autoEstablishSocketConnection;
	}

	public PresenceSubscription getPresenceSubscription() {
		return this.presenceSubscription;
	}

	public void setPresenceSubscription(PresenceSubscription presenceSubscription) {
		this.presenceSubscription = presenceSubscription;
	}

	public boolean isReceipts() {
		return this.receipts;
	}

	public void setReceipts(boolean receipts) {
		this.receipts = receipts;
	}

	public boolean isAutoMarkDelivered() {
		return this.autoMarkDelivered;
	}

	public void setAutoMarkDelivered(boolean autoMarkDelivered) {
		this.autoMarkDelivered = autoMarkDelivered;
	}

	public boolean isPublishMessageEvents() {
		return this.publishMessageEvents;
	}

	public void setPublishMessageEvents(boolean publishMessageEvents) {
		this.publishMessageEvents = publishMessageEvents;
	}

	public Duration getReceiptTimeout() {
		return this.receiptTimeout;
	}

	public void setReceiptTimeout(Duration receiptTimeout) {
		this.receiptTimeout = receiptTimeout;
	}

	public int getSendQueueCapacity() {
		return this.sendQueueCapacity;
	}

	public void setSendQueueCapacity(int sendQueueCapacity) {
		this.sendQueueCapacity = sendQueueCapacity;
	}

	public boolean isDurableSubscriptions() {
		return this.durableSubscriptions;
	}

	public void setDurableSubscriptions(boolean durableSubscriptions) {
		this.durableSubscriptions = durableSubscriptions;
	}

	public Destinations getDestinations() {
		return this.destinations;
	}

	public Presence getPresence() {
		return this.presence;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public SenderVerification getSenderVerification() {
		return this.senderVerification;
	}

	/**
	 * TLS for wss:// URLs.
	 */
	/**
	 * Whether the broker vouches for the sender of a message.
	 */
	public static class SenderVerification {

		/**
		 * Header of a received message in which the broker carries the authenticated sender, such as RabbitMQ's
		 * 'user-id' or ActiveMQ Artemis's '_AMQ_VALIDATED_USER'. Only a header the broker sets or checks vouches for
		 * anything.
		 */
		private @Nullable String header;

		/**
		 * Whether to drop a message whose sender the broker did not vouch for.
		 */
		private boolean dropUnverified;

		public @Nullable String getHeader() {
			return this.header;
		}

		public void setHeader(@Nullable String header) {
			this.header = header;
		}

		public boolean isDropUnverified() {
			return this.dropUnverified;
		}

		public void setDropUnverified(boolean dropUnverified) {
			this.dropUnverified = dropUnverified;
		}

	}

	public static class Ssl {

		/**
		 * SSL bundle that trusts the broker's certificate (and holds a client certificate, if the broker wants one).
		 * The JVM's default trust store is used when not set.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public DataSize getInboundMessageSizeLimit() {
		return this.inboundMessageSizeLimit;
	}

	public void setInboundMessageSizeLimit(DataSize inboundMessageSizeLimit) {
		this.inboundMessageSizeLimit = inboundMessageSizeLimit;
	}

	public DataSize getFrameCoalescingLimit() {
		return this.frameCoalescingLimit;
	}

	public void setFrameCoalescingLimit(DataSize frameCoalescingLimit) {
		this.frameCoalescingLimit = frameCoalescingLimit;
	}

	public Duration getAcknowledgeDelay() {
		return this.acknowledgeDelay;
	}

	public void setAcknowledgeDelay(Duration acknowledgeDelay) {
		this.acknowledgeDelay = acknowledgeDelay;
	}

	public WebSocketClientType getWebsocketClient() {
		return this.websocketClient;
	}

	public void setWebsocketClient(WebSocketClientType websocketClient) {
		this.websocketClient = websocketClient;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Session getSession() {
		return this.session;
	}

	public User getUser() {
		return this.user;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public ConnectionManager getConnectionManager() {
		return this.connectionManager;
	}

	/**
	 * STOMP destination templates, with the placeholders {appId}, {uid} and {guid}.
	 */
	public static class Destinations {

		/**
		 * Inbox of a user. On RabbitMQ a /queue/ destination is a durable queue that keeps messages while the user
		 * is offline.
		 */
		private String user = com.cometchat.spring.client.Destinations.DEFAULT.user();

		/**
		 * Topic of a group.
		 */
		private String group = com.cometchat.spring.client.Destinations.DEFAULT.group();

		/**
		 * Presence topic of the app.
		 */
		private String presence = com.cometchat.spring.client.Destinations.DEFAULT.presence();

		public String getUser() {
			return this.user;
		}

		public void setUser(String user) {
			this.user = user;
		}

		public String getGroup() {
			return this.group;
		}

		public void setGroup(String group) {
			this.group = group;
		}

		public String getPresence() {
			return this.presence;
		}

		public void setPresence(String presence) {
			this.presence = presence;
		}

	}

	/**
	 * Presence details.
	 */
	public static class Presence {

		/**
		 * Roles whose users' presence is reported when presence-subscription is 'roles'.
		 */
		private List<String> roles = new ArrayList<>();

		/**
		 * Uids whose presence is reported when presence-subscription is 'friends'.
		 */
		private List<String> friends = new ArrayList<>();

		/**
		 * Role announced with this user's own presence.
		 */
		private @Nullable String role;

		/**
		 * Interval at which this user announces themselves online again while connected, so that others notice when
		 * the announcements stop (a process that died or a link that was cut says no goodbye). Zero switches the
		 * heartbeats, and the timeout of other users, off.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(15);

		/**
		 * Number of heartbeat intervals without an announcement after which a watched user is reported offline. The
		 * interval is the one the user announces.
		 */
		private int missedHeartbeats = 3;

		public List<String> getRoles() {
			return this.roles;
		}

		public void setRoles(List<String> roles) {
			this.roles = roles;
		}

		public List<String> getFriends() {
			return this.friends;
		}

		public void setFriends(List<String> friends) {
			this.friends = friends;
		}

		public @Nullable String getRole() {
			return this.role;
		}

		public void setRole(@Nullable String role) {
			this.role = role;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public int getMissedHeartbeats() {
			return this.missedHeartbeats;
		}

		public void setMissedHeartbeats(int missedHeartbeats) {
			this.missedHeartbeats = missedHeartbeats;
		}

	}

	/**
	 * STOMP heart-beats.
	 */
	public static class Heartbeat {

		/**
		 * How often to send heart-beats when nothing else is sent. Zero switches them off.
		 */
		private Duration outgoing = Duration.ofSeconds(10);

		/**
		 * How often the broker should send heart-beats. A silent broker is taken as lost after three to four and a
		 * half intervals (if the broker agrees to the interval). Zero switches them off.
		 */
		private Duration incoming = Duration.ofSeconds(2);

		public Duration getOutgoing() {
			return this.outgoing;
		}

		public void setOutgoing(Duration outgoing) {
			this.outgoing = outgoing;
		}

		public Duration getIncoming() {
			return this.incoming;
		}

		public void setIncoming(Duration incoming) {
			this.incoming = incoming;
		}

	}

	/**
	 * Reconnection after a lost or failed connection. The first retry after a drop is immediate; later ones back off
	 * exponentially.
	 */
	public static class Reconnect {

		/**
		 * Delay before the first delayed retry.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Multiplier applied to the delay (and the jitter) after each retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Maximum delay between retries.
		 */
		private Duration maxInterval = Duration.ofSeconds(5);

		/**
		 * Random variation added to or taken from each delay, so that many clients do not retry at once.
		 */
		private Duration jitter = Duration.ofMillis(500);

		/**
		 * Maximum number of delayed retries before the connection fails for good. Unlimited when not set.
		 */
		private @Nullable Long maxAttempts;

		/**
		 * How often to check, with a plain TCP connect to the broker's host and port, whether a broker that could
		 * not be reached is back, while the connection waits to reconnect; when it is, the client reconnects at
		 * once instead of when its back-off ends. 0 turns the check off.
		 */
		private Duration probeInterval = Duration.ofMillis(250);

		public Duration getProbeInterval() {
			return this.probeInterval;
		}

		public void setProbeInterval(Duration probeInterval) {
			this.probeInterval = probeInterval;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

		public @Nullable Long getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Long maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/**
	 * Saved session.
	 */
	public static class Session {

		/**
		 * Where to save the logged-in session: 'jpa', 'jdbc' (the same table without JPA) or 'memory'. Defaults to
		 * 'jpa' when Spring Data JPA is present, otherwise to 'jdbc' when there is a single DataSource, otherwise to
		 * 'memory'.
		 */
		private @Nullable Store store;

		/**
		 * Key that encrypts the auth token at rest (AES-GCM): Base64 of 16, 24 or 32 random bytes, for example from
		 * 'openssl rand -base64 32'. Tokens are saved in clear when not set.
		 */
		private @Nullable String encryptionKey;

		public @Nullable String getEncryptionKey() {
			return this.encryptionKey;
		}

		public void setEncryptionKey(@Nullable String encryptionKey) {
			this.encryptionKey = encryptionKey;
		}

		@Override
		public String toString() {
			return "Session[store=" + this.store + ", encryptionKey=" + ((this.encryptionKey != null) ? "******" : null)
					+ "]";
		}

		public @Nullable Store getStore() {
			return this.store;
		}

		public void setStore(@Nullable Store store) {
			this.store = store;
		}

		/**
		 * Session stores.
		 */
		public enum Store {

			/**
			 * In a JPA repository: survives restarts.
			 */
			JPA,

			/**
			 * In the same table with plain JDBC (no entity in the application's persistence unit, no JPA needed):
			 * survives restarts.
			 */
			JDBC,

			/**
			 * In memory: lost on restart.
			 */
			MEMORY

		}

	}

	/**
	 * Service account logged in at start when no session is saved.
	 */
	/**
	 * The connection manager's sessions, one per user.
	 */
	public static class ConnectionManager {

		/**
		 * Maximum number of saved sessions whose first connection attempt may be in flight at once while they reconnect
		 * at start.
		 */
		private int restoreConcurrency = 64;

		public int getRestoreConcurrency() {
			return this.restoreConcurrency;
		}

		public void setRestoreConcurrency(int restoreConcurrency) {
			this.restoreConcurrency = restoreConcurrency;
		}

	}

	/**
	 * Several replicas of the application on one database.
	 */
	public static class Cluster {

		/**
		 * How the connection manager's saved sessions are shared between instances: 'single' (every instance restores
		 * every saved session: for one instance), 'lease' (each saved session is held by exactly one instance, through
		 * leases in the session database; needs the JPA or JDBC session store) or 'auto' ('lease' when
		 * spring.datasource.url is a PostgreSQL, MySQL or MariaDB database, which instances can share; 'single'
		 * otherwise).
		 */
		private ClusterMode mode = ClusterMode.SINGLE;

		/**
		 * How long an instance counts as alive after its last renewal, on the database's clock; a dead instance's
		 * sessions are taken after it.
		 */
		private Duration leaseTtl = Duration.ofSeconds(5);

		/**
		 * How often an instance renews its lease and looks for sessions to take.
		 */
		private Duration renewInterval = Duration.ofSeconds(1);

		/**
		 * How long before its lease expires in the database an instance stops acting for its sessions by itself (covers
		 * the drift between its clock and the database's over one lease).
		 */
		private Duration leaseMargin = Duration.ofSeconds(1);

		public ClusterMode getMode() {
			return this.mode;
		}

		public void setMode(ClusterMode mode) {
			this.mode = mode;
		}

		public Duration getLeaseTtl() {
			return this.leaseTtl;
		}

		public void setLeaseTtl(Duration leaseTtl) {
			this.leaseTtl = leaseTtl;
		}

		public Duration getRenewInterval() {
			return this.renewInterval;
		}

		public void setRenewInterval(Duration renewInterval) {
			this.renewInterval = renewInterval;
		}

		public Duration getLeaseMargin() {
			return this.leaseMargin;
		}

		public void setLeaseMargin(Duration leaseMargin) {
			this.leaseMargin = leaseMargin;
		}

	}

	/**
	 * How instances share the saved sessions.
	 */
	public enum ClusterMode {

		/**
		 * One instance: every saved session is restored.
		 */
		SINGLE,

		/**
		 * Several instances: each saved session is held by one of them, through leases in the database.
		 */
		LEASE,

		/**
		 * {@code LEASE} on a database that instances can share (PostgreSQL, MySQL, MariaDB), {@code SINGLE} on any
		 * other (an embedded one).
		 */
		AUTO

	}

	public static class User {

		/**
		 * Id of the user to log in at start when no session is saved.
		 */
		private @Nullable String uid;

		/**
		 * Auth token of the user to log in at start when no session is saved.
		 */
		private @Nullable String authToken;

		public @Nullable String getUid() {
			return this.uid;
		}

		public void setUid(@Nullable String uid) {
			this.uid = uid;
		}

		public @Nullable String getAuthToken() {
			return this.authToken;
		}

		public void setAuthToken(@Nullable String authToken) {
			this.authToken = authToken;
		}

		@Override
		public String toString() {
			return "User[uid=" + this.uid + ", authToken=" + ((this.authToken != null) ? "******" : null) + "]";
		}

	}

}
