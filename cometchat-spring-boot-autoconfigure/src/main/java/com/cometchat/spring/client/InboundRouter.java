package com.cometchat.spring.client;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a message from the broker: decoded on the transport's thread, refused (and so not acknowledged)
 * when its session ended, then, in order on the listener dispatcher, a second copy (a resend after a drop) dropped by
 * its id, what the user did themselves (their group messages, edits, reactions, typing) and the presence of users
 * nobody watches dropped, an edit by anybody else than the message's sender dropped, the presence of watched users
 * handed to their {@link PresenceTimeouts}, and the rest handed to the listeners. A body of a kind or version this
 * client does not know is taken and counted, never delivered.
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

	private final RecentMessages recentMessages;

	private final TypingTimeouts typing;

	private final PresenceTimeouts presences;

	/** The header in which the broker vouches for the sender of a message, or {@code null} for none. */
	private final @Nullable String senderHeader;

	/** Whether a message whose sender the broker did not vouch for is dropped. */
	private final boolean dropUnverified;

	/** When the connection was established: a transient event sent before that is stale. */
	private final Supplier<Instant> connectedAt;

	/** Marks a received message delivered, or {@code null} when messages are not marked by themselves. */
	private final @Nullable Consumer<ChatMessage> markDelivered;

	InboundRouter(MessageCodec codec, ListenerDispatcher dispatcher, CometChatClientObserver observer,
			LongSupplier currentEpoch, Supplier<@Nullable CometChatUser> currentUser,
			PresenceSubscription presenceSubscription, Set<String> presenceRoles, Set<String> presenceFriends,
			RecentMessages recentMessages, TypingTimeouts typing, PresenceTimeouts presences,
			Supplier<Instant> connectedAt, @Nullable Consumer<ChatMessage> markDelivered,
			@Nullable String senderHeader, boolean dropUnverified) {
		this.codec = codec;
		this.senderHeader = senderHeader;
		this.dropUnverified = dropUnverified;
		this.presences = presences;
		this.connectedAt = connectedAt;
		this.recentMessages = recentMessages;
		this.typing = typing;
		this.markDelivered = markDelivered;
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
		if (this.senderHeader != null && decoded instanceof ChatMessage message) {
			if (message.sender().equals(headers.get(this.senderHeader))) {
				decoded = message.withSenderVerified();
			}
			else if (this.dropUnverified) {
				logger.warn("Dropped message " + message.id() + " on " + headers.getOrDefault("destination", subscriptionId)
						+ ": the broker did not vouch that '" + message.sender() + "' sent it");
				observe(this.observer::eventIgnored);
				return true;
			}
		}
		Object routed = decoded;
		this.dispatcher.deliver(epoch, () -> route(routed, epoch));
		return true;
	}

	private void route(Object decoded, long epoch) {
		CometChatUser me = this.currentUser.get();
		String uid = (me != null) ? me.uid() : null;
		if (decoded instanceof ChatMessage message) {
			if (!this.recentIds.add(message.id())) {
				observe(this.observer::duplicateDropped);
				return;
			}
			this.recentMessages.remember(RecentMessages.Message.of(message));
			if (message.sender().equals(uid)) {
				return;
			}
			observe(this.observer::messageReceived);
			if (this.markDelivered != null) {
				this.markDelivered.accept(message);
			}
			this.dispatcher.messageReceived(message);
		}
		else if (decoded instanceof MessageCodec.Presence announced) {
			UserPresence presence = announced.presence();
			if (presence.uid().equals(uid) || !isWatched(presence)) {
				return;
			}
			this.presences.received(presence, announced.every(), epoch);
		}
		else if (decoded instanceof TypingIndicator typing) {
			if (!typing.sender().equals(uid) && !isStale(typing.at())) {
				this.typing.received(typing, epoch);
			}
		}
		else if (decoded instanceof TransientMessage message) {
			if (!message.sender().equals(uid) && !isStale(message.sentAt())) {
				this.dispatcher.eventReceived(message);
			}
		}
		else if (decoded instanceof MessageCodec.Durable durable) {
			if (!this.recentIds.add(durable.id())) {
				observe(this.observer::duplicateDropped);
				return;
			}
			if (!byThemselves(durable.event(), uid) && isGenuine(durable.event())) {
				this.dispatcher.eventReceived(durable.event());
			}
		}
		else if (decoded instanceof MessageCodec.Ignored ignored) {
			if (logger.isDebugEnabled()) {
				logger.debug("Ignored a body of " + ignored.what());
			}
			observe(this.observer::eventIgnored);
		}
	}

	/**
	 * Whether a transient event was sent before the connection it came on was established: a broker that kept it in
	 * the user's queue while they were away must not deliver it now. By the sender's clock, so a sender whose clock is
	 * behind loses the events it sends right after the receiver connects.
	 */
	private boolean isStale(Instant sentAt) {
		return sentAt.isBefore(this.connectedAt.get());
	}

	/**
	 * Whether the user did it themselves: their edits, reactions and receipts, and their own joining and leaving,
	 * come back on a group's topic. A change made to them by somebody else (kicked, added) is theirs to hear.
	 */
	private static boolean byThemselves(Object event, @Nullable String uid) {
		if (uid == null) {
			return false;
		}
		if (event instanceof MessageReceipt receipt) {
			return receipt.sender().equals(uid);
		}
		if (event instanceof MessageEdit edit) {
			return edit.editor().equals(uid);
		}
		if (event instanceof MessageReaction reaction) {
			return reaction.uid().equals(uid);
		}
		return event instanceof GroupMemberEvent member && uid.equals(member.actor());
	}

	/**
	 * An edit or deletion of a message this client remembers must come from its sender.
	 */
	private boolean isGenuine(Object event) {
		if (event instanceof MessageEdit edit) {
			RecentMessages.Message original = this.recentMessages.find(edit.messageId());
			if (original != null && !original.sender().equals(edit.editor())) {
				logger.warn("Dropped an edit of message " + edit.messageId() + " by '" + edit.editor()
						+ "', who did not send it");
				observe(this.observer::eventIgnored);
				return false;
			}
		}
		return true;
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
