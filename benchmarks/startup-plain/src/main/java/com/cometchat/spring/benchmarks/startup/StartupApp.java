package com.cometchat.spring.benchmarks.startup;

import java.lang.management.ManagementFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application that starts, prints how long that took and exits (figure 6). The same source is in
 * {@code startup-plain} (without the starter) and {@code startup-starter} (with it); only the class path differs.
 *
 * @author CometChat
 */
@SpringBootApplication
public class StartupApp {

	public static void main(String[] args) {
		long started = System.nanoTime();
		ConfigurableApplicationContext context = new SpringApplication(StartupApp.class).run(args);
		double runMillis = (System.nanoTime() - started) / 1e6;
		System.out.println("STARTUP runMillis=" + runMillis + " uptimeMillis="
				+ ManagementFactory.getRuntimeMXBean().getUptime() + " beans=" + context.getBeanDefinitionCount());
		context.close();
		System.exit(0);
	}

}
