package com.cometchat.spring.integration;

import java.util.concurrent.TimeUnit;

import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messaging through a broker that keeps a group's messages for a durable subscription while the member's socket is
 * down ({@code durableSubscriptions(true)}): RabbitMQ and ActiveMQ Artemis, each with its own headers.
 */
abstract class AbstractDurableMessagingIntegrationTests extends AbstractMessagingIntegrationTests {

	@Test
	void aDurableGroupSubscriptionKeepsMessagesSentWhileTheSocketIsDown() throws Exception {
		String group = "durable-" + this.run;
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect(broker(), "bob", (builder) -> builder.durableSubscriptions(true));
		Inbox bobs = inbox(bob);
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker().subscriptions(uid("bob")).size() == 2);
		bob.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "while you were away"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "in your inbox"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(bobs.messages()).isEmpty();
		bob.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == 2);
		// Sent after it on the same queue: once it is in, so would be a second copy of the first
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "welcome back"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.texts().contains("welcome back"));
		assertThat(bobs.texts()).containsExactlyInAnyOrder("while you were away", "in your inbox", "welcome back");
		bob.leaveGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void heldAcknowledgementsNeitherStallAStreamLongerThanTheBrokersWindowNorLeaveItAnythingAfterAGracefulDisconnect()
			throws Exception {
		DefaultCometChatClient alice = connect("alice");
		// Held for an hour: only the 4 KiB rule and the graceful disconnect write them (the client's heart-beats, every
		// 10 s, would too, later than this test lasts)
		DefaultCometChatClient bob = connect(broker(), "bob",
				(builder) -> builder.acknowledgeDelay(java.time.Duration.ofHours(1)));
		Inbox bobs = inbox(bob);
		// 60 KiB of bodies: six times what ActiveMQ Artemis lets a subscriber leave unacknowledged (10 KiB); a broker
		// waiting for ACKs that never came would stop delivering after about ten
		String filler = "x".repeat(1024);
		int count = 60;
		for (int i = 0; i < count; i++) {
			alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), i + " " + filler))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		await().atMost(TIMEOUT).until(() -> bobs.messages().size() == count);
		// A short one, whose ACK is held whatever the 4 KiB rule wrote before it
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "held"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.texts().contains("held"));
		bob.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		// A second client of bob's, listening from before its login, with no memory of the ids the first one saw: an
		// unacknowledged message would reach it
		Inbox again = new Inbox();
		connect(broker(), "bob", (builder) -> {
		}, (client) -> client.addMessageListener("again", again::add));
		alice.sendMessage(OutgoingMessage.text(ReceiverType.USER, uid("bob"), "after"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> again.texts().contains("after"));
		assertThat(again.texts()).containsExactly("after");
	}

	@Test
	void aGroupLeftKeepsNothingForTheUserWhileTheSocketIsDown() throws Exception {
		String group = "left-" + this.run;
		DefaultCometChatClient alice = connect("alice");
		DefaultCometChatClient bob = connect(broker(), "bob", (builder) -> builder.durableSubscriptions(true));
		Inbox bobs = inbox(bob);
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker().subscriptions(uid("bob")).size() == 2);
		bob.leaveGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker().subscriptions(uid("bob")).size() == 1);
		bob.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "after you left"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		bob.connect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		// Joining again subscribes under the same names, so a subscription kept after the leave would deliver it now
		bob.joinGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> broker().subscriptions(uid("bob")).size() == 2);
		alice.sendMessage(OutgoingMessage.text(ReceiverType.GROUP, group, "after you came back"))
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> bobs.texts().contains("after you came back"));
		assertThat(bobs.texts()).containsExactly("after you came back");
		bob.leaveGroup(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

}
