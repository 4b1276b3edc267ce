package com.cometchat.spring.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the demo.
 *
 * @author CometChat
 */
@ConfigurationProperties("demo")
public class DemoProperties {

	/**
	 * Users the embedded broker accepts, from uid to auth token: the STOMP CONNECT 'login' and 'passcode'.
	 */
	private final Map<String, String> users = new LinkedHashMap<>();

	/**
	 * Group the bot joins and the page chats in.
	 */
	private String group = "lobby";

	private final Bot bot = new Bot();

	/**
	 * Uids of more bots that the application keeps logged in through the connection manager; their auth tokens are
	 * in 'demo.users'.
	 */
	private List<String> helpers = new ArrayList<>();

	public Map<String, String> getUsers() {
		return this.users;
	}

	public String getGroup() {
		return this.group;
	}

	public void setGroup(String group) {
		this.group = group;
	}

	public Bot getBot() {
		return this.bot;
	}

	public List<String> getHelpers() {
		return this.helpers;
	}

	public void setHelpers(List<String> helpers) {
		this.helpers = helpers;
	}

	/**
	 * The bot.
	 */
	public static class Bot {

		/**
		 * Uid the bot logs in with. Its auth token is the one of this uid in 'demo.users'.
		 */
		private String uid = "bot";

		/**
		 * How long the bot shows that it is typing before it answers. Receivers stop showing it by themselves 5 s
		 * after it started, so keep it shorter.
		 */
		private Duration typingTime = Duration.ofSeconds(1);

		public String getUid() {
			return this.uid;
		}

		public void setUid(String uid) {
			this.uid = uid;
		}

		public Duration getTypingTime() {
			return this.typingTime;
		}

		public void setTypingTime(Duration typingTime) {
			this.typingTime = typingTime;
		}

	}

}
