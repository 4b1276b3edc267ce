package com.cometchat.spring.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Where the time of one recorded start went (figure 6): every step of its {@code BufferingApplicationStartup}
 * timeline counts for its self time (its duration less its recorded children's), given to a {@link Part} by the bean
 * it creates, else by the nearest enclosing bean step, else by its own name. The parts add up to the run's time, with
 * the time outside any step as one more part.
 *
 * <p>Self time is where the time was spent, not what caused it: the first bean that needs a class or a warmed-up
 * parser pays for every later one (the first JPA repository pays for Spring Data's proxies, for example). Compare
 * parts across applications, not single beans across applications.
 *
 * @author CometChat
 */
public final class StartupSplit {

	/** The part of the time outside any recorded step (creating the context, loading the sources, runners). */
	public static final String OUTSIDE = "outside any step";

	private static final String STEP = "step: ";

	private final Map<String, Double> parts;

	private final Map<String, Double> beans;

	private StartupSplit(Map<String, Double> parts, Map<String, Double> beans) {
		this.parts = parts;
		this.beans = beans;
	}

	/**
	 * Split a start's wall-clock time.
	 * @param steps the recorded steps, in any order
	 * @param beans the beans the steps name, by name
	 * @param runMillis how long {@code SpringApplication.run()} took
	 * @return the split
	 */
	public static StartupSplit of(List<Step> steps, Map<String, Bean> beans, double runMillis) {
		return of(steps, beans, runMillis, Step::millis);
	}

	/**
	 * Split a start's time as a measure has it: the steps' wall-clock time or their threads' CPU time.
	 * @param steps the recorded steps, in any order
	 * @param beans the beans the steps name, by name
	 * @param total the time of {@code SpringApplication.run()} in that measure
	 * @param measure the time of a step in that measure, {@code NaN} when not known (counted as none)
	 * @return the split
	 */
	public static StartupSplit of(List<Step> steps, Map<String, Bean> beans, double total,
			ToDoubleFunction<Step> measure) {
		Map<Long, Step> byId = new HashMap<>();
		steps.forEach((step) -> byId.put(step.id(), step));
		ToDoubleFunction<Step> time = (step) -> {
			double value = measure.applyAsDouble(step);
			return Double.isNaN(value) ? 0 : value;
		};
		Map<Long, Double> children = new HashMap<>();
		double roots = 0;
		for (Step step : steps) {
			if (byId.containsKey(step.parent())) {
				children.merge(step.parent(), time.applyAsDouble(step), Double::sum);
			}
			else {
				roots += time.applyAsDouble(step);
			}
		}
		Map<String, Double> parts = new LinkedHashMap<>();
		Map<String, Double> selfByBean = new LinkedHashMap<>();
		for (Step step : steps) {
			double self = time.applyAsDouble(step) - children.getOrDefault(step.id(), 0.0);
			parts.merge(part(step, byId, beans), self, Double::sum);
			if (step.bean() != null) {
				selfByBean.merge(step.bean(), self, Double::sum);
			}
		}
		parts.put(OUTSIDE, total - roots);
		return new StartupSplit(parts, selfByBean);
	}

	/**
	 * Milliseconds by part: {@link Part#label()}, {@code "step: <name>"} or {@link #OUTSIDE}.
	 * @return the parts
	 */
	public Map<String, Double> parts() {
		return this.parts;
	}

	/**
	 * Self milliseconds of each bean's creation, by bean name.
	 * @return the beans' self times
	 */
	public Map<String, Double> beans() {
		return this.beans;
	}

	private static String part(Step step, Map<Long, Step> byId, Map<String, Bean> beans) {
		for (Step at = step; at != null; at = byId.get(at.parent())) {
			if (at.bean() != null) {
				return part(beans.getOrDefault(at.bean(), new Bean(at.bean(), "", ""))).label();
			}
			if (at.name().startsWith("spring.data.")) {
				return Part.JPA.label();
			}
		}
		return STEP + step.name();
	}

	/**
	 * The part a bean belongs to, from its name, type and declaring class.
	 * @param bean the bean
	 * @return its part
	 */
	public static Part part(Bean bean) {
		String text = bean.name() + " " + bean.type() + " " + bean.origin();
		if (text.contains("CometChatSessionDataSourceScriptDatabaseInitializer")) {
			return Part.COMETCHAT_SCHEMA;
		}
		if (text.contains("CometChatSessionRepository") || text.contains("JpaSessionStore")
				|| text.contains("TokenCipher")) {
			return Part.COMETCHAT_JPA_STORE;
		}
		if (text.replace("com.cometchat.spring.benchmarks.", "").contains("com.cometchat.spring.")
				|| bean.name().toLowerCase().startsWith("cometchat")) {
			return Part.COMETCHAT_CLIENT;
		}
		for (Part part : Part.values()) {
			for (String marker : part.markers) {
				if (text.contains(marker)) {
					return part;
				}
			}
		}
		return Part.OTHER_BEANS;
	}

	/**
	 * A recorded step.
	 *
	 * @param id its id
	 * @param parent its parent's id, -1 for none
	 * @param name its name, such as {@code spring.beans.instantiate}
	 * @param millis its duration
	 * @param bean the name of the bean it is about ({@code beanName} tag), or {@code null}
	 * @param cpuMillis the CPU time its thread spent in it, {@code NaN} if not known
	 */
	public record Step(long id, long parent, String name, double millis, String bean, double cpuMillis) {

	}

	/**
	 * A bean named by a step.
	 *
	 * @param name its name
	 * @param type its type, or empty
	 * @param origin the configuration class that declares it, else its bean class, or empty
	 */
	public record Bean(String name, String type, String origin) {

	}

	/**
	 * The parts of a start that beans are given to, in the order they are reported.
	 */
	public enum Part {

		COMETCHAT_CLIENT("CometChat: client and auto-configuration"),

		COMETCHAT_JPA_STORE("CometChat: JPA session store (repository, store, cipher)"),

		COMETCHAT_SCHEMA("CometChat: cometchat_session table initializer"),

		WEBSOCKET("WebSocket client beans", "org.eclipse.jetty.", "jakarta.websocket.",
				"org.springframework.web.socket."),

		SQL_INIT("Boot's SQL initialization", "org.springframework.boot.sql.", "org.springframework.boot.jdbc.init.",
				"DatabaseInitializ"),

		DATA_SOURCE("DataSource: HikariCP, H2, JDBC", "com.zaxxer.", "org.h2.", "org.springframework.boot.jdbc.",
				"org.springframework.jdbc.", "javax.sql.", "dataSource "),

		JPA("JPA: Hibernate, Spring Data JPA, transactions", "org.hibernate.", "jakarta.persistence.",
				"org.springframework.orm.", "org.springframework.data.", "org.springframework.boot.hibernate.",
				"org.springframework.boot.jpa.", "org.springframework.boot.data.",
				"org.springframework.boot.persistence.", "org.springframework.transaction.",
				"org.springframework.boot.transaction.", "org.springframework.dao."),

		OTHER_BEANS("other beans (Spring, Boot, the app)");

		private final String label;

		private final List<String> markers;

		Part(String label, String... markers) {
			this.label = label;
			this.markers = List.of(markers);
		}

		public String label() {
			return this.label;
		}

	}

}
