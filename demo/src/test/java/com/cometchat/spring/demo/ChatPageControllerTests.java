package com.cometchat.spring.demo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatPageController} and the page it serves: everything the page loads comes from the application
 * (the machines that run the demo may be offline).
 *
 * @author CometChat
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.datasource.url=jdbc:h2:mem:demo-test")
class ChatPageControllerTests {

	@LocalServerPort
	private int port;

	private RestTestClient rest;

	@BeforeEach
	void setUp() {
		this.rest = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void chatListsTheDemoUsersWithoutTheBot() {
		this.rest.get()
			.uri("/demo/chat")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.appId")
			.isEqualTo("demo")
			.jsonPath("$.bot")
			.isEqualTo("bot")
			.jsonPath("$.group")
			.isEqualTo("lobby")
			.jsonPath("$.users.alice")
			.isEqualTo("alice-token")
			.jsonPath("$.users.bot")
			.doesNotExist()
			.jsonPath("$.destinations.user")
			.isEqualTo("/queue/cometchat.{appId}.user.{uid}")
			.jsonPath("$.destinations.group")
			.isEqualTo("/topic/cometchat.{appId}.group.{guid}");
	}

	@Test
	void pageAndItsStompClientAreServedByTheApplication() {
		String page = this.rest.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("src=\"webjars/stomp__stompjs/bundles/stomp.umd.min.js\"")
			.contains("src=\"demo.js\"")
			.contains("href=\"actuator/health/cometchat\"")
			.doesNotContain("src=\"http", "href=\"http");
		for (String resource : new String[] { "/webjars/stomp__stompjs/bundles/stomp.umd.min.js", "/demo.js",
				"/demo.css" }) {
			this.rest.get().uri(resource).exchange().expectStatus().isOk();
		}
		this.rest.get()
			.uri("/webjars/stomp__stompjs/bundles/stomp.umd.min.js")
			.exchange()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.parseMediaType("text/javascript"));
	}

}
