package com.cometchat.spring.client;

/**
 * Hears of the logins and logouts of a {@link CometChatConnectionManager}'s sessions, with the uid each is for. Called
 * on the callback executor.
 *
 * @author CometChat
 */
public interface SessionLoginListener {

	/**
	 * A user logged in.
	 * @param user the user
	 */
	default void loginSuccess(CometChatUser user) {
	}

	/**
	 * A login failed.
	 * @param uid the user
	 * @param error why
	 */
	default void loginFailure(String uid, CometChatException error) {
	}

	/**
	 * A user logged out.
	 * @param uid the user
	 */
	default void logoutSuccess(String uid) {
	}

	/**
	 * A logout failed.
	 * @param uid the user
	 * @param error why
	 */
	default void logoutFailure(String uid, CometChatException error) {
	}

}
