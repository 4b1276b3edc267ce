package com.cometchat.spring.client;

/**
 * Listener for the presence of other users, as selected by the client's {@link PresenceSubscription}. A user is
 * online while their socket is connected; a user that closes their socket on purpose goes offline at once.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface UserListener {

	/**
	 * Called for every presence change.
	 * @param presence the change
	 */
	void onPresenceChange(UserPresence presence);

	/**
	 * Called when a user comes online.
	 * @param presence the change
	 */
	default void onUserOnline(UserPresence presence) {
	}

	/**
	 * Called when a user goes offline.
	 * @param presence the change
	 */
	default void onUserOffline(UserPresence presence) {
	}

}
