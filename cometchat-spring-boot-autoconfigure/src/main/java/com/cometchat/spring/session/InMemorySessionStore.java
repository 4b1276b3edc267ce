package com.cometchat.spring.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionStore} in memory: sessions do not survive a restart of the JVM.
 *
 * @author CometChat
 */
public class InMemorySessionStore implements SessionStore {

	private final Map<Key, StoredSession> sessions = new ConcurrentHashMap<>();

	@Override
	public Optional<StoredSession> load(String appId) {
		return this.sessions.values()
			.stream()
			.filter((session) -> session.appId().equals(appId) && session.primary())
			.findFirst();
	}

	@Override
	public Optional<StoredSession> load(String appId, String uid) {
		return Optional.ofNullable(this.sessions.get(new Key(appId, uid)));
	}

	@Override
	public List<StoredSession> loadAll(String appId) {
		return this.sessions.values().stream().filter((session) -> session.appId().equals(appId)).toList();
	}

	@Override
	public synchronized void save(StoredSession session) {
		if (session.primary()) {
			this.sessions.values()
				.removeIf((other) -> other.appId().equals(session.appId()) && other.primary()
						&& !other.uid().equals(session.uid()));
		}
		this.sessions.put(new Key(session.appId(), session.uid()), session);
	}

	@Override
	public synchronized void delete(String appId) {
		this.sessions.values().removeIf((session) -> session.appId().equals(appId) && session.primary());
	}

	@Override
	public void delete(String appId, String uid) {
		this.sessions.remove(new Key(appId, uid));
	}

	@Override
	public String toString() {
		return "InMemorySessionStore[" + this.sessions.size() + " sessions]";
	}

	private record Key(String appId, String uid) {
	}

}
