package com.cometchat.spring.cluster;

import javax.sql.DataSource;

import com.cometchat.spring.test.PostgresSchemas;
import org.junit.jupiter.api.AfterAll;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * {@link JdbcLeaseStore} on the machine's PostgreSQL (the {@code it} profile), a schema of its own per test.
 */
class JdbcLeaseStorePostgresIT extends JdbcLeaseStoreContract {

	private static final PostgresSchemas schemas = new PostgresSchemas();

	@AfterAll
	static void dropSchemas() throws Exception {
		schemas.dropAll();
	}

	@Override
	DataSource newDatabase() throws Exception {
		return new SimpleDriverDataSource(new org.postgresql.Driver(),
				PostgresSchemas.URL + "?currentSchema=" + schemas.create(), PostgresSchemas.USER, "");
	}

	@Override
	JdbcLeaseStore.Platform platform() {
		return JdbcLeaseStore.Platform.POSTGRESQL;
	}

}
