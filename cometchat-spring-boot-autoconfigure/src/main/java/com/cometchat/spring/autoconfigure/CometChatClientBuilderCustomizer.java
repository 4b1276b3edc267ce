package com.cometchat.spring.autoconfigure;

import com.cometchat.spring.client.CometChatClientBuilder;

/**
 * Callback to customize the {@link CometChatClientBuilder} of the auto-configured client, after the properties were
 * applied.
 *
 * @author CometChat
 */
@FunctionalInterface
public interface CometChatClientBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(CometChatClientBuilder builder);

}
