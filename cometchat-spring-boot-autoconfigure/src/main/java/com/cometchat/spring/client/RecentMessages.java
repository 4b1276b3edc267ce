package com.cometchat.spring.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The messages a client sent or received most recently, by id: who sent each and where it went, so that
 * {@code markAsRead(id)}, {@code editMessage(id, …)} and {@code addReaction(id, …)} know where to send, and an edit
 * by anybody else than the sender is recognised. Bounded: the oldest is forgotten first. Thread-safe.
 *
 * @author CometChat
 */
final class RecentMessages {

	/** How many messages a client remembers. */
	static final int CAPACITY = 1_000;

	private final Map<String, Message> messages = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Message> eldest) {
			return size() > CAPACITY;
		}

	};

	synchronized void remember(Message message) {
		this.messages.putIfAbsent(message.id(), message);
	}

	synchronized @Nullable Message find(String id) {
		return this.messages.get(id);
	}

	/**
	 * What is remembered of a message.
	 * @param id its id
	 * @param sender who sent it
	 * @param receiverType whether it went to a user or a group
	 * @param receiver the uid or guid it went to
	 */
	record Message(String id, String sender, ReceiverType receiverType, String receiver) {

		static Message of(ChatMessage message) {
			return new Message(message.id(), message.sender(), message.receiverType(), message.receiver());
		}

		/**
		 * Return where an event about this message goes, seen from a user: the group, or the other party of a
		 * conversation between two users.
		 * @param me the user sending the event
		 * @return the receiver type and the uid or guid
		 */
		Message counterpartOf(String me) {
			if (this.receiverType == ReceiverType.GROUP) {
				return this;
			}
			return new Message(this.id, this.sender, ReceiverType.USER,
					me.equals(this.sender) ? this.receiver : this.sender);
		}

	}

}
