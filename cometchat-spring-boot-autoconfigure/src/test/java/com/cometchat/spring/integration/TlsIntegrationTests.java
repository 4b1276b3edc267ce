package com.cometchat.spring.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ErrorCode;
import com.cometchat.spring.test.SpringStompBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code wss://} to Spring's broker on HTTPS with a self-signed certificate made by the test: trusted through
 * {@code cometchat.ssl.bundle}, and rejected with a clear reason without it.
 */
class TlsIntegrationTests {

	@TempDir
	static Path dir;

	private static SpringStompBroker broker;

	@BeforeAll
	static void startBrokerOnHttps() throws Exception {
		keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
				"-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
				"-keystore", dir.resolve("broker.p12").toString(), "-storepass", "secret");
		keytool("-exportcert", "-alias", "broker", "-keystore", dir.resolve("broker.p12").toString(), "-storepass",
				"secret", "-file", dir.resolve("broker.crt").toString());
		keytool("-importcert", "-noprompt", "-alias", "broker", "-file", dir.resolve("broker.crt").toString(),
				"-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", "secret");
		broker = new SpringStompBroker("server.ssl.key-store=file:" + dir.resolve("broker.p12"),
				"server.ssl.key-store-password=secret", "server.ssl.key-store-type=PKCS12");
		broker.addUser("alice", "alice-token").start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	private static void keytool(String... arguments) throws Exception {
		List<String> command = new java.util.ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
	}

	private ConfigurableApplicationContext client(String... properties) {
		return new SpringApplicationBuilder(ClientApplication.class)
			.properties("cometchat.url=" + broker.url(), "cometchat.app-id=tls", "spring.main.banner-mode=off",
					"spring.main.web-application-type=none", "spring.datasource.url=jdbc:h2:mem:tls-client",
					"cometchat.connect-timeout=5s")
			.properties(properties)
			.run();
	}

	@Test
	void connectsOverWssWithTheBrokersCertificateInAnSslBundle() throws Exception {
		try (ConfigurableApplicationContext context = client(
				"spring.ssl.bundle.jks.broker.truststore.location=file:" + dir.resolve("trust.p12"),
				"spring.ssl.bundle.jks.broker.truststore.password=secret",
				"spring.ssl.bundle.jks.broker.truststore.type=PKCS12", "cometchat.ssl.bundle=broker")) {
			CometChatClient client = context.getBean(CometChatClient.class);
			client.login("alice", "alice-token").get(20, TimeUnit.SECONDS);
			assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
		}
	}

	@Test
	void anUntrustedCertificateIsAClearConnectFailure() {
		try (ConfigurableApplicationContext context = client()) {
			CometChatClient client = context.getBean(CometChatClient.class);
			assertThatThrownBy(() -> client.login("alice", "alice-token").get(20, TimeUnit.SECONDS))
				.cause()
				.isInstanceOfSatisfying(CometChatException.class, (ex) -> {
					assertThat(ex.getCode()).isEqualTo(ErrorCode.CONNECT_FAILED);
					assertThat(ex.getMessage()).contains("wss://127.0.0.1").containsIgnoringCase("certificat");
				});
			assertThat(client.getConnectionState()).isEqualTo(ConnectionState.FAILED);
		}
	}

	@Test
	void anUnknownBundleFailsStartUpNamingTheProperty() {
		assertThatThrownBy(() -> client("cometchat.ssl.bundle=missing").close())
			.hasRootCauseInstanceOf(com.cometchat.spring.autoconfigure.InvalidCometChatPropertyException.class)
			.rootCause()
			.hasMessageContaining("cometchat.ssl.bundle");
	}

}
