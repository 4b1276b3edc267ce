package com.cometchat.spring.client;

import org.springframework.util.Assert;

/**
 * The user logged in to a {@link CometChatClient}.
 *
 * @param uid the user's id
 * @author CometChat
 */
public record CometChatUser(String uid) {

	public CometChatUser {
		Assert.hasText(uid, "'uid' must not be empty");
	}

}
