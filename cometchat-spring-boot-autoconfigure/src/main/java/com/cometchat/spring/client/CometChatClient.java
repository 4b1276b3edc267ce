package com.cometchat.spring.client;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Client for CometChat's realtime connection model over STOMP/WebSocket.
 *
 * <p>In auto mode ({@code auto-establish-socket-connection=true}, the default) {@link #login(String, String)} opens
 * the socket, and a saved session reconnects when the client starts. In manual mode nothing connects until
 * {@link #connect()}. No method blocks: each returns a future.
 *
 * @author CometChat
 * @see #builder()
 */
public interface CometChatClient {

	/**
	 * Log a user in. In auto mode the session is saved once the broker accepted the credentials, and the socket stays
	 * open; in manual mode the session is saved at once and the socket waits for {@link #connect()}. The same uid and
	 * token as the current session complete at once; another uid or token logs the current user out first.
	 * @param uid the user's id
	 * @param authToken the user's auth token
	 * @return a future completing with the logged-in user, or failing with a {@link CometChatException}
	 * ({@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#LOGIN_IN_PROGRESS}, {@link ErrorCode#AUTH_REJECTED}, ...)
	 */
	CompletableFuture<CometChatUser> login(String uid, String authToken);

	/**
	 * Log the current user out: close the socket and delete the saved session.
	 * @return a future completing when the session is deleted
	 */
	CompletableFuture<Void> logout();

	/**
	 * Return the logged-in user, if any. Right after start, while the saved session is still being loaded, this is
	 * empty: use {@link #loggedInUser()} to wait for it.
	 * @return the user, or empty
	 */
	Optional<CometChatUser> getLoggedInUser();

	/**
	 * Return the logged-in user once the saved session is known (and a login in flight has settled), as the
	 * JavaScript SDK's {@code getLoggedinUser()} promise does. Never blocks.
	 * @return a future with the user, or empty; failing with {@link ErrorCode#SESSION_STORE_ERROR} while the saved
	 * session cannot be loaded
	 */
	default CompletableFuture<Optional<CometChatUser>> loggedInUser() {
		return CompletableFuture.completedFuture(getLoggedInUser());
	}

	/**
	 * Open the socket for the logged-in user. Completes at once when already connected; retries at once while
	 * reconnecting.
	 * @return a future completing when connected, or failing with {@link ErrorCode#USER_NOT_LOGGED_IN},
	 * {@link ErrorCode#AUTH_REJECTED}, {@link ErrorCode#DISCONNECTED}, ...
	 */
	CompletableFuture<Void> connect();

	/**
	 * Close the socket and stop reconnecting. The session stays saved.
	 * @return a future completing when the socket is closed
	 */
	CompletableFuture<Void> disconnect();

	/**
	 * Return the current state of the connection.
	 * @return the state
	 */
	ConnectionState getConnectionState();

	/**
	 * Return the current state in CometChat's words: {@code connecting}, {@code connected} or {@code disconnected}.
	 * @return the status
	 */
	default String getConnectionStatus() {
		return getConnectionState().status();
	}

	/**
	 * Return a consistent view of the connection: state, since when, attempt, retry delay and last error.
	 * @return the snapshot
	 */
	ConnectionSnapshot getConnectionSnapshot();

	/**
	 * Add a connection listener; a listener with the same id is replaced.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addConnectionListener(String id, ConnectionListener listener);

	/**
	 * Remove the connection listener with the given id, if any.
	 * @param id the listener id
	 */
	void removeConnectionListener(String id);

	/**
	 * Add a login listener; a listener with the same id is replaced.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addLoginListener(String id, LoginListener listener);

	/**
	 * Remove the login listener with the given id, if any.
	 * @param id the listener id
	 */
	void removeLoginListener(String id);

	/**
	 * Send a message to a user or a group. While the socket is not connected the message waits in a bounded queue
	 * and is sent on the next connect; with receipts on, a message not confirmed when the socket dropped is sent
	 * again after the reconnect (receivers drop the duplicate by id).
	 * @param message the message
	 * @return a future completing when the broker accepted the message, or failing with the reason
	 * ({@link ErrorCode#USER_NOT_LOGGED_IN}, {@link ErrorCode#QUEUE_FULL}, {@link ErrorCode#NOT_CONNECTED},
	 * {@link ErrorCode#DISCONNECTED}, {@link ErrorCode#RECEIPT_TIMEOUT}, ...)
	 */
	CompletableFuture<SentMessage> sendMessage(OutgoingMessage message);

	/**
	 * Add a listener for messages to the logged-in user and their groups; a listener with the same id is replaced.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addMessageListener(String id, MessageListener listener);

	/**
	 * Remove the message listener with the given id, if any.
	 * @param id the listener id
	 */
	void removeMessageListener(String id);

	/**
	 * Add a listener for the presence of other users; a listener with the same id is replaced.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addUserListener(String id, UserListener listener);

	/**
	 * Remove the user listener with the given id, if any.
	 * @param id the listener id
	 */
	void removeUserListener(String id);

	/**
	 * Join a group: its messages reach the message listeners from now on, also after reconnects and restarts.
	 * @param guid the group id
	 * @return a future completing when the membership is saved
	 */
	CompletableFuture<Void> joinGroup(String guid);

	/**
	 * Leave a group.
	 * @param guid the group id
	 * @return a future completing when the membership is removed
	 */
	CompletableFuture<Void> leaveGroup(String guid);

	/**
	 * Return the groups the logged-in user joined.
	 * @return the group ids
	 */
	Set<String> getJoinedGroups();

	/**
	 * Return a builder for a client without a Spring application context.
	 * @return a new builder
	 */
	static CometChatClientBuilder builder() {
		return new CometChatClientBuilder();
	}

}
