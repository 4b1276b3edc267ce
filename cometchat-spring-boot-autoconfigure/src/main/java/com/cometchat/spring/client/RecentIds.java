package com.cometchat.spring.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent message ids, to drop the second copy of a message that was resent after a drop. Bounded: the
 * oldest id is forgotten first. Not thread-safe: used on the listener dispatcher only.
 *
 * @author CometChat
 */
final class RecentIds {

	private final Map<String, Boolean> ids;

	RecentIds(int capacity) {
		this.ids = new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > capacity;
			}

		};
	}

	/**
	 * Remember an id.
	 * @param id the id
	 * @return {@code true} if the id is new, {@code false} if it was seen recently
	 */
	boolean add(String id) {
		return this.ids.put(id, Boolean.TRUE) == null;
	}

}
