/**
 * Auto-configuration of the CometChat health indicator.
 */
@NullMarked
package com.cometchat.spring.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
