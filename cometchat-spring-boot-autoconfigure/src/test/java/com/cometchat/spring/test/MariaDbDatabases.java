package com.cometchat.spring.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Databases of their own on the machine's MariaDB ({@code jdbc:mariadb://127.0.0.1:3306}, user {@code root} with an
 * empty password), one per test: created on demand, dropped together by {@link #dropAll()}. A MariaDB database is what
 * PostgreSQL calls a schema.
 */
public final class MariaDbDatabases {

	/** The server. */
	public static final String URL = "jdbc:mariadb://127.0.0.1:3306/";

	/** Its user. */
	public static final String USER = "root";

	private final List<String> created = new CopyOnWriteArrayList<>();

	/**
	 * Create a database with a new name.
	 * @return its name
	 * @throws SQLException if MariaDB refused
	 */
	public String create() throws SQLException {
		String database = "cometchat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE DATABASE " + database);
		this.created.add(database);
		return database;
	}

	/**
	 * Drop every database this created.
	 * @throws SQLException if MariaDB refused
	 */
	public void dropAll() throws SQLException {
		for (String database : this.created) {
			execute("DROP DATABASE IF EXISTS " + database);
		}
		this.created.clear();
	}

	/**
	 * The Spring properties of an application whose data source is the given database; Hibernate only validates, the
	 * table comes from the starter's script.
	 * @param database the database
	 * @return the properties
	 */
	public static List<String> properties(String database) {
		return List.of("spring.datasource.url=" + URL + database, "spring.datasource.username=" + USER,
				"spring.datasource.password=", "spring.jpa.hibernate.ddl-auto=validate",
				"cometchat.session.initialize-schema=always");
	}

	/**
	 * Open a connection to a database.
	 * @param database the database
	 * @return the connection
	 * @throws SQLException if MariaDB refused
	 */
	public static Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(URL + database, USER, "");
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
