package com.cometchat.spring.demo;

import java.util.LinkedHashMap;
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

	/**
	 * The bot.
	 */
	public static class Bot {

		/**
		 * Uid the bot logs in with. Its auth token is the one of this uid in 'demo.users'.
		 */
		private String uid = "bot";

		public String getUid() {
			return this.uid;
		}

		public void setUid(String uid) {
			this.uid = uid;
		}

	}

}
