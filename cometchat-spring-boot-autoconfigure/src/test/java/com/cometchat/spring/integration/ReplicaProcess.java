package com.cometchat.spring.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

import com.cometchat.spring.client.CometChatConnectionManager;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One replica of an application with the starter, in a JVM of its own, started by {@link ReplicasIT}: it runs until
 * it is killed, or until its standard input closes (the test that started it is gone). With
 * {@code -Dreplica.received=<file>} it writes every message its listeners get to that file.
 */
public final class ReplicaProcess {

	private ReplicaProcess() {
	}

	public static void main(String[] args) throws IOException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientApplication.class)
			.web(WebApplicationType.NONE)
			.run(args);
		String received = System.getProperty("replica.received");
		if (received != null) {
			// Every message a listener gets, as "uid id", written through at once (a SIGKILL keeps what was written)
			Writer file = Files.newBufferedWriter(Path.of(received));
			context.getBean(CometChatConnectionManager.class).addMessageListener("replica-file", (uid, message) -> {
				synchronized (file) {
					try {
						file.write(uid + " " + message.id() + "\n");
						file.flush();
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}
			});
		}
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
