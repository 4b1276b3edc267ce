package com.cometchat.spring.session;

import java.time.Instant;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaDelete;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.Root;

/**
 * {@link CometChatSessionBulkOperations} with the Criteria API, which Hibernate turns into SQL without parsing JPQL.
 * Spring Data finds it by its name and adds it to {@link CometChatSessionRepository}.
 *
 * @author CometChat
 */
class CometChatSessionBulkOperationsImpl implements CometChatSessionBulkOperations {

	private static final String APP_ID = "appId";

	private static final String UID = "uid";

	private static final String PRIMARY_SESSION = "primarySession";

	@PersistenceContext
	private EntityManager entityManager;

	@Override
	public int deleteOtherPrimarySessions(String appId, String uid) {
		CriteriaBuilder builder = this.entityManager.getCriteriaBuilder();
		CriteriaDelete<CometChatSession> delete = builder.createCriteriaDelete(CometChatSession.class);
		Root<CometChatSession> session = delete.from(CometChatSession.class);
		delete.where(builder.equal(session.get(APP_ID), appId), builder.isTrue(session.get(PRIMARY_SESSION)),
				builder.notEqual(session.get(UID), uid));
		return this.entityManager.createQuery(delete).executeUpdate();
	}

	@Override
	public int deletePrimarySession(String appId) {
		CriteriaBuilder builder = this.entityManager.getCriteriaBuilder();
		CriteriaDelete<CometChatSession> delete = builder.createCriteriaDelete(CometChatSession.class);
		Root<CometChatSession> session = delete.from(CometChatSession.class);
		delete.where(builder.equal(session.get(APP_ID), appId), builder.isTrue(session.get(PRIMARY_SESSION)));
		return this.entityManager.createQuery(delete).executeUpdate();
	}

	@Override
	public int markConnected(String appId, String uid, Instant connectedAt) {
		CriteriaBuilder builder = this.entityManager.getCriteriaBuilder();
		CriteriaUpdate<CometChatSession> update = builder.createCriteriaUpdate(CometChatSession.class);
		Root<CometChatSession> session = update.from(CometChatSession.class);
		update.set(session.<Instant>get("lastConnectedAt"), connectedAt);
		update.where(builder.equal(session.get(APP_ID), appId), builder.equal(session.get(UID), uid));
		return this.entityManager.createQuery(update).executeUpdate();
	}

}
