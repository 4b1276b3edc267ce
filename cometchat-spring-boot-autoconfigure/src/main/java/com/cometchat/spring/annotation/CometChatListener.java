package com.cometchat.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.GroupMemberEvent;
import com.cometchat.spring.client.ReceiverType;

/**
 * Marks a method of a bean as a listener of what CometChat clients hear, like {@code @EventListener}. The type of its
 * one event parameter says what it hears: a {@link ChatMessage}, {@code UserPresence}, {@code TypingIndicator},
 * {@code MessageReceipt}, {@code MessageEdit}, {@code MessageReaction}, {@code TransientMessage},
 * {@link GroupMemberEvent}, {@code ConnectionStateChange} or {@code CometChatLoginEvent}. The event records say
 * which of a pair happened (a typing indicator {@code started()} or ended, a receipt's {@code type()}, a presence
 * {@code online()}, ...).
 *
 * <pre class="code">
 * &#64;CometChatListener(type = "text")
 * void answer(ChatMessage message) { ... }
 *
 * &#64;CometChatListener(customType = "location", group = "support")
 * void located(ChatMessage message) { Location where = message.data(Location.class); ... }
 *
 * &#64;CometChatListener
 * void received(String uid, ChatMessage message) { ... }   // every session of the connection manager
 * </pre>
 *
 * <p>Without other parameters the method hears the {@link CometChatClient} bean. With a {@code String} parameter (the
 * uid of the session) or a {@link CometChatClient} parameter (the session's client), or both, in any order, it hears
 * every session of the {@link CometChatConnectionManager} bean instead, the single client's included when it is
 * logged in.
 *
 * <p>Methods run where listeners run: on the callback executor, in order per client, after the listeners added with
 * {@code add*Listener}, never on the connection's threads. What a method throws is logged with the method's name and
 * reaches neither the connection nor the other listeners. A method must return {@code void}; a signature that cannot
 * be served (no event parameter, two, another parameter, an attribute that does not apply to the event) fails the
 * start of the application, naming the bean and the method.
 *
 * @author CometChat
 * @see CometChatListenerAnnotationBeanPostProcessor
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CometChatListener {

	/**
	 * Types of message to hear, {@code text} or {@code custom}; empty for both. For a {@link ChatMessage} only.
	 * @return the message types
	 */
	String[] type() default {};

	/**
	 * Custom types of message to hear, such as {@code location}; empty for any message. For a {@link ChatMessage}
	 * only; a text message has no custom type, so it never matches.
	 * @return the custom types
	 */
	String[] customType() default {};

	/**
	 * Whether to hear what was sent to the user or to a group; empty for both. For the events that have a receiver:
	 * messages, typing, receipts, edits, reactions and transient messages.
	 * @return the receiver types
	 */
	ReceiverType[] receiverType() default {};

	/**
	 * Groups (guids) to hear: what was sent in these groups, and the member changes of these groups; empty for any
	 * group and for what was sent to the user. For the events that have a receiver, and {@link GroupMemberEvent}.
	 * @return the guids
	 */
	String[] group() default {};

}
