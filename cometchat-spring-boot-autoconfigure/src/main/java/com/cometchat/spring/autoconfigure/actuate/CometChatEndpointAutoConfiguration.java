package com.cometchat.spring.autoconfigure.actuate;

import com.cometchat.spring.actuate.CometChatEndpoint;
import com.cometchat.spring.actuate.CometChatEndpointWebExtension;
import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatConnectionDetails;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.health.CometChatHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link CometChatEndpoint}.
 *
 * @author CometChat
 */
@AutoConfiguration(after = CometChatAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean({ CometChatClient.class, CometChatConnectionDetails.class })
@ConditionalOnAvailableEndpoint(CometChatEndpoint.class)
public final class CometChatEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CometChatEndpoint cometChatEndpoint(CometChatClient client, ObjectProvider<DefaultCometChatConnectionManager> manager,
			CometChatConnectionDetails connectionDetails) {
		return new CometChatEndpoint(client, manager.getIfAvailable(),
				CometChatHealthIndicator.withoutSecrets(connectionDetails.getUrl()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CometChatEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	CometChatEndpointWebExtension cometChatEndpointWebExtension(CometChatEndpoint endpoint) {
		return new CometChatEndpointWebExtension(endpoint);
	}

}
