package com.cometchat.spring.cluster;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A replica as the database sees it.
 *
 * @param replicaId its id (new at every registration)
 * @param host where it runs
 * @param expiresAt when its lease ends unless renewed, on the database's clock
 * @param alive whether it has not expired, on the database's clock
 * @param held how many sessions it holds
 * @author CometChat
 */
public record ReplicaInfo(String replicaId, @Nullable String host, Instant expiresAt, boolean alive, int held) {

}
