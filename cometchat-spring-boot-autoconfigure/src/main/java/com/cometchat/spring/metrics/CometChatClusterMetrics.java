package com.cometchat.spring.metrics;

import com.cometchat.spring.cluster.LeaseKeeper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Micrometer meters of this replica's leases ({@code cometchat.cluster.mode=lease}): {@code cometchat.cluster.held}
 * (gauge: sessions this replica holds), {@code cometchat.cluster.may.act} (gauge: 1 while its lease is fresh enough to
 * act, else 0), and the counters {@code cometchat.cluster.acquired}, {@code cometchat.cluster.lost},
 * {@code cometchat.cluster.renewals} (tag {@code outcome}: {@code success} or {@code failure}) and
 * {@code cometchat.cluster.fenced} (times it stopped acting by itself). Tagged by app id, never by uid.
 *
 * @author CometChat
 */
public final class CometChatClusterMetrics {

	private CometChatClusterMetrics() {
	}

	/**
	 * Register the meters of a keeper.
	 * @param registry the meter registry
	 * @param appId the app id, the {@code app} tag
	 * @param keeper this replica's keeper
	 */
	public static void bind(MeterRegistry registry, String appId, LeaseKeeper keeper) {
		Tags tags = Tags.of("app", appId);
		Gauge.builder("cometchat.cluster.held", keeper, (leases) -> leases.held().size())
			.tags(tags)
			.description("Saved sessions this replica holds")
			.register(registry);
		Gauge.builder("cometchat.cluster.may.act", keeper, (leases) -> leases.mayAct() ? 1 : 0)
			.tags(tags)
			.description("1 while this replica's lease is fresh enough to act for its sessions, else 0")
			.register(registry);
		FunctionCounter.builder("cometchat.cluster.acquired", keeper, (leases) -> leases.counts().acquired())
			.tags(tags)
			.description("Sessions this replica took (free ones, a dead replica's, or by a login)")
			.register(registry);
		FunctionCounter.builder("cometchat.cluster.lost", keeper, (leases) -> leases.counts().lost())
			.tags(tags)
			.description("Sessions this replica stopped holding (handed over, taken elsewhere, or with its lease)")
			.register(registry);
		FunctionCounter.builder("cometchat.cluster.renewals", keeper, (leases) -> leases.counts().renewals())
			.tags(tags.and("outcome", "success"))
			.description("Renewals of this replica's lease")
			.register(registry);
		FunctionCounter.builder("cometchat.cluster.renewals", keeper, (leases) -> leases.counts().failedRenewals())
			.tags(tags.and("outcome", "failure"))
			.description("Renewals of this replica's lease")
			.register(registry);
		FunctionCounter.builder("cometchat.cluster.fenced", keeper, (leases) -> leases.counts().selfFenced())
			.tags(tags)
			.description("Times this replica stopped acting by itself because it could not renew in time")
			.register(registry);
	}

}
