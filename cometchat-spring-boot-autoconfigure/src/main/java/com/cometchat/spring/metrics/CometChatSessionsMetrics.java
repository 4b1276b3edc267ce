package com.cometchat.spring.metrics;

import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;

/**
 * Micrometer meters of a connection manager's sessions: {@code cometchat.sessions} (gauge, tag {@code state}: the
 * number of sessions in that state) and {@code cometchat.sessions.pending} (gauge: sends waiting, over every session).
 * Each session is observed by a {@link CometChatMetrics} of its own, without the gauges of one connection, whose
 * counters and timers are the same meters as the single client's (Micrometer keeps one meter per name and tags), so
 * they add up over every session. Tagged by app id, never by uid.
 *
 * @author CometChat
 */
public class CometChatSessionsMetrics {

	/**
	 * Register the gauges and meter every session the manager creates from now on; before it starts, so that every
	 * session it restores is metered.
	 * @param registry the meter registry
	 * @param observations the observation registry ({@link ObservationRegistry#NOOP} for none)
	 * @param appId the app id, the {@code app} tag
	 * @param manager the connection manager
	 */
	public CometChatSessionsMetrics(MeterRegistry registry, ObservationRegistry observations, String appId,
			DefaultCometChatConnectionManager manager) {
		Tags tags = Tags.of("app", appId);
		for (ConnectionState value : ConnectionState.values()) {
			Gauge.builder("cometchat.sessions", manager, (sessions) -> sessions.countByState().getOrDefault(value, 0))
				.tags(tags.and("state", value.name()))
				.description("Sessions of the connection manager in this state")
				.register(registry);
		}
		Gauge.builder("cometchat.sessions.pending", manager, DefaultCometChatConnectionManager::pendingSends)
			.tags(tags)
			.description("Sends waiting for a connection or for their receipt, over every session")
			.register(registry);
		manager.setObservers(() -> new CometChatMetrics(registry, observations, appId, false));
	}

}
