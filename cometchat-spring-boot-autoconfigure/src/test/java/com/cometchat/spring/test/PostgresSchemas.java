package com.cometchat.spring.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Schemas of their own on the machine's PostgreSQL ({@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code postgres}, trust authentication), one per test: created on demand, dropped together by {@link #dropAll()}.
 */
public final class PostgresSchemas {

	/** The database. */
	public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	/** Its user. */
	public static final String USER = "postgres";

	private final List<String> created = new CopyOnWriteArrayList<>();

	/**
	 * Create a schema with a new name.
	 * @return its name
	 * @throws SQLException if PostgreSQL refused
	 */
	public String create() throws SQLException {
		String schema = "cometchat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE SCHEMA " + schema);
		this.created.add(schema);
		return schema;
	}

	/**
	 * Drop every schema this created.
	 * @throws SQLException if PostgreSQL refused
	 */
	public void dropAll() throws SQLException {
		for (String schema : this.created) {
			execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
		this.created.clear();
	}

	/**
	 * The Spring properties of an application whose data source is the given schema; Hibernate only validates, the
	 * table comes from the starter's script.
	 * @param schema the schema
	 * @return the properties
	 */
	public static List<String> properties(String schema) {
		return List.of("spring.datasource.url=" + URL + "?currentSchema=" + schema, "spring.datasource.username=" + USER,
				"spring.jpa.hibernate.ddl-auto=validate", "cometchat.session.initialize-schema=always");
	}

	/**
	 * Open a connection to a schema.
	 * @param schema the schema
	 * @return the connection
	 * @throws SQLException if PostgreSQL refused
	 */
	public static Connection connect(String schema) throws SQLException {
		return DriverManager.getConnection(URL + "?currentSchema=" + schema, USER, null);
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, null);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
