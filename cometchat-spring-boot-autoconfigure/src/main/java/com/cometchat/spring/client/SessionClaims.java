package com.cometchat.spring.client;

/**
 * Who holds which uid in an application: a user has one session, whether the single client or the connection manager
 * holds it, so one socket. A client claims a uid before it logs it in and releases it once it no longer holds it.
 *
 * @author CometChat
 */
interface SessionClaims {

	/**
	 * Claims that always succeed: a client on its own.
	 */
	SessionClaims NONE = new SessionClaims() {

		@Override
		public boolean claim(String uid) {
			return true;
		}

		@Override
		public void release(String uid) {
		}

	};

	/**
	 * Claim a uid.
	 * @param uid the uid
	 * @return whether the caller holds it now (or held it already); {@code false} when another session holds it
	 */
	boolean claim(String uid);

	/**
	 * Release a uid the caller claimed.
	 * @param uid the uid
	 */
	void release(String uid);

}
