/**
 * Several replicas of one application on one database: which replica holds which saved session (a lease with a fence
 * number, on the database's clock), and how a replica that may have lost its leases stops acting by itself.
 */
@NullMarked
package com.cometchat.spring.cluster;

import org.jspecify.annotations.NullMarked;
