package com.cometchat.spring.client.transport;

/**
 * Opens connections to the broker. The {@link ConnectionManager} drives one connection at a time through it; tests
 * replace it with a scripted transport.
 *
 * @author CometChat
 */
public interface Transport {

	/**
	 * Start opening a connection. Must not block: the outcome is reported to the listener, from any thread and
	 * possibly more than once; the manager keeps only the first relevant report of each connection.
	 * @param credentials the user's credentials
	 * @param listener receives the outcome
	 * @return a handle to close the connection, also while it is still opening
	 */
	TransportConnection open(Credentials credentials, TransportListener listener);

	/**
	 * Watch for the broker to come back while a connection waits to reconnect, so that it can try at once rather
	 * than when its back-off ends. Does nothing by default.
	 * @param onBack called at most once, from any thread, when the broker is seen to be reachable again after it
	 * was not
	 * @return stops watching
	 */
	default Runnable watchForBroker(Runnable onBack) {
		return () -> {
		};
	}

	/**
	 * Watch for the broker to come back, right after an attempt failed. With {@code openPortIsBack}, a broker found
	 * reachable at the first look counts as back too: the attempt that just failed stands for the broker seen down
	 * (its port may have opened just after the attempt reached it). The caller limits how often it asks for that, so
	 * that a broker that accepts TCP but fails every STOMP connection is not retried in a loop. By default the same
	 * as {@link #watchForBroker(Runnable)}.
	 * @param onBack called at most once, from any thread, when the broker is seen to be back
	 * @param openPortIsBack whether a broker reachable at the first look counts as back
	 * @return stops watching
	 */
	default Runnable watchForBroker(Runnable onBack, boolean openPortIsBack) {
		return watchForBroker(onBack);
	}

}
