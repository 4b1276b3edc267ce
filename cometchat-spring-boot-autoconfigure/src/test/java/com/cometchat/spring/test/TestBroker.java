package com.cometchat.spring.test;

/**
 * A STOMP-over-WebSocket broker run by a test, that can go down and come back on the same URL.
 */
public interface TestBroker extends AutoCloseable {

	/**
	 * Register a user that may connect.
	 * @param uid the STOMP login
	 * @param token the STOMP passcode
	 * @return this broker
	 */
	TestBroker addUser(String uid, String token);

	/**
	 * Register many users that may connect.
	 * @param users uid to token
	 * @return this broker
	 */
	default TestBroker addUsers(java.util.Map<String, String> users) {
		users.forEach(this::addUser);
		return this;
	}

	/**
	 * Give a user another token, as an auth server does when the old one expires: connections open now stay up, the
	 * next {@code CONNECT} needs the new token.
	 * @param uid the STOMP login
	 * @param token the new STOMP passcode
	 * @return this broker
	 */
	default TestBroker changeToken(String uid, String token) {
		return addUser(uid, token);
	}

	void start();

	void stop();

	/**
	 * Return the URL clients connect to; the same across restarts.
	 * @return the URL
	 */
	String url();

	/**
	 * Return the number of CONNECT attempts with the given login since the broker was created.
	 * @param uid the login
	 * @return the number of attempts
	 */
	int connectAttempts(String uid);

	/**
	 * Return the destinations of a user's subscriptions on the broker now, one entry per subscription (a doubled
	 * subscription shows twice).
	 * @param uid the login
	 * @return the destinations
	 */
	java.util.List<String> subscriptions(String uid);

	/**
	 * Drop every client connection, as a network cut or broker crash would; the broker accepts connections again
	 * afterwards.
	 */
	void dropConnections();

	/**
	 * Return the number of client connections open now.
	 * @return the number of connections
	 */
	int connectionCount();

	@Override
	void close();

}
