package com.cometchat.spring.client;

/**
 * Whose presence a client listens to, as in CometChat's app settings.
 *
 * @author CometChat
 */
public enum PresenceSubscription {

	/**
	 * Presence of all users.
	 */
	ALL_USERS,

	/**
	 * Presence of users with one of the configured roles.
	 */
	ROLES,

	/**
	 * Presence of the configured friends.
	 */
	FRIENDS,

	/**
	 * No presence.
	 */
	NONE

}
