package com.cometchat.spring.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;
import org.springframework.util.ClassUtils;

/**
 * Records one start with a {@link BufferingApplicationStartup} and prints, for the harness to attribute
 * ({@code StartupSplit}), tab-separated: every step ({@code STEP id parent name nanos beanName start cpuNanos}: the
 * start as JVM uptime in nanoseconds, to the millisecond, and the CPU time of its thread in it), the CPU time of the
 * main thread in {@code run()} ({@code RUNCPU nanos}), the type and declaring class of every bean a step names
 * ({@code BEAN name type origin}) and the CPU time of the live threads, by name ({@code CPU name nanos}). Spring has no
 * step around the start of {@code Lifecycle} beans, so the lifecycle processor here adds one,
 * {@code bench.lifecycle.start}.
 *
 * @author CometChat
 */
final class StartupProfile {

	/** Far more steps than any variant makes (a few hundred): none is dropped. */
	private static final int CAPACITY = 100_000;

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final BufferingApplicationStartup buffer = new BufferingApplicationStartup(CAPACITY);

	private final ApplicationStartup startup = new CpuTimedStartup(this.buffer);

	private long runCpuStarted;

	void record(SpringApplication application) {
		this.runCpuStarted = THREADS.getCurrentThreadCpuTime();
		application.setApplicationStartup(this.startup);
		application.addInitializers((context) -> {
			TimedLifecycleProcessor processor = new TimedLifecycleProcessor(this.startup);
			processor.setBeanFactory(context.getBeanFactory());
			context.getBeanFactory()
				.registerSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, processor);
		});
	}

	void print(ConfigurableApplicationContext context) {
		StringBuilder out = new StringBuilder();
		out.append("RUNCPU\t").append(THREADS.getCurrentThreadCpuTime() - this.runCpuStarted).append('\n');
		Set<String> beanNames = new LinkedHashSet<>();
		Instant jvmStarted = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
		for (TimelineEvent event : this.buffer.getBufferedTimeline().getEvents()) {
			StartupStep step = event.getStartupStep();
			String beanName = tag(step, "beanName");
			String cpuNanos = tag(step, CpuTimedStartup.CPU_TAG);
			if (beanName != null) {
				beanNames.add(beanName);
			}
			out.append("STEP\t")
				.append(step.getId())
				.append('\t')
				.append((step.getParentId() != null) ? step.getParentId() : -1)
				.append('\t')
				.append(step.getName())
				.append('\t')
				.append(event.getDuration().toNanos())
				.append('\t')
				.append((beanName != null) ? beanName : "")
				.append('\t')
				.append(Duration.between(jvmStarted, event.getStartTime()).toNanos())
				.append('\t')
				.append((cpuNanos != null) ? cpuNanos : -1)
				.append('\n');
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		for (String beanName : beanNames) {
			out.append("BEAN\t")
				.append(beanName)
				.append('\t')
				.append(type(beanFactory, beanName))
				.append('\t')
				.append(origin(beanFactory, beanName))
				.append('\n');
		}
		threadCpu().forEach((name, nanos) -> out.append("CPU\t").append(name).append('\t').append(nanos).append('\n'));
		System.out.print(out);
	}

	private static String tag(StartupStep step, String key) {
		for (StartupStep.Tag tag : step.getTags()) {
			if (tag.getKey().equals(key)) {
				return tag.getValue();
			}
		}
		return null;
	}

	private static String type(ConfigurableListableBeanFactory beanFactory, String beanName) {
		try {
			Class<?> type = beanFactory.getType(BeanFactoryUtils.transformedBeanName(beanName), false);
			return (type != null) ? ClassUtils.getUserClass(type).getName() : "";
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	/**
	 * The configuration class that declares the bean, else its bean class (a repository's factory bean, say).
	 */
	private static String origin(ConfigurableListableBeanFactory beanFactory, String beanName) {
		String name = BeanFactoryUtils.transformedBeanName(beanName);
		if (!beanFactory.containsBeanDefinition(name)) {
			return "";
		}
		BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
		String factoryBean = definition.getFactoryBeanName();
		if (factoryBean != null) {
			String factoryType = type(beanFactory, factoryBean);
			return factoryType.isEmpty() ? factoryBean : factoryType;
		}
		return (definition.getBeanClassName() != null) ? definition.getBeanClassName() : "";
	}

	/**
	 * CPU time of the threads still alive, summed by name without a trailing number ({@code cometchat-store-1} and
	 * {@code -2} together).
	 */
	private static Map<String, Long> threadCpu() {
		Map<String, Long> cpu = new TreeMap<>();
		for (ThreadInfo thread : THREADS.dumpAllThreads(false, false)) {
			long nanos = THREADS.getThreadCpuTime(thread.getThreadId());
			if (nanos > 0) {
				cpu.merge(thread.getThreadName().replaceAll("[-_ #@]*[0-9]+$", "").replace('\t', ' '), nanos,
						Long::sum);
			}
		}
		return cpu;
	}

	/**
	 * Tags every step with the CPU time its thread spent in it, which other work on the machine stretches far less
	 * than the wall-clock time ({@code -1} when the step ended on another thread).
	 */
	private static final class CpuTimedStartup implements ApplicationStartup {

		static final String CPU_TAG = "bench.cpuNanos";

		private final ApplicationStartup delegate;

		CpuTimedStartup(ApplicationStartup delegate) {
			this.delegate = delegate;
		}

		@Override
		public StartupStep start(String name) {
			Thread thread = Thread.currentThread();
			long cpuStarted = THREADS.getCurrentThreadCpuTime();
			StartupStep step = this.delegate.start(name);
			return new StartupStep() {

				@Override
				public String getName() {
					return step.getName();
				}

				@Override
				public long getId() {
					return step.getId();
				}

				@Override
				public Long getParentId() {
					return step.getParentId();
				}

				@Override
				public StartupStep tag(String key, String value) {
					step.tag(key, value);
					return this;
				}

				@Override
				public StartupStep tag(String key, Supplier<String> value) {
					step.tag(key, value);
					return this;
				}

				@Override
				public Tags getTags() {
					return step.getTags();
				}

				@Override
				public void end() {
					long cpu = (Thread.currentThread() == thread) ? THREADS.getCurrentThreadCpuTime() - cpuStarted : -1;
					step.tag(CPU_TAG, Long.toString(cpu));
					step.end();
				}

			};
		}

	}

	/**
	 * The default lifecycle processor, with the start of the {@code Lifecycle} beans as a step.
	 */
	private static final class TimedLifecycleProcessor extends DefaultLifecycleProcessor {

		private final ApplicationStartup startup;

		TimedLifecycleProcessor(ApplicationStartup startup) {
			this.startup = startup;
		}

		@Override
		public void onRefresh() {
			StartupStep step = this.startup.start("bench.lifecycle.start");
			try {
				super.onRefresh();
			}
			finally {
				step.end();
			}
		}

	}

}
