package com.cometchat.spring.client;

import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a message from the broker: decoded on the transport's thread, refused (and so not acknowledged)
 * when its session ended, then, in order on the listener dispatcher, a second copy (a resend after a drop) dropped by
 * its id, the user's own group messages and the presence of users nobody watches dropped, and the rest handed to the
 * listeners.
 *
 * @author CometChat
 */
final class InboundRouter {

	private static final Log logger = LogFactory.getLog(InboundRouter.class);

	private final MessageCodec codec;

	private final ListenerDispatcher dispatcher;

	private final CometChatClientObserver observer;

	private final LongSupplier currentEpoch;

	private final Supplier<@Nullable CometChatUser> currentUser;

	private final PresenceSubscription presenceSubscription;

	private final Set<String> presenceRoles;

	private final Set<String> presenceFriends;

	/** Confined to the dispatcher's queue. */
	private final RecentIds recentIds = new RecentIds(10_000);

	InboundRouter(MessageCodec codec, ListenerDispatcher dispatcher, CometChatClientObserver observer,
			LongSupplier currentEpoch, Supplier<@Nullable CometChatUser> currentUser,
			PresenceSubscription presenceSubscription, Set<String> presenceRoles, Set<String> presenceFriends) {
		this.codec = codec;
		this.dispatcher = dispatcher;
		this.observer = observer;
		this.currentEpoch = currentEpoch;
		this.currentUser = currentUser;
		this.presenceSubscription = presenceSubscription;
		this.presenceRoles = Set.copyOf(presenceRoles);
		this.presenceFriends = Set.copyOf(presenceFriends);
	}

	/**
	 * A message arrived (on a transport thread).
	 * @return whether it was taken; an unreadable message is taken (and reported) so that it is not delivered again
	 */
	boolean onMessage(long epoch, String subscriptionId, Map<String, String> headers, byte[] payload) {
		if (epoch != this.currentEpoch.getAsLong()) {
			return false;
		}
		Object decoded;
		try {
			decoded = this.codec.read(payload);
		}
		catch (CometChatException ex) {
			logger.warn("Dropped a message on " + headers.getOrDefault("destination", subscriptionId) + ": "
					+ ex.getMessage());
			return true;
		}
		this.dispatcher.deliver(epoch, () -> route(decoded));
		return true;
	}

	private void route(Object decoded) {
		CometChatUser me = this.currentUser.get();
		if (decoded instanceof ChatMessage message) {
			if (!this.recentIds.add(message.id())) {
				observe(this.observer::duplicateDropped);
				return;
			}
			if (me != null && me.uid().equals(message.sender())) {
				return;
			}
			observe(this.observer::messageReceived);
			this.dispatcher.messageReceived(message);
		}
		else if (decoded instanceof UserPresence presence) {
			if ((me != null && me.uid().equals(presence.uid())) || !isWatched(presence)) {
				return;
			}
			this.dispatcher.presenceChanged(presence);
		}
	}

	private boolean isWatched(UserPresence presence) {
		return switch (this.presenceSubscription) {
			case ALL_USERS -> true;
			case ROLES -> presence.role() != null && this.presenceRoles.contains(presence.role());
			case FRIENDS -> this.presenceFriends.contains(presence.uid());
			case NONE -> false;
		};
	}

	private static void observe(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("CometChat client observer failed", ex);
		}
	}

}
