package com.cometchat.spring.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cometchat.spring.autoconfigure.CometChatProperties;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the page's own STOMP client needs to chat: the demo users it may log in as (with their tokens: they are demo
 * users of the embedded broker, listed in {@code application.yml} anyway), the bot, the group and the destination
 * templates of the starter, so that the page talks to the bot exactly as another CometChat client would.
 *
 * @author CometChat
 */
@RestController
class ChatPageController {

	private final ChatConfig config;

	ChatPageController(DemoProperties demo, CometChatProperties cometchat) {
		Map<String, String> users = new LinkedHashMap<>(demo.getUsers());
		users.remove(demo.getBot().getUid());
		demo.getHelpers().forEach(users::remove);
		this.config = new ChatConfig(cometchat.getAppId(), demo.getBot().getUid(), List.copyOf(demo.getHelpers()),
				demo.getGroup(), users, new DestinationTemplates(cometchat.getDestinations().getUser(),
						cometchat.getDestinations().getGroup()));
	}

	@GetMapping("/demo/chat")
	ChatConfig chat() {
		return this.config;
	}

	/**
	 * The page's chat settings.
	 *
	 * @param appId the app id, part of every destination
	 * @param bot the bot's uid
	 * @param helpers the uids of the helpers, bots with sessions of the connection manager
	 * @param group the group the bot joined
	 * @param users the users the page may log in as, uid to auth token
	 * @param destinations the destination templates
	 */
	record ChatConfig(String appId, String bot, List<String> helpers, String group, Map<String, String> users,
			DestinationTemplates destinations) {

	}

	/**
	 * Destination templates with {@code {appId}}, {@code {uid}} and {@code {guid}} placeholders.
	 *
	 * @param user the inbox of a user
	 * @param group the topic of a group
	 */
	record DestinationTemplates(String user, String group) {

	}

}
