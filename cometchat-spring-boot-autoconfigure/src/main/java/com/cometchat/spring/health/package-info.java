/**
 * Health indicator for the CometChat connection.
 */
@NullMarked
package com.cometchat.spring.health;

import org.jspecify.annotations.NullMarked;
