package com.cometchat.spring.benchmarks.broker;

import java.time.Instant;

/**
 * A broker the recovery figure can stop and start.
 *
 * @author CometChat
 */
public interface RecoveryBroker extends AutoCloseable {

	/**
	 * Return the STOMP-over-WebSocket URL.
	 * @return the URL
	 */
	String url();

	/**
	 * Stop the broker: every connection drops and the port is closed.
	 * @return when it was stopped
	 */
	Instant stop();

	/**
	 * Start the broker.
	 * @return when it accepted connections again
	 */
	Instant start();

	@Override
	void close();

}
