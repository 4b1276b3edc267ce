package com.cometchat.spring.autoconfigure.metrics;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatProperties;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.metrics.CometChatSessionsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link CometChatSessionsMetrics}: the meters of the connection manager's sessions, when a {@link MeterRegistry}
 * exists.
 *
 * @author CometChat
 */
@AutoConfiguration(after = { CometChatAutoConfiguration.class, CometChatMetricsAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, ObservationRegistry.class })
@ConditionalOnBean({ MeterRegistry.class, DefaultCometChatConnectionManager.class })
public final class CometChatSessionsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CometChatSessionsMetrics cometChatSessionsMetrics(MeterRegistry meterRegistry,
			DefaultCometChatConnectionManager manager, ObjectProvider<ObservationRegistry> observations,
			CometChatProperties properties) {
		return new CometChatSessionsMetrics(meterRegistry,
				observations.getIfAvailable(() -> ObservationRegistry.NOOP), properties.getAppId(), manager);
	}

}
