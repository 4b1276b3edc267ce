/**
 * How the client reaches a broker: the {@link com.cometchat.spring.client.transport.Transport} SPI and its
 * STOMP-over-WebSocket implementation on Spring's {@code WebSocketStompClient}.
 */
@NullMarked
package com.cometchat.spring.client.transport;

import org.jspecify.annotations.NullMarked;
