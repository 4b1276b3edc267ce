package com.cometchat.spring.client;

import org.jspecify.annotations.Nullable;

/**
 * Hears everything a client hears, each as its own record, with the client and the uid of the session: one listener
 * for every kind, what {@code @CometChatListener} methods are served from. Application code usually prefers the typed
 * listeners ({@link MessageListener}, {@link UserListener}, ...), whose callbacks say what happened.
 *
 * <p>Called on the callback executor, in order per client, after the typed listeners of the same client; what the
 * typed listeners do not hear (a second copy of a message, the user's own group messages) is not heard here either.
 *
 * @author CometChat
 * @see CometChatClient#addEventListener(String, CometChatEventListener)
 * @see CometChatConnectionManager#addEventListener(String, CometChatEventListener)
 */
@FunctionalInterface
public interface CometChatEventListener {

	/**
	 * Called for every event.
	 * @param client the client that heard it (with a connection manager: the session's client)
	 * @param uid the session's user; {@code null} for a single client when nobody is logged in (a change of state
	 * before the first login, a login that failed before it had a uid); never {@code null} from a connection manager
	 * @param event a {@link ChatMessage}, {@link UserPresence}, {@link TypingIndicator}, {@link MessageReceipt},
	 * {@link MessageEdit}, {@link MessageReaction}, {@link TransientMessage}, {@link GroupMemberEvent},
	 * {@link ConnectionStateChange} or {@link CometChatLoginEvent}
	 */
	void onEvent(CometChatClient client, @Nullable String uid, Object event);

}
