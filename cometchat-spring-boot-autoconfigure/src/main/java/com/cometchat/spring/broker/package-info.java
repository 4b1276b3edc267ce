/**
 * Helpers for applications that host Spring's STOMP broker for CometChat clients.
 */
@NullMarked
package com.cometchat.spring.broker;

import org.jspecify.annotations.NullMarked;
