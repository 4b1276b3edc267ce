/**
 * Support for Docker Compose service connections: a {@code rabbitmq} service with Web-STOMP as the CometChat broker.
 */
@NullMarked
package com.cometchat.spring.docker.compose;

import org.jspecify.annotations.NullMarked;
