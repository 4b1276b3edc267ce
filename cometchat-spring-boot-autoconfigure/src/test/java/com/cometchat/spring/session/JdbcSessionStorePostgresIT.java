package com.cometchat.spring.session;

import java.util.List;

import com.cometchat.spring.test.PostgresSchemas;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link JdbcSessionStore} on the machine's PostgreSQL (the {@code it} profile), a schema of its own per test: the
 * {@code timestamp with time zone} columns of {@code schema-postgresql.sql}.
 */
class JdbcSessionStorePostgresIT extends JdbcSessionStoreContract {

	private static final PostgresSchemas schemas = new PostgresSchemas();

	@AfterAll
	static void dropSchemas() throws Exception {
		schemas.dropAll();
	}

	@Override
	List<String> newDatabase() throws Exception {
		return PostgresSchemas.properties(schemas.create());
	}

}
