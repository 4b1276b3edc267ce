/**
 * Support for Testcontainers service connections: a RabbitMQ container with Web-STOMP as the CometChat broker.
 */
@NullMarked
package com.cometchat.spring.testcontainers;

import org.jspecify.annotations.NullMarked;
