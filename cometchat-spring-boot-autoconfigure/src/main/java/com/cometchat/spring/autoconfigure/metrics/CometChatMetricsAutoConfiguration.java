package com.cometchat.spring.autoconfigure.metrics;

import com.cometchat.spring.autoconfigure.CometChatAutoConfiguration;
import com.cometchat.spring.autoconfigure.CometChatClientBuilderCustomizer;
import com.cometchat.spring.autoconfigure.CometChatProperties;
import com.cometchat.spring.metrics.CometChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link CometChatMetrics}, when a {@link MeterRegistry} exists.
 *
 * @author CometChat
 */
@AutoConfiguration(before = CometChatAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ObservationRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "cometchat.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CometChatProperties.class)
public final class CometChatMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CometChatMetrics cometChatMetrics(MeterRegistry meterRegistry, ObjectProvider<ObservationRegistry> observations,
			CometChatProperties properties) {
		return new CometChatMetrics(meterRegistry, observations.getIfAvailable(() -> ObservationRegistry.NOOP),
				properties.getAppId());
	}

	@Bean
	CometChatClientBuilderCustomizer cometChatMetricsCustomizer(CometChatMetrics metrics) {
		return (builder) -> builder.addObserver(metrics);
	}

}
