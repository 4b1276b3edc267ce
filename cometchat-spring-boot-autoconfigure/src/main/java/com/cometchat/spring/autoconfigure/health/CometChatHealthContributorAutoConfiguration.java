package com.cometchat.spring.autoconfigure.health;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.health.CometChatHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link CometChatHealthIndicator}, shown as {@code cometchat} ({@code /actuator/health/cometchat}).
 *
 * @author CometChat
 */
@AutoConfiguration(after = CometChatAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
@ConditionalOnBean({ CometChatClient.class, CometChatConnectionDetails.class })
@ConditionalOnEnabledHealthIndicator("cometchat")
public final class CometChatHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "cometchatHealthIndicator")
	CometChatHealthIndicator cometchatHealthIndicator(CometChatClient client,
			ObjectProvider<DefaultCometChatConnectionManager> manager, CometChatConnectionDetails connectionDetails) {
		return new CometChatHealthIndicator(client, manager.getIfAvailable(), connectionDetails.getUrl());
	}

}
