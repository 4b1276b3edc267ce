/**
 * Auto-configuration of the CometChat metrics.
 */
@NullMarked
package com.cometchat.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
