/**
 * Actuator endpoint of the CometChat client.
 */
@NullMarked
package com.cometchat.spring.actuate;

import org.jspecify.annotations.NullMarked;
