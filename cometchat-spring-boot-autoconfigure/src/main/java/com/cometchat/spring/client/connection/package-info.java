/**
 * The connection state machine and its STOMP transport. Internal: subject to change.
 */
@NullMarked
package com.cometchat.spring.client.connection;

import org.jspecify.annotations.NullMarked;
