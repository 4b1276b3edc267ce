package com.cometchat.spring.integration;

import java.io.IOException;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * One replica of an application with the starter, in a JVM of its own, started by {@link ReplicasIT}: it runs until
 * it is killed, or until its standard input closes (the test that started it is gone).
 */
public final class ReplicaProcess {

	private ReplicaProcess() {
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(ClientApplication.class).web(WebApplicationType.NONE).run(args);
		try {
			while (System.in.read() != -1) {
				// Nothing is sent; the end of the stream is what counts
			}
		}
		catch (IOException ex) {
			// Gone as well
		}
		System.exit(0);
	}

}
