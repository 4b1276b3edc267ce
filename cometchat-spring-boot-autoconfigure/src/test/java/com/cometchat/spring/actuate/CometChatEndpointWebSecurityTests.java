package com.cometchat.spring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.test.SpringStompBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * The {@link CometChatEndpoint} over HTTP in an application with Spring Security and the README's recipe: its write
 * operations change what the application does, so only an {@code OPS} user may call them, and they are not on the
 * web at all unless the application exposes the endpoint. The client behind it is connected to Spring's STOMP broker.
 */
@SpringBootTest(classes = CometChatEndpointWebSecurityTests.SecuredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "spring.autoconfigure.exclude=", "spring.main.banner-mode=off",
		"server.address=127.0.0.1", "spring.jpa.open-in-view=false", "cometchat.app-id=secured",
		"management.endpoints.web.exposure.include=health,cometchat" })
@DirtiesContext
class CometChatEndpointWebSecurityTests {

	private static final String UID = "ops-bot";

	private static final String TOKEN = "ops-bot-token";

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final SpringStompBroker broker = new SpringStompBroker().addUser(UID, TOKEN);

	private static final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private CometChatClient client;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void brokerUrl(DynamicPropertyRegistry registry) {
		registry.add("cometchat.url", broker::url);
	}

	@BeforeAll
	static void startBroker() {
		broker.start();
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@BeforeEach
	void connect() throws Exception {
		if (this.client.getLoggedInUser().isEmpty()) {
			this.client.login(UID, TOKEN).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		else {
			this.client.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(this.client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void anAnonymousDisconnectIsRefused() throws Exception {
		assertThat(post("/actuator/cometchat/disconnect", null).statusCode()).isEqualTo(401);
		assertThat(this.client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aDisconnectByAUserWithoutTheOpsRoleIsRefused() throws Exception {
		assertThat(post("/actuator/cometchat/disconnect", "viewer").statusCode()).isEqualTo(403);
		assertThat(this.client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aDisconnectByAnOpsUserIsAccepted() throws Exception {
		HttpResponse<String> response = post("/actuator/cometchat/disconnect", "ops");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"state\":\"DISCONNECTED\"");
		assertThat(this.client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
	}

	@Test
	void readingTheEndpointNeedsTheOpsRoleToo() throws Exception {
		assertThat(get("/actuator/cometchat", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/cometchat", "ops").statusCode()).isEqualTo(200);
	}

	@Test
	void theRecipeLeavesTheRestOfTheActuatorAlone() throws Exception {
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
	}

	/**
	 * The same application, with the endpoint not exposed over the web.
	 */
	@Nested
	@TestPropertySource(properties = "management.endpoints.web.exposure.include=health")
	@DirtiesContext
	class NotExposed {

		@Autowired
		private ApplicationContext context;

		@Test
		void theEndpointIsNotOnTheWebEvenForAnOpsUser() throws Exception {
			assertThat(this.context.getBeanNamesForType(CometChatEndpoint.class)).isEmpty();
			assertThat(get("/actuator/cometchat", "ops").statusCode()).isEqualTo(404);
			assertThat(post("/actuator/cometchat/disconnect", "ops").statusCode()).isEqualTo(404);
			assertThat(CometChatEndpointWebSecurityTests.this.client.getConnectionState())
				.isEqualTo(ConnectionState.CONNECTED);
		}

	}

	private HttpResponse<String> get(String path, @Nullable String user) throws Exception {
		return send("GET", path, user);
	}

	private HttpResponse<String> post(String path, @Nullable String user) throws Exception {
		return send("POST", path, user);
	}

	private HttpResponse<String> send(String method, String path, @Nullable String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT);
		if (user != null) {
			String credentials = user + ":" + user + "-password";
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * An application with the starter, the actuator and Spring Security, whose only security configuration is the
	 * README's recipe for the endpoint.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SecuredApplication {

		// The README's recipe, as written there. Without httpBasic nobody could authenticate (every call 403), and
		// with CSRF protection every POST without a token would be refused, the OPS user's too (403)
		@Bean
		SecurityFilterChain cometChatEndpointSecurity(HttpSecurity http) throws Exception {
			return http.securityMatcher(EndpointRequest.to("cometchat"))
				.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("OPS"))
				.httpBasic(withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("ops").password("{noop}ops-password").roles("OPS").build(),
					User.withUsername("viewer").password("{noop}viewer-password").roles("VIEWER").build());
		}

	}

}
