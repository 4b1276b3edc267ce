package com.cometchat.spring.benchmarks.startup;

import java.lang.management.ManagementFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application that starts, prints how long that took and exits (figure 6). This one source is every variant of
 * the figure: {@code startup-plain} is it alone, the other {@code startup-*} modules add to its class path (JPA and an
 * entity of its own, the starter).
 *
 * <p>With {@code -Dbench.startup.profile=true} the run is recorded with a {@link BufferingApplicationStartup} and every
 * step is printed after the {@code STARTUP} line ({@link StartupProfile}). With
 * {@code -Dbench.startup.before=<class>,...} a {@link Runnable} of each class runs first, outside the timed part, and
 * their time is printed: what they warm up is then no longer paid inside the run.
 *
 * @author CometChat
 */
@SpringBootApplication
public class StartupApp {

	public static void main(String[] args) throws Exception {
		String before = System.getProperty("bench.startup.before");
		if (before != null) {
			long beforeStarted = System.nanoTime();
			for (String runnable : before.split(",")) {
				((Runnable) Class.forName(runnable).getDeclaredConstructor().newInstance()).run();
			}
			System.out.println("BEFORE millis=" + (System.nanoTime() - beforeStarted) / 1e6);
		}
		StartupProfile profile = Boolean.getBoolean("bench.startup.profile") ? new StartupProfile() : null;
		long started = System.nanoTime();
		SpringApplication application = new SpringApplication(StartupApp.class);
		if (profile != null) {
			profile.record(application);
		}
		ConfigurableApplicationContext context = application.run(args);
		double runMillis = (System.nanoTime() - started) / 1e6;
		long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
		// All threads of the process, the JIT compilers and the garbage collector included, since the JVM started
		double cpuMillis = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e6;
		// The thread that ran run(), since the JVM started: other work on the machine hardly moves it
		double mainCpuMillis = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6;
		System.out.println("STARTUP runMillis=" + runMillis + " uptimeMillis=" + uptimeMillis + " beans="
				+ context.getBeanDefinitionCount() + " cpuMillis=" + cpuMillis + " mainCpuMillis=" + mainCpuMillis);
		if (profile != null) {
			profile.print(context);
		}
		context.close();
		System.exit(0);
	}

}
