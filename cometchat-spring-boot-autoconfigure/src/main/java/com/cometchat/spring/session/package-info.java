/**
 * Saved sessions: the JPA entity and repository, and the session store SPI.
 */
@NullMarked
package com.cometchat.spring.session;

import org.jspecify.annotations.NullMarked;
