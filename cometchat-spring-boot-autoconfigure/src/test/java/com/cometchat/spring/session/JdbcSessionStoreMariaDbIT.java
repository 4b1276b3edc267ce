package com.cometchat.spring.session;

import java.util.List;

import com.cometchat.spring.test.MariaDbDatabases;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link JdbcSessionStore} on the machine's MariaDB (the {@code it} profile), a database of its own per test: the
 * {@code DATETIME(6)} columns of {@code schema-mariadb.sql}, which have no zone, so instants go as UTC timestamps, as
 * Hibernate writes them there.
 */
class JdbcSessionStoreMariaDbIT extends JdbcSessionStoreContract {

	private static final MariaDbDatabases databases = new MariaDbDatabases();

	@AfterAll
	static void dropDatabases() throws Exception {
		databases.dropAll();
	}

	@Override
	List<String> newDatabase() throws Exception {
		return MariaDbDatabases.properties(databases.create());
	}

}
