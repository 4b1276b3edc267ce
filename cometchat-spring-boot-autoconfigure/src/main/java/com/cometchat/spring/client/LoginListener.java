package com.cometchat.spring.client;

/**
 * Listener for logins and logouts of a {@link CometChatClient}. Restoring a saved session at start is not a login.
 *
 * @author CometChat
 */
public interface LoginListener {

	/**
	 * Called when a login succeeded.
	 * @param user the logged-in user
	 */
	default void loginSuccess(CometChatUser user) {
	}

	/**
	 * Called when a login failed.
	 * @param error why
	 */
	default void loginFailure(CometChatException error) {
	}

	/**
	 * Called when a logout succeeded.
	 */
	default void logoutSuccess() {
	}

	/**
	 * Called when a logout failed.
	 * @param error why
	 */
	default void logoutFailure(CometChatException error) {
	}

}
