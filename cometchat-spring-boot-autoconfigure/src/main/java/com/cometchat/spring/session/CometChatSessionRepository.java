package com.cometchat.spring.session;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data JPA repository of {@link CometChatSession}s, keyed by app id.
 *
 * @author CometChat
 */
public interface CometChatSessionRepository extends JpaRepository<CometChatSession, String> {

	/**
	 * Record that the session of an app connected, without loading it.
	 * @param appId the app id
	 * @param connectedAt when it connected
	 * @return the number of rows updated
	 */
	@Transactional
	@Modifying
	@Query("update CometChatSession s set s.lastConnectedAt = :connectedAt where s.appId = :appId")
	int markConnected(String appId, Instant connectedAt);

}
