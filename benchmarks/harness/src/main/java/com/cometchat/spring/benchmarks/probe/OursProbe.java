package com.cometchat.spring.benchmarks.probe;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatClientBuilder;
import com.cometchat.spring.client.ConnectionListener;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.session.InMemorySessionStore;

/**
 * Our client with its defaults (or a heart-beat given): logged in, so subscribed to its inbox; a message there counts
 * as received when its {@code MessageListener} sees it.
 *
 * @author CometChat
 */
public final class OursProbe extends Probe {

	private static final String APP_ID = "bench";

	private final DefaultCometChatClient client;

	private final String uid;

	public OursProbe(String name, String url, String uid, Duration heartbeat) {
		super(name);
		this.uid = uid;
		CometChatClientBuilder builder = CometChatClient.builder()
			.url(URI.create(url))
			.appId(APP_ID)
			.sessionStore(new InMemorySessionStore());
		if (heartbeat != null) {
			builder.heartbeat(heartbeat, heartbeat);
		}
		this.client = builder.build();
		this.client.addMessageListener("probe", (message) -> received(Instant.now()));
		this.client.addConnectionListener("probe", new ConnectionListener() {
			@Override
			public void onStateChange(ConnectionStateChange change) {
				if (change.current() == ConnectionState.CONNECTED) {
					connected(change.timestamp());
				}
				else if (change.previous() == ConnectionState.CONNECTED) {
					lost(change.timestamp(), String.valueOf(change.reason()));
				}
			}
		});
	}

	@Override
	public void start() {
		this.client.start();
		this.client.login(this.uid, ArtemisBrokerMain.PASSCODE);
	}

	/**
	 * The user's inbox with the default {@code Destinations}.
	 */
	@Override
	public String destination() {
		return "/queue/cometchat." + APP_ID + ".user." + this.uid;
	}

	@Override
	public boolean isConnected() {
		return this.client.getConnectionState() == ConnectionState.CONNECTED;
	}

	@Override
	public void close() {
		this.client.close();
	}

}
