package com.cometchat.spring.health;

import java.net.URI;
import java.net.URISyntaxException;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;

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

	private final CometChatClient client;

	private final String url;

	/**
	 * Create an indicator.
	 * @param client the client
	 * @param url the broker URL; user info, query and fragment are not shown
	 */
	public CometChatHealthIndicator(CometChatClient client, URI url) {
		super("CometChat health check failed");
		this.client = client;
		this.url = withoutSecrets(url);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ConnectionSnapshot snapshot = this.client.getConnectionSnapshot();
		ConnectionState state = snapshot.state();
		CometChatException lastError = snapshot.lastError();
		boolean storeDown = lastError != null && lastError.getCode() == ErrorCode.SESSION_STORE_ERROR;
		builder.status((storeDown && state != ConnectionState.CONNECTED) ? Status.DOWN : status(state))
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
