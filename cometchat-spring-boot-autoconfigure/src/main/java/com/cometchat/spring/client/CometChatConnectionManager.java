package com.cometchat.spring.client;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Many logged-in users in one application: one {@link CometChatClient} per user, each with its own socket and saved
 * session (one row per app id and uid), all on shared threads and one WebSocket client. Every saved session reconnects
 * by itself at the next start in auto mode.
 *
 * <p>Per uid, the CometChat SDK's login rules apply: the same credentials complete at once, another token logs that
 * user out first, a second login while one is in flight fails with {@link ErrorCode#LOGIN_IN_PROGRESS}. Other users
 * are never touched.
 *
 * <p>The application's single {@link CometChatClient} bean is one of these sessions when it is logged in: the
 * manager's session for its uid is that client itself ({@link #login} for its uid applies the rules to it, and
 * {@link #getClients()} lists it). A uid the manager holds cannot be logged in through the single client.
 *
 * @author CometChat
 */
public interface CometChatConnectionManager {

	/**
	 * Log a user in, or apply the login rules to their session if they have one.
	 * @param uid the user's id
	 * @param authToken the user's auth token
	 * @return a future completing with the user's client once logged in and saved, or failing with a
	 * {@link CometChatException} ({@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#LOGIN_IN_PROGRESS},
	 * {@link ErrorCode#AUTH_REJECTED}, ...)
	 */
	CompletableFuture<CometChatClient> login(String uid, String authToken);

	/**
	 * Return the client of a logged-in user (or of one whose login is in flight).
	 * @param uid the user's id
	 * @return the client, or empty
	 */
	Optional<CometChatClient> getClient(String uid);

	/**
	 * Return the clients of every logged-in user, the single client's included when it is logged in.
	 * @return the clients
	 */
	Collection<CometChatClient> getClients();

	/**
	 * Log a user out: close their socket and delete their saved session.
	 * @param uid the user's id
	 * @return a future completing when done, or failing with {@link ErrorCode#USER_NOT_LOGGED_IN}
	 */
	CompletableFuture<Void> logout(String uid);

	/**
	 * Open a user's socket (manual mode, or after {@link #disconnect}).
	 * @param uid the user's id
	 * @return a future completing when connected
	 */
	CompletableFuture<Void> connect(String uid);

	/**
	 * Close a user's socket; their session stays saved.
	 * @param uid the user's id
	 * @return a future completing when the socket is closed
	 */
	CompletableFuture<Void> disconnect(String uid);

	/**
	 * Send a message as a user. With several replicas sharing the sessions, a replica that does not hold the user fails
	 * it with {@link ErrorCode#NOT_SESSION_HOLDER}, naming the replica that does (send it there).
	 * @param uid the sender
	 * @param message the message
	 * @return a future completing as {@link CometChatClient#sendMessage(OutgoingMessage)}'s does
	 */
	default CompletableFuture<SentMessage> sendMessage(String uid, OutgoingMessage message) {
		return getClient(uid).map((client) -> client.sendMessage(message))
			.orElseGet(() -> CompletableFuture.failedFuture(new CometChatException(ErrorCode.USER_NOT_LOGGED_IN,
					"sendMessage(uid, message) needs a logged-in user, and uid '" + uid + "' is not")));
	}

	/**
	 * Return a future that completes once every saved session was loaded at start (and, in auto mode, handed to the
	 * connection limiter).
	 * @return the future; failing with {@link ErrorCode#SESSION_STORE_ERROR} while they cannot be loaded
	 */
	CompletableFuture<Void> restored();

	/**
	 * Add a listener for the connection of every session; a listener with the same id is replaced.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addConnectionListener(String id, SessionConnectionListener listener);

	/**
	 * Remove a connection listener.
	 * @param id the listener id
	 */
	void removeConnectionListener(String id);

	/**
	 * Add a listener for the messages of every session.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addMessageListener(String id, SessionMessageListener listener);

	/**
	 * Remove a message listener.
	 * @param id the listener id
	 */
	void removeMessageListener(String id);

	/**
	 * Add a listener for the presence that every session hears of.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addUserListener(String id, SessionUserListener listener);

	/**
	 * Remove a user listener.
	 * @param id the listener id
	 */
	void removeUserListener(String id);

	/**
	 * Add a listener for everything every session hears, each as its record with the session's uid and client:
	 * messages, presence, typing, receipts, edits, reactions, transient messages, group members, changes of state and
	 * login outcomes.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addEventListener(String id, CometChatEventListener listener);

	/**
	 * Remove an event listener.
	 * @param id the listener id
	 */
	void removeEventListener(String id);

	/**
	 * Add a listener for the logins and logouts of every session.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addLoginListener(String id, SessionLoginListener listener);

	/**
	 * Remove a login listener.
	 * @param id the listener id
	 */
	void removeLoginListener(String id);

}
