package com.cometchat.spring.health;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.client.ErrorCode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * {@link org.springframework.boot.health.contributor.HealthIndicator} for the socket of a {@link CometChatClient}.
 * It reads the connection state and does no I/O: {@code UP} when connected; {@code DOWN} while connecting,
 * reconnecting or failed, and while the saved session cannot be loaded ({@code SESSION_STORE_ERROR}); {@code UNKNOWN}
 * before the first connect and after a deliberate disconnect.
 *
 * @author CometChat
 */
public class CometChatHealthIndicator extends AbstractHealthIndicator {

	/** How many failing sessions the details name, at most. */
	private static final int FAILING_SHOWN = 5;

	private final CometChatClient client;

	private final @Nullable DefaultCometChatConnectionManager manager;

	private final String url;

	/**
	 * Create an indicator.
	 * @param client the client
	 * @param url the broker URL; user info, query and fragment are not shown
	 */
	public CometChatHealthIndicator(CometChatClient client, URI url) {
		this(client, null, url);
	}

	/**
	 * Create an indicator that also covers the sessions of a connection manager: the status is the worse of the
	 * single client's and the sessions' ({@code DOWN} when one that should be connected is not); the details count the
	 * sessions per state and name the first few failing ones, never all of them.
	 * @param client the client
	 * @param manager the connection manager, or {@code null}
	 * @param url the broker URL; user info, query and fragment are not shown
	 */
	public CometChatHealthIndicator(CometChatClient client, @Nullable DefaultCometChatConnectionManager manager,
			URI url) {
		super("CometChat health check failed");
		this.client = client;
		this.manager = manager;
		this.url = withoutSecrets(url);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Status status = clientHealth(builder);
		DefaultCometChatConnectionManager manager = this.manager;
		if (manager != null) {
			status = worse(status, sessionsHealth(manager, builder));
		}
		builder.status(status);
	}

	private Status sessionsHealth(DefaultCometChatConnectionManager manager, Health.Builder builder) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		List<String> failing = new ArrayList<>();
		int down = 0;
		int up = 0;
		for (CometChatClient session : manager.getClients()) {
			ConnectionSnapshot snapshot = session.getConnectionSnapshot();
			counts.merge(snapshot.state().name(), 1, Integer::sum);
			Status status = status(snapshot.state());
			if (status == Status.DOWN) {
				down++;
				if (failing.size() < FAILING_SHOWN) {
					CometChatException lastError = snapshot.lastError();
					failing.add(session.getLoggedInUser().map(CometChatUser::uid).orElse("?") + ": "
							+ snapshot.state() + ((lastError != null) ? " (" + lastError.getCode() + ": "
									+ lastError.getMessage() + ")" : ""));
				}
			}
			else if (status == Status.UP) {
				up++;
			}
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("total", counts.values().stream().mapToInt(Integer::intValue).sum());
		details.put("byState", counts);
		if (!failing.isEmpty()) {
			details.put("failing", failing);
		}
		CometChatException restoreError = manager.getRestoreError();
		if (restoreError != null) {
			details.put("restoreError", restoreError.getCode() + ": " + restoreError.getMessage());
		}
		com.cometchat.spring.cluster.LeaseKeeper leases = manager.getLeases();
		if (leases != null) {
			// This replica's part: how many sessions it holds, and whether it may act for them now
			Map<String, Object> cluster = new LinkedHashMap<>();
			int held = leases.held().size();
			cluster.put("replica", leases.getReplicaId());
			cluster.put("role", (held > 0) ? "holder" : "standby");
			cluster.put("held", held);
			cluster.put("mayAct", leases.mayAct());
			details.put("cluster", cluster);
		}
		builder.withDetail("sessions", details);
		return (down > 0 || restoreError != null) ? Status.DOWN : (up > 0) ? Status.UP : Status.UNKNOWN;
	}

	private static Status worse(Status first, Status second) {
		if (first == Status.DOWN || second == Status.DOWN) {
			return Status.DOWN;
		}
		return (first == Status.UP || second == Status.UP) ? Status.UP : Status.UNKNOWN;
	}

	private Status clientHealth(Health.Builder builder) {
		ConnectionSnapshot snapshot = this.client.getConnectionSnapshot();
		ConnectionState state = snapshot.state();
		CometChatException lastError = snapshot.lastError();
		boolean storeDown = lastError != null && lastError.getCode() == ErrorCode.SESSION_STORE_ERROR;
		Status status = (storeDown && state != ConnectionState.CONNECTED) ? Status.DOWN : status(state);
		builder
			.withDetail("state", state)
			.withDetail("status", state.status())
			.withDetail("url", this.url)
			.withDetail("since", snapshot.since());
		this.client.getLoggedInUser().ifPresent((user) -> builder.withDetail("user", user.uid()));
		if (state == ConnectionState.RECONNECTING || state == ConnectionState.FAILED) {
			builder.withDetail("attempt", snapshot.attempt());
			if (snapshot.retryIn() != null) {
				builder.withDetail("retryIn", snapshot.retryIn());
			}
		}
		if (lastError != null && state != ConnectionState.CONNECTED) {
			builder.withDetail("lastError", lastError.getCode() + ": " + lastError.getMessage());
		}
		return status;
	}

	private static Status status(ConnectionState state) {
		return switch (state) {
			case CONNECTED -> Status.UP;
			case CONNECTING, RECONNECTING, FAILED -> Status.DOWN;
			case INITIALIZED, DISCONNECTED -> Status.UNKNOWN;
		};
	}

	/**
	 * Return a URL without user info, query and fragment, fit to show.
	 * @param url the URL
	 * @return the URL to show
	 */
	public static String withoutSecrets(URI url) {
		try {
			return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
		}
		catch (URISyntaxException ex) {
			return url.getScheme() + "://" + url.getHost();
		}
	}

}
