package com.cometchat.spring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A user came online or went offline.
 *
 * @param uid the user
 * @param online whether the user is online now
 * @param role the user's role, if they announce one
 * @param at when it happened, by the user's clock
 * @author CometChat
 */
public record UserPresence(String uid, boolean online, @Nullable String role, Instant at) {

}
