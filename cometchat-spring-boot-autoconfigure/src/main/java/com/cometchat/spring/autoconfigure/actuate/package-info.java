/**
 * Auto-configuration of the CometChat actuator endpoint.
 */
@NullMarked
package com.cometchat.spring.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
