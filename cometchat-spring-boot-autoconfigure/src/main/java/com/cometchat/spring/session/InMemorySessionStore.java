package com.cometchat.spring.session;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionStore} in memory: sessions do not survive a restart of the JVM.
 *
 * @author CometChat
 */
public class InMemorySessionStore implements SessionStore {

	private final Map<String, StoredSession> sessions = new ConcurrentHashMap<>();

	@Override
	public Optional<StoredSession> load(String appId) {
		return Optional.ofNullable(this.sessions.get(appId));
	}

	@Override
	public void save(StoredSession session) {
		this.sessions.put(session.appId(), session);
	}

	@Override
	public void delete(String appId) {
		this.sessions.remove(appId);
	}

	@Override
	public String toString() {
		return "InMemorySessionStore[" + this.sessions.size() + " sessions]";
	}

}
