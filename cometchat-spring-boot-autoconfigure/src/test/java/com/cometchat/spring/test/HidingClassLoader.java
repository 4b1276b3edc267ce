package com.cometchat.spring.test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;

/**
 * Defines every class itself (but the JDK's and logging), from the test class path, and hides the classes of the given
 * packages, as if their jars were absent. Resources are the test class path's, so {@code spring.factories} still
 * names the factories whose classes are hidden.
 */
public final class HidingClassLoader extends ClassLoader implements AutoCloseable {

	/**
	 * Packages taken from the test class path's loader: the JDK's and logging, which knows nothing of the hidden
	 * libraries.
	 */
	private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "org.slf4j.",
			"ch.qos.logback.", "org.apache.commons.logging.");

	private final List<String> hidden;

	/**
	 * Create the loader and make it the thread's context class loader until {@link #close()}, since Spring looks
	 * classes up there ({@code ClassUtils.isPresent(name, null)}).
	 * @param hidden the prefixes of the hidden packages
	 */
	public HidingClassLoader(List<String> hidden) {
		super(HidingClassLoader.class.getClassLoader());
		this.hidden = hidden;
		Thread.currentThread().setContextClassLoader(this);
	}

	/**
	 * Return the names of the connection details factories that Spring Boot's registry could instantiate from
	 * {@code spring.factories} with this loader's classes.
	 * @return the class names
	 * @throws Exception if the registry could not be read
	 */
	public List<String> connectionDetailsFactories() throws Exception {
		Class<?> registry = loadClass(ConnectionDetailsFactories.class.getName());
		Object factories = registry.getConstructor(ClassLoader.class).newInstance(this);
		Field field = registry.getDeclaredField("registrations");
		field.setAccessible(true);
		List<?> registrations = (List<?>) field.get(factories);
		List<String> names = new ArrayList<>();
		for (Object registration : registrations) {
			Method factory = registration.getClass().getDeclaredMethod("factory");
			factory.setAccessible(true);
			names.add(factory.invoke(registration).getClass().getName());
		}
		return names;
	}

	/**
	 * Create an instance of a class of this loader with its no-argument constructor, accessible or not.
	 * @param className the class
	 * @return the instance
	 * @throws Exception if it could not be created
	 */
	public Object instantiate(String className) throws Exception {
		Constructor<?> constructor = loadClass(className).getDeclaredConstructor();
		constructor.setAccessible(true);
		return constructor.newInstance();
	}

	@Override
	protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
		synchronized (getClassLoadingLock(name)) {
			if (this.hidden.stream().anyMatch(name::startsWith)) {
				throw new ClassNotFoundException(name + " is hidden");
			}
			if (SHARED.stream().anyMatch(name::startsWith)) {
				return super.loadClass(name, resolve);
			}
			Class<?> loaded = findLoadedClass(name);
			if (loaded == null) {
				loaded = define(name);
			}
			if (resolve) {
				resolveClass(loaded);
			}
			return loaded;
		}
	}

	private Class<?> define(String name) throws ClassNotFoundException {
		try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
			if (in == null) {
				throw new ClassNotFoundException(name);
			}
			byte[] bytes = in.readAllBytes();
			return defineClass(name, bytes, 0, bytes.length);
		}
		catch (IOException ex) {
			throw new ClassNotFoundException(name, ex);
		}
	}

	@Override
	public void close() {
		Thread.currentThread().setContextClassLoader(getParent());
	}

}
