package com.cometchat.spring.client;

/**
 * Listener for the member changes of the groups the logged-in user joined, CometChat's {@code GroupListener}. Each
 * event reaches a listener once; the user's own {@code joinGroup} and {@code leaveGroup} are not reported back to
 * them.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface GroupListener {

	/**
	 * Called for every member change.
	 * @param event the change
	 */
	void onGroupMemberEvent(GroupMemberEvent event);

	/**
	 * Called when a member joined a group.
	 * @param event the change
	 */
	default void onGroupMemberJoined(GroupMemberEvent event) {
	}

	/**
	 * Called when a member left a group.
	 * @param event the change
	 */
	default void onGroupMemberLeft(GroupMemberEvent event) {
	}

	/**
	 * Called when a member was kicked from a group.
	 * @param event the change
	 */
	default void onGroupMemberKicked(GroupMemberEvent event) {
	}

	/**
	 * Called when a member was banned from a group.
	 * @param event the change
	 */
	default void onGroupMemberBanned(GroupMemberEvent event) {
	}

	/**
	 * Called when a member's ban was lifted.
	 * @param event the change
	 */
	default void onGroupMemberUnbanned(GroupMemberEvent event) {
	}

	/**
	 * Called when a member's scope changed.
	 * @param event the change
	 */
	default void onGroupMemberScopeChanged(GroupMemberEvent event) {
	}

	/**
	 * Called when a member was added to a group.
	 * @param event the change
	 */
	default void onMemberAddedToGroup(GroupMemberEvent event) {
	}

}
