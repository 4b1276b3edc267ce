package com.cometchat.spring.client;

import java.time.Clock;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Tells the others that the logged-in user is online (on every connect) or offline (before a deliberate disconnect,
 * logout or stop). Announcements are ephemeral: sent only while connected, never queued, resent or receipted.
 * Confined to the connection loop.
 *
 * @author CometChat
 */
final class PresenceAnnouncer {

	private final String destination;

	private final @Nullable String role;

	private final MessageCodec codec;

	private final Clock clock;

	private final ConnectionManager manager;

	PresenceAnnouncer(String destination, @Nullable String role, MessageCodec codec, Clock clock,
			ConnectionManager manager) {
		this.destination = destination;
		this.role = role;
		this.codec = codec;
		this.clock = clock;
		this.manager = manager;
	}

	void online(String uid) {
		announce(uid, true);
	}

	/**
	 * Announce the user offline if the socket is still connected.
	 * @param uid the user, or {@code null} for nobody
	 */
	void offline(@Nullable String uid) {
		if (uid != null) {
			announce(uid, false);
		}
	}

	private void announce(String uid, boolean online) {
		if (this.manager.state() != ConnectionState.CONNECTED) {
			return;
		}
		UserPresence presence = new UserPresence(uid, online, this.role, this.clock.instant());
		String id = UUID.randomUUID().toString();
		this.manager.send(OutboundMessage.json(id, this.destination, this.codec.write(presence, null), true))
			.exceptionally((failure) -> null);
	}

}
