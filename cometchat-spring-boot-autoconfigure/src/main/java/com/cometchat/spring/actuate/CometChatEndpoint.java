package com.cometchat.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.cluster.LeaseKeeper;
import com.cometchat.spring.cluster.ReplicaInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link Endpoint @Endpoint} {@code cometchat}: the connection of the CometChat client ({@code GET}) and control
 * of its socket ({@code POST /actuator/cometchat/connect} and {@code /disconnect}), in auto and manual mode alike.
 * Never shows the auth token. Exposed over the web only when the application exposes it, like every endpoint.
 *
 * @author CometChat
 */
@Endpoint(id = "cometchat")
@ImportRuntimeHints(CometChatEndpointRuntimeHints.class)
public class CometChatEndpoint {

	/** The largest page of sessions. */
	private static final int MAX_PAGE_SIZE = 500;

	private final CometChatClient client;

	private final @Nullable DefaultCometChatConnectionManager manager;

	private final String url;

	/**
	 * Create the endpoint.
	 * @param client the client
	 * @param url the broker URL, without secrets
	 */
	public CometChatEndpoint(CometChatClient client, String url) {
		this(client, null, url);
	}

	/**
	 * Create the endpoint, with the sessions of a connection manager.
	 * @param client the client
	 * @param manager the connection manager, or {@code null}
	 * @param url the broker URL, without secrets
	 */
	public CometChatEndpoint(CometChatClient client, @Nullable DefaultCometChatConnectionManager manager, String url) {
		this.client = client;
		this.manager = manager;
		this.url = url;
	}

	/**
	 * A part of the endpoint: {@code GET /actuator/cometchat/sessions?page=0&size=20} (see
	 * {@link #sessions(String, Integer, Integer)}) or {@code GET /actuator/cometchat/replicas?uid=} (see
	 * {@link #replicas(String, String)}).
	 * @param part {@code sessions} or {@code replicas}
	 * @param page the page of sessions, from 0
	 * @param size the page size of sessions
	 * @param uid a user whose holder to look up among the replicas
	 * @return the part, or {@code null} (404)
	 */
	@ReadOperation
	public @Nullable Object part(@Selector String part, @Nullable Integer page, @Nullable Integer size,
			@Nullable String uid) {
		return switch (part) {
			case "sessions" -> sessions(part, page, size);
			case "replicas" -> replicas(part, uid);
			default -> null;
		};
	}

	/**
	 * The sessions of the connection manager, a page at a time, ordered by uid: {@code GET
	 * /actuator/cometchat/sessions?page=0&size=20}.
	 * @param sessions the literal {@code sessions}
	 * @param page the page, from 0
	 * @param size the page size (at most 500)
	 * @return the page
	 */
	public @Nullable SessionsPage sessions(@Selector String sessions, @Nullable Integer page, @Nullable Integer size) {
		DefaultCometChatConnectionManager manager = this.manager;
		if (manager == null || !"sessions".equals(sessions)) {
			return null;
		}
		int pageSize = Math.max(1, Math.min((size != null) ? size : 20, MAX_PAGE_SIZE));
		int pageNumber = Math.max(0, (page != null) ? page : 0);
		List<CometChatClient> all = manager.getClients()
			.stream()
			.sorted(Comparator.comparing((CometChatClient session) -> uid(session)))
			.toList();
		List<SessionDescriptor> content = all.stream()
			.skip((long) pageNumber * pageSize)
			.limit(pageSize)
			.map(this::describe)
			.toList();
		Map<String, Integer> byState = new LinkedHashMap<>();
		manager.countByState().forEach((state, count) -> byState.put(state.name(), count));
		return new SessionsPage(pageNumber, pageSize, all.size(), byState, content);
	}

	/**
	 * The replicas that share the connection manager's saved sessions ({@code cometchat.cluster.mode=lease}), as the
	 * database sees them: {@code GET /actuator/cometchat/replicas}, and with {@code ?uid=} which one holds that user.
	 * @param replicas the literal {@code replicas}
	 * @param uid a user to look up, or {@code null}
	 * @return the replicas, or {@code null} (404) without leases
	 */
	public @Nullable ReplicasDescriptor replicas(@Selector String replicas, @Nullable String uid) {
		DefaultCometChatConnectionManager manager = this.manager;
		LeaseKeeper leases = (manager != null) ? manager.getLeases() : null;
		if (leases == null || !"replicas".equals(replicas)) {
			return null;
		}
		return new ReplicasDescriptor(leases.getReplicaId(), leases.held().size(), leases.mayAct(), leases.replicas(),
				uid, (uid != null) ? leases.holderOf(uid) : null);
	}

	/**
	 * Connect, disconnect or log out one session of the connection manager: {@code POST
	 * /actuator/cometchat/sessions/{uid}/{action}}. Returns at once with the session after the request was taken.
	 * @param sessions the literal {@code sessions}
	 * @param uid the session's user
	 * @param action {@code connect}, {@code disconnect} or {@code logout}
	 * @return the session, or {@code null} (404) when the uid is not logged in
	 */
	@WriteOperation
	public @Nullable SessionDescriptor controlSession(@Selector String sessions, @Selector String uid,
			@Selector SessionAction action) {
		DefaultCometChatConnectionManager manager = this.manager;
		if (manager == null || !"sessions".equals(sessions)) {
			return null;
		}
		CometChatClient session = manager.getClient(uid).orElse(null);
		if (session == null) {
			return null;
		}
		switch (action) {
			case CONNECT -> manager.connect(uid).exceptionally((failure) -> null);
			case DISCONNECT -> manager.disconnect(uid).orTimeout(5, TimeUnit.SECONDS).exceptionally((failure) -> null)
				.join();
			case LOGOUT -> manager.logout(uid).orTimeout(5, TimeUnit.SECONDS).exceptionally((failure) -> null).join();
		}
		return describe(session);
	}

	private SessionDescriptor describe(CometChatClient session) {
		ConnectionSnapshot snapshot = session.getConnectionSnapshot();
		CometChatException lastError = snapshot.lastError();
		return new SessionDescriptor(uid(session), snapshot.state().name(), snapshot.state().status(),
				snapshot.since(), snapshot.attempt(), snapshot.retryIn(),
				(lastError != null) ? lastError.getCode() + ": " + lastError.getMessage() : null,
				session == this.client);
	}

	private static String uid(CometChatClient session) {
		return session.getLoggedInUser().map(CometChatUser::uid).orElse("");
	}

	@ReadOperation
	public ConnectionDescriptor connection() {
		ConnectionSnapshot snapshot = this.client.getConnectionSnapshot();
		CometChatException lastError = snapshot.lastError();
		List<String> subscriptions = List.of();
		@Nullable Integer pendingSends = null;
		@Nullable Boolean auto = null;
		if (this.client instanceof DefaultCometChatClient client) {
			subscriptions = List.copyOf(client.getSubscriptions().orTimeout(5, TimeUnit.SECONDS).join().values());
			pendingSends = client.getPendingSends().orTimeout(5, TimeUnit.SECONDS).join();
			auto = client.isAutoEstablishSocketConnection();
		}
		return new ConnectionDescriptor(snapshot.state().name(), snapshot.state().status(),
				this.client.getLoggedInUser().map(CometChatUser::uid).orElse(null), this.url, auto, snapshot.since(),
				snapshot.attempt(), snapshot.retryIn(),
				(lastError != null) ? lastError.getCode() + ": " + lastError.getMessage() : null, subscriptions,
				pendingSends);
	}

	/**
	 * Connect or disconnect the socket. Returns at once with the state after the request was taken.
	 * @param action {@code connect} or {@code disconnect}
	 * @return the connection
	 */
	@WriteOperation
	public ConnectionDescriptor control(@Selector Action action) {
		switch (action) {
			case CONNECT -> this.client.connect().exceptionally((failure) -> null);
			case DISCONNECT -> this.client.disconnect()
				.orTimeout(5, TimeUnit.SECONDS)
				.exceptionally((failure) -> null)
				.join();
		}
		return connection();
	}

	/**
	 * Actions on the socket.
	 */
	public enum Action {

		/**
		 * Connect the socket (completes later; the answer shows the state right after the request).
		 */
		CONNECT,

		/**
		 * Disconnect the socket and stop reconnecting.
		 */
		DISCONNECT

	}

	/**
	 * Actions on one session of the connection manager.
	 */
	public enum SessionAction {

		/**
		 * Connect the session's socket.
		 */
		CONNECT,

		/**
		 * Disconnect it; the session stays saved.
		 */
		DISCONNECT,

		/**
		 * Log the user out: socket closed, saved session deleted.
		 */
		LOGOUT

	}

	/**
	 * A page of the connection manager's sessions.
	 *
	 * @param page the page, from 0
	 * @param size the page size
	 * @param total the number of sessions
	 * @param byState the number of sessions in each state
	 * @param sessions the sessions of this page
	 */
	public record SessionsPage(int page, int size, int total, Map<String, Integer> byState,
			List<SessionDescriptor> sessions) {

	}

	/**
	 * The replicas sharing the sessions.
	 *
	 * @param thisReplica the id this replica is registered under
	 * @param heldHere the sessions this replica holds
	 * @param mayAct whether this replica may act for them now
	 * @param replicas every replica, as the database sees it
	 * @param uid the user looked up, if any
	 * @param holder the replica that holds that user, if any
	 */
	public record ReplicasDescriptor(@Nullable String thisReplica, int heldHere, boolean mayAct,
			List<ReplicaInfo> replicas, @Nullable String uid, @Nullable String holder) {

	}

	/**
	 * One session, without its token.
	 *
	 * @param uid the user
	 * @param state the state
	 * @param status the state in CometChat's words
	 * @param since when the state was entered
	 * @param attempt the reconnect attempt
	 * @param retryIn the delay before the next attempt
	 * @param lastError the last failure
	 * @param singleClient whether this is the application's single client
	 */
	public record SessionDescriptor(String uid, String state, String status, Instant since, int attempt,
			@Nullable Duration retryIn, @Nullable String lastError, boolean singleClient) {

	}

	/**
	 * What the endpoint shows.
	 *
	 * @param state the state
	 * @param status the state in CometChat's words
	 * @param user the logged-in uid
	 * @param url the broker URL
	 * @param autoEstablishSocketConnection whether the client connects by itself
	 * @param since when the state was entered
	 * @param attempt the reconnect attempt
	 * @param retryIn the delay before the next attempt
	 * @param lastError the last failure
	 * @param subscriptions the destinations subscribed to
	 * @param pendingSends sends waiting for a connection or a receipt
	 */
	public record ConnectionDescriptor(String state, String status, @Nullable String user, String url,
			@Nullable Boolean autoEstablishSocketConnection, Instant since, int attempt, @Nullable Duration retryIn,
			@Nullable String lastError, List<String> subscriptions, @Nullable Integer pendingSends) {

	}

}
