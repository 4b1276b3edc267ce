/**
 * Micrometer metrics of the CometChat client.
 */
@NullMarked
package com.cometchat.spring.metrics;

import org.jspecify.annotations.NullMarked;
