/**
 * Demo application: an embedded STOMP broker and a bot that connects to it with the CometChat starter.
 */
@NullMarked
package com.cometchat.spring.demo;

import org.jspecify.annotations.NullMarked;
