package com.cometchat.spring.soak;

/**
 * The faults a {@link ChaosSoak} injects, each on one client's link (through its fault proxy) or on the broker.
 */
enum FaultType {

	/**
	 * The link is cut: both TCP connections through the client's proxy are reset; instantaneous.
	 */
	CUT("cut", true),

	/**
	 * The link goes silent (sockets stay open, nothing passes) until the client notices, that is until its state
	 * leaves {@code CONNECTED}; then it heals.
	 */
	BLACKHOLE("blackhole", true),

	/**
	 * The link goes silent for 0.3 to 1.5 s, less than heart-beats need to notice; then it heals.
	 */
	SHORT_BLACKHOLE("short-blackhole", true),

	/**
	 * The broker closes the client's connection, as the management UI's force close does; instantaneous.
	 */
	BROKER_CLOSE("broker-close", true),

	/**
	 * The broker application stops and starts ({@code rabbitmqctl stop_app}, {@code start_app}): every client drops.
	 */
	BROKER_RESTART("broker-restart", false),

	/**
	 * A STOMP {@code ERROR} frame reaches the client on its established connection (after the broker's
	 * {@code CONNECTED}), as if the broker had sent it; instantaneous.
	 */
	ERROR_FRAME("error-frame", true);

	private final String label;

	private final boolean onALink;

	FaultType(String label, boolean onALink) {
		this.label = label;
		this.onALink = onALink;
	}

	/**
	 * Return the name of the fault in the soak's output.
	 * @return the label
	 */
	String label() {
		return this.label;
	}

	/**
	 * Return whether the fault hits one client's link rather than the broker.
	 * @return whether it needs a target client
	 */
	boolean onALink() {
		return this.onALink;
	}

}
