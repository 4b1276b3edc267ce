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

}
