package com.cometchat.spring.session;

import java.time.Instant;

import org.springframework.transaction.annotation.Transactional;

/**
 * The bulk deletes and updates of {@link CometChatSessionRepository}: each is one statement, run without loading the
 * sessions it changes.
 *
 * @author CometChat
 */
public interface CometChatSessionBulkOperations {

	/**
	 * Delete the primary sessions of an app, except the given user's.
	 * @param appId the app id
	 * @param uid the user whose session stays
	 * @return the number of rows deleted
	 */
	@Transactional
	int deleteOtherPrimarySessions(String appId, String uid);

	/**
	 * Delete the primary session of an app.
	 * @param appId the app id
	 * @return the number of rows deleted
	 */
	@Transactional
	int deletePrimarySession(String appId);

	/**
	 * Record that a session connected, without loading it.
	 * @param appId the app id
	 * @param uid the user's id
	 * @param connectedAt when it connected
	 * @return the number of rows updated
	 */
	@Transactional
	int markConnected(String appId, String uid, Instant connectedAt);

}
