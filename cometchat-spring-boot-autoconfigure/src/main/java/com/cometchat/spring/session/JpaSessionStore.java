package com.cometchat.spring.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.annotation.Transactional;

/**
 * {@link SessionStore} on a {@link CometChatSessionRepository}: sessions survive restarts, in any database JPA
 * supports. Saving a primary session ends the app's earlier primary session in the same transaction (when the store is
 * a Spring bean, so that its {@code @Transactional} applies).
 *
 * @author CometChat
 */
public class JpaSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(JpaSessionStore.class);

	private final CometChatSessionRepository repository;

	private final TokenCipher cipher;

	private final Runnable beforeUse;

	/**
	 * Create a store that keeps tokens in clear.
	 * @param repository the repository
	 */
	public JpaSessionStore(CometChatSessionRepository repository) {
		this(repository, TokenCipher.NONE);
	}

	/**
	 * Create a store.
	 * @param repository the repository
	 * @param cipher encrypts tokens at rest
	 */
	public JpaSessionStore(CometChatSessionRepository repository, TokenCipher cipher) {
		this(repository, cipher, () -> {
		});
	}

	/**
	 * Create a store.
	 * @param repository the repository
	 * @param cipher encrypts tokens at rest
	 * @param beforeUse runs before each call, e.g. to create the table once the database is reachable
	 */
	public JpaSessionStore(CometChatSessionRepository repository, TokenCipher cipher, Runnable beforeUse) {
		this.repository = repository;
		this.cipher = cipher;
		this.beforeUse = beforeUse;
	}

	@Override
	public Optional<StoredSession> load(String appId) {
		this.beforeUse.run();
		return this.repository.findByAppIdAndPrimarySessionTrue(appId).stream().findFirst().map(this::toSession);
	}

	@Override
	public Optional<StoredSession> load(String appId, String uid) {
		this.beforeUse.run();
		return this.repository.findById(new CometChatSession.Key(appId, uid)).map(this::toSession);
	}

	/**
	 * Load every session of an app. A row whose token cannot be decrypted (saved with another key) is left out and
	 * logged, so that one such row does not keep every other session from being restored.
	 */
	@Override
	public List<StoredSession> loadAll(String appId) {
		this.beforeUse.run();
		List<StoredSession> sessions = new ArrayList<>();
		for (CometChatSession row : this.repository.findByAppId(appId)) {
			try {
				sessions.add(toSession(row));
			}
			catch (IllegalStateException ex) {
				logger.warn("The saved session of uid '" + row.getUid() + "' of app '" + appId + "' is not restored: "
						+ ex.getMessage());
			}
		}
		return sessions;
	}

	@Override
	@Transactional
	public void save(StoredSession session) {
		this.beforeUse.run();
		String token = this.cipher.encrypt(session.authToken());
		try {
			if (session.primary()) {
				this.repository.deleteOtherPrimarySessions(session.appId(), session.uid());
			}
			// Flushed here, so that a refusal is caught below and not at the commit
			this.repository.saveAndFlush(new CometChatSession(session.appId(), session.uid(), session.region(), token,
					session.createdAt(), session.lastConnectedAt(), session.groups(), session.primary()));
		}
		catch (RuntimeException ex) {
			throw TokenSafeStoreException.withoutSecrets(ex, session.authToken(), token);
		}
	}

	@Override
	public void delete(String appId) {
		this.beforeUse.run();
		this.repository.deletePrimarySession(appId);
	}

	@Override
	public void delete(String appId, String uid) {
		this.beforeUse.run();
		this.repository.deleteById(new CometChatSession.Key(appId, uid));
	}

	@Override
	public void markConnected(String appId, String uid, Instant connectedAt) {
		this.beforeUse.run();
		this.repository.markConnected(appId, uid, connectedAt);
	}

	private StoredSession toSession(CometChatSession row) {
		return new StoredSession(row.getAppId(), row.getUid(), row.getRegion(), this.cipher.decrypt(row.getAuthToken()),
				row.getCreatedAt(), row.getLastConnectedAt(), row.getGroups(), row.isPrimarySession());
	}

}
