package com.cometchat.spring.cluster;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * {@link JdbcLeaseStore} on H2, in memory.
 */
class JdbcLeaseStoreTests extends JdbcLeaseStoreContract {

	@Override
	DataSource newDatabase() {
		return new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:leases-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
	}

	@Override
	JdbcLeaseStore.Platform platform() {
		return JdbcLeaseStore.Platform.H2;
	}

}
