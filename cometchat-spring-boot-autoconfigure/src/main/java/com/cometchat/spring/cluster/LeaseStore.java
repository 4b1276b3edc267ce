package com.cometchat.spring.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The database side of the leases. Every expiry is computed and compared on the database's clock, never on a
 * replica's: replicas only ever compare their own monotonic readings. Calls may block and report failures by throwing.
 *
 * @author CometChat
 * @see JdbcLeaseStore
 */
public interface LeaseStore {

	/**
	 * Add a replica, alive for {@code ttl} from the database's now.
	 * @param appId the app id
	 * @param replicaId the replica's id, new for every registration
	 * @param host where it runs, for operators
	 * @param ttl how long it counts as alive without a renewal
	 */
	void register(String appId, String replicaId, String host, Duration ttl);

	/**
	 * Extend a replica's life to {@code ttl} from the database's now, if it is still alive.
	 * @param replicaId the replica
	 * @param ttl how long it counts as alive without a renewal
	 * @return {@code false} when it had expired (or was removed): its sessions may already be held by others
	 */
	boolean renew(String replicaId, Duration ttl);

	/**
	 * Remove a replica and give back every session it holds (a graceful stop).
	 * @param appId the app id
	 * @param replicaId the replica
	 */
	void unregister(String appId, String replicaId);

	/**
	 * Remove the rows of replicas that expired longer than {@code age} ago (housekeeping: nothing refers to them).
	 * @param appId the app id
	 * @param age how long after its expiry a row is kept
	 * @return the rows removed
	 */
	int purgeExpired(String appId, Duration age);

	/**
	 * Return the replicas alive now.
	 * @param appId the app id
	 * @return their number
	 */
	int liveReplicas(String appId);

	/**
	 * Return the sessions there are leases for.
	 * @param appId the app id
	 * @return their number
	 */
	int sessionCount(String appId);

	/**
	 * Add a lease for each saved session of the connection manager that has none yet, held by nobody; remove the
	 * leases of sessions that are no longer saved, unless a replica alive holds them (a login there has taken the
	 * lease and not saved the session yet).
	 * @param appId the app id
	 */
	void synchronize(String appId);

	/**
	 * Remove the lease of a session (its user logged out): its holder stops acting for it at its next renewal.
	 * @param appId the app id
	 * @param uid the user
	 */
	void remove(String appId, String uid);

	/**
	 * Take up to {@code limit} sessions that nobody alive holds, raising the fence of each; sessions another replica
	 * is taking at the same moment are skipped, not waited for.
	 * @param appId the app id
	 * @param replicaId the replica that takes them
	 * @param limit the most to take
	 * @return the leases taken
	 */
	List<Lease> claim(String appId, String replicaId, int limit);

	/**
	 * Take one session for a replica whatever holds it now, raising its fence (a login on this replica), and add its
	 * lease when it has none.
	 * @param appId the app id
	 * @param replicaId the replica
	 * @param uid the user
	 * @return the lease
	 */
	Lease take(String appId, String replicaId, String uid);

	/**
	 * Return the sessions a replica holds, as the database sees them.
	 * @param appId the app id
	 * @param replicaId the replica
	 * @return each held session's fence, by uid
	 */
	Map<String, Long> held(String appId, String replicaId);

	/**
	 * Give a session back, if the replica still holds it with that fence.
	 * @param appId the app id
	 * @param replicaId the replica
	 * @param lease the lease
	 * @return whether it was still held so
	 */
	boolean release(String appId, String replicaId, Lease lease);

	/**
	 * Return the replicas registered for an app, with how many sessions each holds (for operators).
	 * @param appId the app id
	 * @return the replicas, by id
	 */
	default List<ReplicaInfo> replicas(String appId) {
		return List.of();
	}

	/**
	 * Return which replica holds a session (for operators).
	 * @param appId the app id
	 * @param uid the user
	 * @return the replica's id, or {@code null} when nobody holds it
	 */
	default @Nullable String holderOf(String appId, String uid) {
		return null;
	}

}
