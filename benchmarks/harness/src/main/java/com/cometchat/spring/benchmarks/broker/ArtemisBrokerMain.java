package com.cometchat.spring.benchmarks.broker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager4;

/**
 * Embedded ActiveMQ Artemis with a STOMP(-over-WebSocket) acceptor on {@code 127.0.0.1:<port>}, run in a JVM of its
 * own and driven by lines on standard input: {@code start}, {@code stop}, {@code connections}, {@code quit}. Each
 * command is answered by one line on standard output, {@code started <epoch µs>}, {@code stopped <epoch µs>},
 * {@code connections <n>} or {@code bye}: the time is taken when the acceptor accepts again (or is closed).
 *
 * <p>The configuration is the one of the test fixture {@code com.cometchat.spring.test.ArtemisStompBroker}
 * (persistence and JMX off, {@code /queue/} anycast, {@code /topic/} multicast, no authentication cache), except
 * that any login is accepted with the passcode {@value #PASSCODE}, so that 10 000 users need no registration.
 *
 * @author CometChat
 */
public final class ArtemisBrokerMain {

	/** The passcode every login is accepted with. */
	public static final String PASSCODE = "secret";

	private ArtemisBrokerMain() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		EmbeddedActiveMQ server = null;
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			switch (line.trim()) {
				case "start" -> {
					if (server == null) {
						server = new EmbeddedActiveMQ();
						server.setConfiguration(configuration(port));
						server.setSecurityManager(new AnyUser());
						server.start();
					}
					reply("started " + BrokerProcess.nowMicros());
				}
				case "stop" -> {
					if (server != null) {
						server.stop();
						server = null;
					}
					reply("stopped " + BrokerProcess.nowMicros());
				}
				case "connections" -> reply("connections " + ((server != null)
						? server.getActiveMQServer().getRemotingService().getConnectionCount() : 0));
				case "quit" -> {
					if (server != null) {
						server.stop();
					}
					reply("bye");
					System.exit(0);
				}
				default -> reply("unknown " + line);
			}
		}
		if (server != null) {
			server.stop();
		}
	}

	private static void reply(String line) {
		System.out.println(line);
		System.out.flush();
	}

	private static ConfigurationImpl configuration(int port) throws Exception {
		ConfigurationImpl configuration = new ConfigurationImpl();
		configuration.setName("artemis-bench-" + port);
		configuration.setPersistenceEnabled(false);
		configuration.setJMXManagementEnabled(false);
		configuration.setSecurityEnabled(true);
		configuration.setAuthenticationCacheSize(0);
		configuration.setAuthorizationCacheSize(0);
		configuration.setCriticalAnalyzer(false);
		configuration.setMaxDiskUsage(-1);
		configuration.addAcceptorConfiguration("stomp", "tcp://127.0.0.1:" + port
				+ "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/");
		return configuration;
	}

	/**
	 * Accepts any login whose passcode is {@value #PASSCODE}, with every permission.
	 */
	private static final class AnyUser implements ActiveMQSecurityManager4 {

		@Override
		public String validateUser(String user, String password, RemotingConnection connection, String domain) {
			return valid(user, password) ? user : null;
		}

		@Override
		public String validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType,
				String address, RemotingConnection connection, String domain) {
			return valid(user, password) ? user : null;
		}

		@Override
		public boolean validateUser(String user, String password) {
			return valid(user, password);
		}

		@Override
		public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
			return valid(user, password);
		}

		private static boolean valid(String user, String password) {
			return user != null && PASSCODE.equals(password);
		}

	}

}
