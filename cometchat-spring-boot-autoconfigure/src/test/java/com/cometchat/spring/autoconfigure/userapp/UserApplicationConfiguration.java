package com.cometchat.spring.autoconfigure.userapp;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * Stands in for a {@code @SpringBootApplication} class in this package.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class UserApplicationConfiguration {

}
