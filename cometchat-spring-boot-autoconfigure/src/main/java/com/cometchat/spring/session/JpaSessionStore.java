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
		return this.repository.findById(appId)
			.map((row) -> new StoredSession(row.getAppId(), row.getUid(), row.getRegion(),
					this.cipher.decrypt(row.getAuthToken()),
					row.getCreatedAt(), row.getLastConnectedAt(), row.getGroups()));
	}

	@Override
	public void save(StoredSession session) {
		this.beforeUse.run();
		this.repository.save(new CometChatSession(session.appId(), session.uid(), session.region(),
				this.cipher.encrypt(session.authToken()), session.createdAt(), session.lastConnectedAt(),
				session.groups()));
	}

	@Override
	public void delete(String appId) {
		this.beforeUse.run();
		this.repository.deleteById(appId);
	}

	@Override
	public void markConnected(String appId, Instant connectedAt) {
		this.beforeUse.run();
		this.repository.markConnected(appId, connectedAt);
	}

}
