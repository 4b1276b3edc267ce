/**
 * Auto-configuration of the JPA session store and its schema.
 */
@NullMarked
package com.cometchat.spring.autoconfigure.session;

import org.jspecify.annotations.NullMarked;
