package com.cometchat.spring.session;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data JPA repository of {@link CometChatSession}s, keyed by app id and uid.
 *
 * @author CometChat
 */
public interface CometChatSessionRepository extends JpaRepository<CometChatSession, CometChatSession.Key> {

	/**
	 * Find the primary session of an app (the single client's).
	 * @param appId the app id
	 * @return the sessions marked primary (at most one)
	 */
	List<CometChatSession> findByAppIdAndPrimarySessionTrue(String appId);

	/**
	 * Find every session of an app.
	 * @param appId the app id
	 * @return the sessions
	 */
	List<CometChatSession> findByAppId(String appId);

	/**
	 * Delete the primary sessions of an app, except the given user's.
	 * @param appId the app id
	 * @param uid the user whose session stays
	 * @return the number of rows deleted
	 */
	@Transactional
	@Modifying
	@Query("delete from CometChatSession s where s.appId = :appId and s.primarySession = true and s.uid <> :uid")
	int deleteOtherPrimarySessions(String appId, String uid);

	/**
	 * Delete the primary session of an app.
	 * @param appId the app id
	 * @return the number of rows deleted
	 */
	@Transactional
	@Modifying
	@Query("delete from CometChatSession s where s.appId = :appId and s.primarySession = true")
	int deletePrimarySession(String appId);

	/**
	 * Record that a session connected, without loading it.
	 * @param appId the app id
	 * @param uid the user's id
	 * @param connectedAt when it connected
	 * @return the number of rows updated
	 */
	@Transactional
	@Modifying
	@Query("update CometChatSession s set s.lastConnectedAt = :connectedAt where s.appId = :appId and s.uid = :uid")
	int markConnected(String appId, String uid, Instant connectedAt);

}
