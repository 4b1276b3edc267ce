package com.cometchat.spring.cluster;

import javax.sql.DataSource;

import com.cometchat.spring.test.MariaDbDatabases;
import org.junit.jupiter.api.AfterAll;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * {@link JdbcLeaseStore} on the machine's MariaDB (the {@code it} profile), a database of its own per test; MySQL
 * runs the same SQL.
 */
class JdbcLeaseStoreMariaDbIT extends JdbcLeaseStoreContract {

	private static final MariaDbDatabases databases = new MariaDbDatabases();

	@AfterAll
	static void dropDatabases() throws Exception {
		databases.dropAll();
	}

	@Override
	DataSource newDatabase() throws Exception {
		return new SimpleDriverDataSource(new org.mariadb.jdbc.Driver(), MariaDbDatabases.URL + databases.create(),
				MariaDbDatabases.USER, "");
	}

	@Override
	JdbcLeaseStore.Platform platform() {
		return JdbcLeaseStore.Platform.MARIADB;
	}

}
