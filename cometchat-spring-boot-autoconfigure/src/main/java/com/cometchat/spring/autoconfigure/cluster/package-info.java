/**
 * Auto-configuration of the leases that share the saved sessions between replicas on one database.
 */
@NullMarked
package com.cometchat.spring.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
