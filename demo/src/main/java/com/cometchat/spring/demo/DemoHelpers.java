package com.cometchat.spring.demo;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import com.cometchat.spring.annotation.CometChatListener;
import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionSnapshot;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * More bots of the same application, each with its own socket and saved session, through the starter's
 * {@link CometChatConnectionManager}: logged in once, restored by the manager at every later start, and each answers
 * the direct messages it gets. {@code GET /demo/sessions} shows them for the page.
 *
 * @author CometChat
 */
@Component
@RestController
class DemoHelpers {

	private static final Log logger = LogFactory.getLog(DemoHelpers.class);

	private final CometChatConnectionManager sessions;

	private final DemoProperties properties;

	DemoHelpers(CometChatConnectionManager sessions, DemoProperties properties) {
		this.sessions = sessions;
		this.properties = properties;
	}

	/**
	 * Log in the helpers the manager did not restore from an earlier run.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.sessions.restored().whenComplete((restored, failure) -> {
			for (String uid : this.properties.getHelpers()) {
				String token = this.properties.getUsers().get(uid);
				if (this.sessions.getClient(uid).isPresent() || !StringUtils.hasText(token)) {
					continue;
				}
				this.sessions.login(uid, token)
					.whenComplete((client, loginFailure) -> logger.info("Helper '" + uid + "' "
							+ ((loginFailure != null) ? "could not log in: " + loginFailure.getMessage()
									: "logged in: new session saved")));
			}
		});
	}

	/**
	 * Answer a direct text message to a helper; with a uid and a client, the method hears every session of the
	 * connection manager, and which one got the message.
	 * @param uid the session's user
	 * @param client the session's client
	 * @param message the message
	 */
	@CometChatListener(type = OutgoingMessage.TEXT, receiverType = ReceiverType.USER)
	void answer(String uid, CometChatClient client, ChatMessage message) {
		// Every session, the bot's too: the bot answers for itself
		if (this.properties.getHelpers().contains(uid)) {
			client.sendMessage(OutgoingMessage.text(ReceiverType.USER, message.sender(),
					uid + " has a socket of its own, and got: " + message.text()));
		}
	}

	@GetMapping("/demo/sessions")
	List<Session> sessions() {
		return this.sessions.getClients()
			.stream()
			.map((client) -> {
				ConnectionSnapshot snapshot = client.getConnectionSnapshot();
				return new Session(client.getLoggedInUser().map(CometChatUser::uid).orElse("?"),
						snapshot.state().name(), snapshot.since());
			})
			.sorted(Comparator.comparing(Session::uid))
			.toList();
	}

	/**
	 * A session of the connection manager, for the page.
	 *
	 * @param uid the user
	 * @param state its connection state
	 * @param since since when
	 */
	record Session(String uid, String state, Instant since) {
	}

}
