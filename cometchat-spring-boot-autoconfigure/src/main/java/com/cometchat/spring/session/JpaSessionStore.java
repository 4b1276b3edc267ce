package com.cometchat.spring.session;

import java.time.Instant;
import java.util.Optional;

/**
 * {@link SessionStore} on a {@link CometChatSessionRepository}: sessions survive restarts, in any database JPA
 * supports.
 *
 * @author CometChat
 */
public class JpaSessionStore implements SessionStore {

	private final CometChatSessionRepository repository;

	private final TokenCipher cipher;

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
		this.repository = repository;
		this.cipher = cipher;
	}

	@Override
	public Optional<StoredSession> load(String appId) {
		return this.repository.findById(appId)
			.map((row) -> new StoredSession(row.getAppId(), row.getUid(), row.getRegion(),
					this.cipher.decrypt(row.getAuthToken()),
					row.getCreatedAt(), row.getLastConnectedAt(), row.getGroups()));
	}

	@Override
	public void save(StoredSession session) {
		this.repository.save(new CometChatSession(session.appId(), session.uid(), session.region(),
				this.cipher.encrypt(session.authToken()), session.createdAt(), session.lastConnectedAt(),
				session.groups()));
	}

	@Override
	public void delete(String appId) {
		this.repository.deleteById(appId);
	}

	@Override
	public void markConnected(String appId, Instant connectedAt) {
		this.repository.markConnected(appId, connectedAt);
	}

}
