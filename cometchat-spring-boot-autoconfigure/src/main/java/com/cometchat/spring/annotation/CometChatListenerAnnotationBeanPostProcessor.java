package com.cometchat.spring.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.Assert;

/**
 * Serves the {@link CometChatListener @CometChatListener} methods of every bean: each is checked when its bean is
 * initialized (a signature that cannot be served fails the bean, naming it and the method) and added, as a
 * {@link com.cometchat.spring.client.CometChatEventListener}, to the {@link CometChatClient} bean, or to the
 * {@link CometChatConnectionManager} bean for a method that takes a uid or a client, once every singleton is made
 * (so no bean is made early for it, and nothing is missed: clients connect when the context starts, later). A bean
 * made later is served at once; a bean that is destroyed is removed.
 *
 * <p>Registered by the auto-configuration; without Spring Boot, declare it as a {@code static @Bean}.
 *
 * @author CometChat
 */
public class CometChatListenerAnnotationBeanPostProcessor
		implements DestructionAwareBeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	private @Nullable ListableBeanFactory beanFactory;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final AtomicLong ids = new AtomicLong();

	/** Methods of beans made before every singleton was; guarded by {@code this}. */
	private final List<Pending> pending = new ArrayList<>();

	/** Guarded by {@code this}. */
	private boolean singletonsInstantiated;

	/** What to undo when a bean is destroyed, by bean; guarded by {@code this}. */
	private final Map<Object, List<Runnable>> registrations = new IdentityHashMap<>();

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ListableBeanFactory.class, beanFactory, "@CometChatListener needs a ListableBeanFactory");
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, CometChatListener.class)) {
			return bean;
		}
		Map<Method, CometChatListener> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<CometChatListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, CometChatListener.class));
		if (annotated.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		List<Pending> methods = new ArrayList<>();
		annotated.forEach((method, annotation) -> {
			ListenerMethod listener = new ListenerMethod(bean, beanName, method, invocable(method, bean, beanName),
					annotation);
			// Unique per bean instance too: a listener with the same id would replace another's
			String id = "@CometChatListener " + beanName + "." + method.getName() + "#" + this.ids.incrementAndGet();
			methods.add(new Pending(bean, listener, id));
		});
		synchronized (this) {
			this.registrations.put(bean, new ArrayList<>());
			if (this.singletonsInstantiated) {
				methods.forEach(this::register);
			}
			else {
				this.pending.addAll(methods);
			}
		}
		return bean;
	}

	private static Method invocable(Method method, Object bean, String beanName) {
		try {
			return AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new BeanInitializationException("@CometChatListener method " + method + " of bean '" + beanName
					+ "' cannot be called on its proxy: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		synchronized (this) {
			this.singletonsInstantiated = true;
			try {
				this.pending.forEach(this::register);
			}
			finally {
				this.pending.clear();
			}
		}
	}

	/**
	 * Add a method to the client, or to the connection manager; called holding {@code this}.
	 */
	private void register(Pending method) {
		ListableBeanFactory beanFactory = this.beanFactory;
		Assert.state(beanFactory != null, "No BeanFactory");
		ListenerMethod listener = method.listener();
		Runnable unregister;
		if (listener.isPerSession()) {
			CometChatConnectionManager manager = beanFactory.getBeanProvider(CometChatConnectionManager.class)
				.getIfUnique();
			if (manager == null) {
				throw new BeanInitializationException(listener.description() + " takes a uid or a CometChatClient, "
						+ "which say which session of a CometChatConnectionManager heard the event, but there is no "
						+ "single CometChatConnectionManager bean: remove them to hear the CometChatClient bean");
			}
			manager.addEventListener(method.id(), listener);
			unregister = () -> manager.removeEventListener(method.id());
		}
		else {
			CometChatClient client = beanFactory.getBeanProvider(CometChatClient.class).getIfUnique();
			if (client == null) {
				throw new BeanInitializationException(listener.description() + " hears the CometChatClient bean, "
						+ "but there is no single one: add a String uid parameter to hear every session of the "
						+ "CometChatConnectionManager instead");
			}
			client.addEventListener(method.id(), listener);
			unregister = () -> client.removeEventListener(method.id());
		}
		List<Runnable> undo = this.registrations.get(method.bean());
		if (undo != null) {
			undo.add(unregister);
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		synchronized (this) {
			return this.registrations.containsKey(bean);
		}
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
		List<Runnable> undo;
		synchronized (this) {
			undo = this.registrations.remove(bean);
			this.pending.removeIf((method) -> method.bean() == bean);
		}
		if (undo != null) {
			undo.forEach(Runnable::run);
		}
	}

	private record Pending(Object bean, ListenerMethod listener, String id) {
	}

}
