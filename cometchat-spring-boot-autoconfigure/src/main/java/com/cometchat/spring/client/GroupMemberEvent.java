package com.cometchat.spring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A change of a group's members: a member joined or left (announced by their client's {@code joinGroup} and
 * {@code leaveGroup}), or, published by another party such as the application's server, was kicked, banned,
 * unbanned, added or given another scope. The wire format is in {@code docs/protocol.md}.
 *
 * @param action what happened
 * @param guid the group
 * @param member the uid of the member it happened to
 * @param actor the uid of who did it (the member itself for joined and left), or {@code null} when not said
 * @param scope the member's new scope for {@link Action#SCOPE_CHANGED} and {@link Action#ADDED}, such as
 * {@code participant}, {@code moderator} or {@code admin}; otherwise {@code null} unless said
 * @param at when it happened, by the actor's clock
 * @author CometChat
 */
public record GroupMemberEvent(Action action, String guid, String member, @Nullable String actor,
		@Nullable String scope, Instant at) {

	/**
	 * What happened to the member.
	 */
	public enum Action {

		/** The member joined the group. */
		JOINED("joined"),

		/** The member left the group. */
		LEFT("left"),

		/** The actor removed the member from the group. */
		KICKED("kicked"),

		/** The actor removed the member and banned them from joining again. */
		BANNED("banned"),

		/** The actor lifted the member's ban. */
		UNBANNED("unbanned"),

		/** The actor changed the member's scope. */
		SCOPE_CHANGED("scopeChanged"),

		/** The actor added the member to the group. */
		ADDED("added");

		private final String wireName;

		Action(String wireName) {
			this.wireName = wireName;
		}

		/**
		 * Return the name of the action in the JSON of the event.
		 * @return the wire name
		 */
		public String wireName() {
			return this.wireName;
		}

		static @Nullable Action fromWireName(@Nullable String name) {
			for (Action action : values()) {
				if (action.wireName.equals(name)) {
					return action;
				}
			}
			return null;
		}

	}

}
