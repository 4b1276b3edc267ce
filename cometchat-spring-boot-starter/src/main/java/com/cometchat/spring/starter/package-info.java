/**
 * CometChat Spring Boot starter: dependencies only. The code lives in {@code cometchat-spring-boot-autoconfigure}.
 */
@NullMarked
package com.cometchat.spring.starter;

import org.jspecify.annotations.NullMarked;
