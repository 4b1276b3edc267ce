package com.cometchat.spring.session;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Spring Data JPA repository of {@link CometChatSession}s, keyed by app id and uid. Its bulk deletes and updates
 * ({@link CometChatSessionBulkOperations}) are built with the Criteria API, not declared as JPQL {@code @Query}
 * strings: Spring Data checks those when the repository is created, which makes Hibernate load its JPQL parser while
 * the application starts.
 *
 * @author CometChat
 */
public interface CometChatSessionRepository
		extends JpaRepository<CometChatSession, CometChatSession.Key>, CometChatSessionBulkOperations {

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

}
