package com.cometchat.spring.client;

import java.time.Duration;
import java.util.Map;
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
	 * again after the reconnect (receivers drop the duplicate by id). While connected with nothing queued, a send that
	 * finds the connection's writer idle is written on the calling thread (no thread hand-off), so the call can wait
	 * while the socket takes it, as a send on Spring's {@code StompSession} does; the sends of a burst are left to the
	 * writer, which writes them together. A send so written without a receipt returns its future already complete:
	 * its continuations run on the thread that adds them, as with {@link CompletableFuture#completedFuture}. Any other
	 * returned future completes on the callback executor, never running the caller's continuations on ours.
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
	 * How long a receiver shows a typing indicator that its sender does not end, counted from its last start; also
	 * how long a broker keeps a transient event for a user that is away.
	 */
	Duration TYPING_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Tell a user, or the members of a group, that the logged-in user started typing to them. Transient: sent only
	 * while connected (otherwise the future fails with {@link ErrorCode#NOT_CONNECTED}), never queued, resent or
	 * receipted. Receivers end it by themselves {@link #TYPING_TIMEOUT} after the last start; call it again while
	 * typing to keep it up.
	 * @param receiverType a user or a group
	 * @param receiver the uid or guid
	 * @return a future completing when written to the socket
	 */
	default CompletableFuture<Void> startTyping(ReceiverType receiverType, String receiver) {
		return startTyping(receiverType, receiver, Map.of());
	}

	/**
	 * Tell a user, or the members of a group, that the logged-in user started typing, with metadata for them.
	 * @param receiverType a user or a group
	 * @param receiver the uid or guid
	 * @param metadata what to attach
	 * @return a future completing when written to the socket
	 * @see #startTyping(ReceiverType, String)
	 */
	CompletableFuture<Void> startTyping(ReceiverType receiverType, String receiver, Map<String, Object> metadata);

	/**
	 * Tell a user, or the members of a group, that the logged-in user stopped typing. Transient, like
	 * {@link #startTyping(ReceiverType, String)}.
	 * @param receiverType a user or a group
	 * @param receiver the uid or guid
	 * @return a future completing when written to the socket
	 */
	CompletableFuture<Void> endTyping(ReceiverType receiverType, String receiver);

	/**
	 * Send data to whoever of a user or a group is connected now: never queued, resent or receipted, and never
	 * delivered to a receiver that connects later.
	 * @param receiverType a user or a group
	 * @param receiver the uid or guid
	 * @param data what to send
	 * @return a future completing when written to the socket, failing with {@link ErrorCode#NOT_CONNECTED} when
	 * not connected
	 */
	CompletableFuture<Void> sendTransientMessage(ReceiverType receiverType, String receiver, Map<String, Object> data);

	/**
	 * Tell the sender of a message that it was delivered to the logged-in user (for a group message: to this member).
	 * Sent like a message: queued while offline, resent after a drop, confirmed by the broker.
	 * @param message the message
	 * @return a future completing when the broker has the receipt
	 */
	CompletableFuture<Void> markAsDelivered(ChatMessage message);

	/**
	 * Mark delivered a message among the last 1 000 this client received.
	 * @param messageId the id of the message
	 * @return a future completing when the broker has the receipt, failing with
	 * {@link ErrorCode#INVALID_ARGUMENT} for a message the client does not remember
	 * @see #markAsDelivered(ChatMessage)
	 */
	CompletableFuture<Void> markAsDelivered(String messageId);

	/**
	 * Tell the sender of a message that the logged-in user read it. Sent like a message.
	 * @param message the message
	 * @return a future completing when the broker has the receipt
	 */
	CompletableFuture<Void> markAsRead(ChatMessage message);

	/**
	 * Mark read a message among the last 1 000 this client received.
	 * @param messageId the id of the message
	 * @return a future completing when the broker has the receipt, failing with
	 * {@link ErrorCode#INVALID_ARGUMENT} for a message the client does not remember
	 * @see #markAsRead(ChatMessage)
	 */
	CompletableFuture<Void> markAsRead(String messageId);

	/**
	 * Change the text of a message the logged-in user sent (among the last 1 000 this client sent or received).
	 * Sent like a message, to where the message went.
	 * @param messageId the id of the message
	 * @param newText the new text
	 * @return a future completing when the broker has the edit, failing with {@link ErrorCode#INVALID_ARGUMENT} for
	 * a message the client does not remember or that somebody else sent
	 */
	CompletableFuture<Void> editMessage(String messageId, String newText);

	/**
	 * Delete a message the logged-in user sent; like {@link #editMessage(String, String)}.
	 * @param messageId the id of the message
	 * @return a future completing when the broker has the deletion
	 */
	CompletableFuture<Void> deleteMessage(String messageId);

	/**
	 * React to a message among the last 1 000 this client sent or received. Sent like a message, to the group, or to
	 * the other user of a conversation.
	 * @param messageId the id of the message
	 * @param reaction the reaction, such as an emoji (at most 100 characters)
	 * @return a future completing when the broker has the reaction
	 */
	CompletableFuture<Void> addReaction(String messageId, String reaction);

	/**
	 * Remove the logged-in user's reaction to a message; like {@link #addReaction(String, String)}.
	 * @param messageId the id of the message
	 * @param reaction the reaction
	 * @return a future completing when the broker has the removal
	 */
	CompletableFuture<Void> removeReaction(String messageId, String reaction);

	/**
	 * Add a listener for the member changes of the groups the logged-in user joined, or replace the one with the same
	 * id.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addGroupListener(String id, GroupListener listener);

	/**
	 * Remove the group listener with the given id, if any.
	 * @param id the listener id
	 */
	void removeGroupListener(String id);

	/**
	 * Add a listener for everything the other listeners hear, each as its record (messages, presence, typing,
	 * receipts, edits, reactions, transient messages, group members, changes of state, login outcomes), or replace the
	 * one with the same id. Called after the typed listeners.
	 * @param id the listener id
	 * @param listener the listener
	 */
	void addEventListener(String id, CometChatEventListener listener);

	/**
	 * Remove the event listener with the given id, if any.
	 * @param id the listener id
	 */
	void removeEventListener(String id);

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
