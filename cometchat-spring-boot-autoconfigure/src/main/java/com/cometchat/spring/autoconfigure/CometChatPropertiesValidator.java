package com.cometchat.spring.autoconfigure;

import java.time.Duration;

import com.cometchat.spring.autoconfigure.CometChatProperties.Reconnect;
import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Checks {@link CometChatProperties} before the client is built, so that a wrong value fails start-up with the
 * property's name instead of misbehaving later.
 *
 * @author CometChat
 */
final class CometChatPropertiesValidator {

	private CometChatPropertiesValidator() {
	}

	static void validateWebSocketClient(WebSocketClientType type, @Nullable ClassLoader classLoader) {
		if (!WebSocketClients.isAvailable(type, classLoader)) {
			String artifact = (type == WebSocketClientType.JETTY)
					? "org.eclipse.jetty.ee11.websocket:jetty-ee11-websocket-jakarta-client"
					: "org.apache.tomcat.embed:tomcat-embed-websocket";
			throw new InvalidCometChatPropertyException("cometchat.websocket-client", type.name().toLowerCase(),
					"its library is not on the class path",
					"Add " + artifact + " to the application, or set cometchat.websocket-client to auto.");
		}
	}

	static void validate(CometChatProperties properties) {
		if (!StringUtils.hasText(properties.getAppId())) {
			throw new InvalidCometChatPropertyException("cometchat.app-id", properties.getAppId(), "it is empty",
					"Set cometchat.app-id to your app id.");
		}
		if (properties.getSenderVerification().isDropUnverified()
				&& !StringUtils.hasText(properties.getSenderVerification().getHeader())) {
			throw new InvalidCometChatPropertyException("cometchat.sender-verification.drop-unverified", "true",
					"no header to verify senders by is set, so every message would be dropped",
					"Set cometchat.sender-verification.header to the header your broker vouches in (RabbitMQ: user-id), "
							+ "or set drop-unverified to false.");
		}
		positive(properties.getConnectTimeout(), "cometchat.connect-timeout");
		positive(properties.getShutdownTimeout(), "cometchat.shutdown-timeout");
		positive(properties.getReceiptTimeout(), "cometchat.receipt-timeout");
		if (properties.getSendQueueCapacity() < 0) {
			throw new InvalidCometChatPropertyException("cometchat.send-queue-capacity",
					properties.getSendQueueCapacity(), "it is negative",
					"Set cometchat.send-queue-capacity to 0 (no queue) or more, for example 1000.");
		}
		if (properties.getConnectionManager().getRestoreConcurrency() <= 0) {
			throw new InvalidCometChatPropertyException("cometchat.connection-manager.restore-concurrency",
					properties.getConnectionManager().getRestoreConcurrency(), "it must be positive",
					"Set cometchat.connection-manager.restore-concurrency to 1 or more, for example 64.");
		}
		CometChatProperties.Cluster cluster = properties.getCluster();
		positive(cluster.getLeaseTtl(), "cometchat.cluster.lease-ttl");
		positive(cluster.getRenewInterval(), "cometchat.cluster.renew-interval");
		positive(cluster.getLeaseMargin(), "cometchat.cluster.lease-margin");
		if (cluster.getLeaseTtl().compareTo(cluster.getRenewInterval().multipliedBy(2).plus(cluster.getLeaseMargin())) < 0) {
			throw new InvalidCometChatPropertyException("cometchat.cluster.lease-ttl", cluster.getLeaseTtl(),
					"it is shorter than twice cometchat.cluster.renew-interval (" + cluster.getRenewInterval()
							+ ") plus cometchat.cluster.lease-margin (" + cluster.getLeaseMargin() + ")",
					"Set cometchat.cluster.lease-ttl to at least that, for example 5s with renew-interval 1s and "
							+ "lease-margin 1s: then one late renewal costs no session.");
		}
		template(properties.getDestinations().getUser(), "cometchat.destinations.user", "{uid}");
		template(properties.getDestinations().getGroup(), "cometchat.destinations.group", "{guid}");
		notNegative(properties.getHeartbeat().getOutgoing(), "cometchat.heartbeat.outgoing");
		notNegative(properties.getHeartbeat().getIncoming(), "cometchat.heartbeat.incoming");
		notNegative(properties.getPresence().getHeartbeatInterval(), "cometchat.presence.heartbeat-interval");
		if (properties.getPresence().getMissedHeartbeats() < 1) {
			throw new InvalidCometChatPropertyException("cometchat.presence.missed-heartbeats",
					properties.getPresence().getMissedHeartbeats(), "it must be at least 1",
					"Set cometchat.presence.missed-heartbeats to 1 or more, for example 3, or switch the heartbeats "
							+ "off with cometchat.presence.heartbeat-interval=0.");
		}
		long inboundLimit = properties.getInboundMessageSizeLimit().toBytes();
		if (inboundLimit <= 0 || inboundLimit > Integer.MAX_VALUE) {
			throw new InvalidCometChatPropertyException("cometchat.inbound-message-size-limit",
					properties.getInboundMessageSizeLimit(), "it must be between 1B and 2GB",
					"Set cometchat.inbound-message-size-limit to a size such as 64KB.");
		}
		long coalescingLimit = properties.getFrameCoalescingLimit().toBytes();
		if (coalescingLimit < 0 || coalescingLimit > Integer.MAX_VALUE) {
			throw new InvalidCometChatPropertyException("cometchat.frame-coalescing-limit",
					properties.getFrameCoalescingLimit(), "it must be between 0B and 2GB",
					"Set cometchat.frame-coalescing-limit to a size such as 8KB, or to 0 to write each frame on its "
							+ "own.");
		}
		notNegative(properties.getAcknowledgeDelay(), "cometchat.acknowledge-delay");
		Reconnect reconnect = properties.getReconnect();
		positive(reconnect.getInitialInterval(), "cometchat.reconnect.initial-interval");
		positive(reconnect.getMaxInterval(), "cometchat.reconnect.max-interval");
		notNegative(reconnect.getJitter(), "cometchat.reconnect.jitter");
		notNegative(reconnect.getProbeInterval(), "cometchat.reconnect.probe-interval");
		if (reconnect.getMultiplier() < 1) {
			throw new InvalidCometChatPropertyException("cometchat.reconnect.multiplier", reconnect.getMultiplier(),
					"it must be at least 1", "Set cometchat.reconnect.multiplier to 1 or more, for example 2.");
		}
		if (reconnect.getMaxInterval().compareTo(reconnect.getInitialInterval()) < 0) {
			throw new InvalidCometChatPropertyException("cometchat.reconnect.max-interval",
					reconnect.getMaxInterval(), "it is shorter than cometchat.reconnect.initial-interval ("
							+ reconnect.getInitialInterval() + ")",
					"Set cometchat.reconnect.max-interval to at least cometchat.reconnect.initial-interval.");
		}
		Long maxAttempts = reconnect.getMaxAttempts();
		if (maxAttempts != null && maxAttempts < 0) {
			throw new InvalidCometChatPropertyException("cometchat.reconnect.max-attempts", maxAttempts,
					"it is negative", "Remove cometchat.reconnect.max-attempts for unlimited retries, or set 0 or more.");
		}
	}

	private static void template(String value, String property, String placeholder) {
		if (!StringUtils.hasText(value) || !value.contains(placeholder)) {
			throw new InvalidCometChatPropertyException(property, value, "it does not contain " + placeholder,
					"Set " + property + " to a destination template with " + placeholder
							+ ", for example /queue/cometchat.{appId}.user.{uid}.");
		}
	}

	private static void positive(Duration value, String property) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidCometChatPropertyException(property, value, "it must be positive",
					"Set " + property + " to a positive duration, for example 10s.");
		}
	}

	private static void notNegative(Duration value, String property) {
		if (value.isNegative()) {
			throw new InvalidCometChatPropertyException(property, value, "it must not be negative",
					"Set " + property + " to zero (off) or a positive duration, for example 10s.");
		}
	}

}
