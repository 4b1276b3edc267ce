package com.cometchat.spring.cluster;

/**
 * A replica's hold on one saved session: the user and the fence number the database gave it when the replica took it.
 * Every take of a session raises its fence, so a write conditional on the fence fails for any earlier holder.
 *
 * @param uid the user
 * @param fence the fence number of this hold
 * @author CometChat
 */
public record Lease(String uid, long fence) {

}
