/**
 * Auto-configuration of the CometChat client.
 */
@NullMarked
package com.cometchat.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
