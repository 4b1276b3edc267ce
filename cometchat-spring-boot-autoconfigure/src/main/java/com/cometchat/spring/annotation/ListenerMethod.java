package com.cometchat.spring.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatEventListener;
import com.cometchat.spring.client.CometChatLoginEvent;
import com.cometchat.spring.client.ConnectionStateChange;
import com.cometchat.spring.client.GroupMemberEvent;
import com.cometchat.spring.client.MessageEdit;
import com.cometchat.spring.client.MessageReaction;
import com.cometchat.spring.client.MessageReceipt;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.TransientMessage;
import com.cometchat.spring.client.TypingIndicator;
import com.cometchat.spring.client.UserPresence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link CometChatListener @CometChatListener} method of one bean, as an event listener: which event it takes,
 * where its uid and client go, what its attributes let through. Its signature is checked when it is made.
 *
 * @author CometChat
 */
final class ListenerMethod implements CometChatEventListener {

	private static final Log logger = LogFactory.getLog(CometChatListenerAnnotationBeanPostProcessor.class);

	/** What a method can take, in the order the error message lists them. */
	static final List<Class<?>> EVENT_TYPES = List.of(ChatMessage.class, UserPresence.class, TypingIndicator.class,
			MessageReceipt.class, MessageEdit.class, MessageReaction.class, TransientMessage.class,
			GroupMemberEvent.class, ConnectionStateChange.class, CometChatLoginEvent.class);

	/** What has a receiver type and a receiver. */
	private static final Set<Class<?>> WITH_RECEIVER = Set.of(ChatMessage.class, TypingIndicator.class,
			MessageReceipt.class, MessageEdit.class, MessageReaction.class, TransientMessage.class);

	private final @Nullable Object bean;

	private final Method method;

	private final String description;

	private final Class<?> eventType;

	private final int arity;

	private final int eventIndex;

	private final int uidIndex;

	private final int clientIndex;

	private final Set<String> types;

	private final Set<String> customTypes;

	private final Set<ReceiverType> receiverTypes;

	private final Set<String> groups;

	/**
	 * Check a method and make its listener.
	 * @param bean the bean
	 * @param beanName the bean's name
	 * @param method the annotated method, as declared on the bean's class
	 * @param invocable the same method, as it can be invoked on the bean (on its proxy, if any)
	 * @param annotation its annotation
	 * @throws BeanInitializationException naming the bean and the method when it cannot be served
	 */
	ListenerMethod(Object bean, String beanName, Method method, Method invocable, CometChatListener annotation) {
		this.description = "@CometChatListener method " + ClassUtils.getQualifiedMethodName(method) + "("
				+ Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
				+ ") of bean '" + beanName + "'";
		this.bean = Modifier.isStatic(method.getModifiers()) ? null : bean;
		this.method = invocable;
		if (method.getReturnType() != void.class) {
			throw invalid("must return void, not " + method.getReturnType().getSimpleName()
					+ " (what it returned would be dropped)");
		}
		Class<?>[] parameters = method.getParameterTypes();
		this.arity = parameters.length;
		int event = -1;
		int uid = -1;
		int client = -1;
		for (int i = 0; i < parameters.length; i++) {
			Class<?> parameter = parameters[i];
			if (EVENT_TYPES.contains(parameter)) {
				if (event >= 0) {
					throw invalid("takes two events, " + parameters[event].getSimpleName() + " and "
							+ parameter.getSimpleName() + ": a method hears one kind (declare one method per kind)");
				}
				event = i;
			}
			else if (parameter == String.class && uid < 0) {
				uid = i;
			}
			else if (parameter == CometChatClient.class && client < 0) {
				client = i;
			}
			else {
				throw invalid("has a parameter it cannot be given: " + parameter.getName() + " (parameter " + (i + 1)
						+ "). It takes one event, " + eventTypeNames()
						+ ", and, to hear every session of the CometChatConnectionManager, a String uid and a "
						+ "CometChatClient, each at most once");
			}
		}
		if (event < 0) {
			throw invalid("has no event parameter: it takes one of " + eventTypeNames());
		}
		this.eventIndex = event;
		this.uidIndex = uid;
		this.clientIndex = client;
		this.eventType = parameters[event];
		this.types = Set.of(annotation.type());
		this.customTypes = Set.of(annotation.customType());
		this.receiverTypes = Set.of(annotation.receiverType());
		this.groups = Set.of(annotation.group());
		checkAttributes();
		ReflectionUtils.makeAccessible(this.method);
	}

	private void checkAttributes() {
		String event = this.eventType.getSimpleName();
		if ((!this.types.isEmpty() || !this.customTypes.isEmpty()) && this.eventType != ChatMessage.class) {
			throw invalid("filters by " + (this.types.isEmpty() ? "customType" : "type")
					+ ", which only a ChatMessage has, not " + event);
		}
		for (String type : this.types) {
			if (!OutgoingMessage.TEXT.equals(type) && !OutgoingMessage.CUSTOM.equals(type)) {
				throw invalid("filters by type '" + type + "': a message is 'text' or 'custom'");
			}
		}
		if (!this.customTypes.isEmpty() && this.types.equals(Set.of(OutgoingMessage.TEXT))) {
			throw invalid("filters by customType and by type 'text': a text message has no custom type");
		}
		if (!this.receiverTypes.isEmpty() && !WITH_RECEIVER.contains(this.eventType)) {
			throw invalid("filters by receiverType, which " + event + " does not have");
		}
		if (!this.groups.isEmpty() && !WITH_RECEIVER.contains(this.eventType) && this.eventType != GroupMemberEvent.class) {
			throw invalid("filters by group, which " + event + " does not have");
		}
		if (!this.groups.isEmpty() && this.receiverTypes.equals(Set.of(ReceiverType.USER))) {
			throw invalid("filters by group and by receiverType USER: what was sent to the user is in no group");
		}
	}

	private BeanInitializationException invalid(String what) {
		return new BeanInitializationException(this.description + " " + what);
	}

	private static String eventTypeNames() {
		return EVENT_TYPES.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
	}

	/**
	 * Return whether it hears every session of the connection manager (it takes a uid or a client).
	 * @return whether it is for the sessions
	 */
	boolean isPerSession() {
		return this.uidIndex >= 0 || this.clientIndex >= 0;
	}

	String description() {
		return this.description;
	}

	@Override
	public void onEvent(CometChatClient client, @Nullable String uid, Object event) {
		if (!this.eventType.isInstance(event) || !matches(event)) {
			return;
		}
		Object[] arguments = new Object[this.arity];
		arguments[this.eventIndex] = event;
		if (this.uidIndex >= 0) {
			arguments[this.uidIndex] = uid;
		}
		if (this.clientIndex >= 0) {
			arguments[this.clientIndex] = client;
		}
		try {
			this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getTargetException() instanceof Error error) {
				throw error;
			}
			logger.warn(this.description + " failed on " + describe(event), ex.getTargetException());
		}
		catch (IllegalAccessException ex) {
			logger.warn(this.description + " could not be called", ex);
		}
	}

	private boolean matches(Object event) {
		if (event instanceof ChatMessage message) {
			if (!this.types.isEmpty() && !this.types.contains(message.type())) {
				return false;
			}
			if (!this.customTypes.isEmpty()
					&& (message.customType() == null || !this.customTypes.contains(message.customType()))) {
				return false;
			}
		}
		if (this.receiverTypes.isEmpty() && this.groups.isEmpty()) {
			return true;
		}
		if (event instanceof GroupMemberEvent member) {
			return this.groups.contains(member.guid());
		}
		ReceiverType receiverType;
		String receiver;
		if (event instanceof ChatMessage message) {
			receiverType = message.receiverType();
			receiver = message.receiver();
		}
		else if (event instanceof TypingIndicator typing) {
			receiverType = typing.receiverType();
			receiver = typing.receiver();
		}
		else if (event instanceof MessageReceipt receipt) {
			receiverType = receipt.receiverType();
			receiver = receipt.receiver();
		}
		else if (event instanceof MessageEdit edit) {
			receiverType = edit.receiverType();
			receiver = edit.receiver();
		}
		else if (event instanceof MessageReaction reaction) {
			receiverType = reaction.receiverType();
			receiver = reaction.receiver();
		}
		else if (event instanceof TransientMessage message) {
			receiverType = message.receiverType();
			receiver = message.receiver();
		}
		else {
			return true;
		}
		if (!this.receiverTypes.isEmpty() && !this.receiverTypes.contains(receiverType)) {
			return false;
		}
		return this.groups.isEmpty() || (receiverType == ReceiverType.GROUP && this.groups.contains(receiver));
	}

	private static String describe(Object event) {
		return (event instanceof ChatMessage message) ? "message '" + message.id() + "'"
				: event.getClass().getSimpleName();
	}

	@Override
	public String toString() {
		return this.description;
	}

}
