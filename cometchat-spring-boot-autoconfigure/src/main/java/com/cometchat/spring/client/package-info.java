/**
 * CometChat client API: the client, its states, listeners and errors.
 */
@NullMarked
package com.cometchat.spring.client;

import org.jspecify.annotations.NullMarked;
