/**
 * {@link com.cometchat.spring.annotation.CometChatListener @CometChatListener} methods on any bean, and the bean
 * post-processor that serves them.
 */
@NullMarked
package com.cometchat.spring.annotation;

import org.jspecify.annotations.NullMarked;
