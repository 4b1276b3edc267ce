package com.cometchat.spring.integration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.test.MariaDbDatabases;
import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The session store on the machine's MariaDB ({@code jdbc:mariadb://127.0.0.1:3306}, user {@code root}), with Spring's
 * STOMP broker as the peer. Every scenario of {@link AbstractBrokerIntegrationTests} runs on it, each test in a database
 * of its own. Hibernate only validates ({@code ddl-auto=validate}): the table must come from the starter's
 * {@code schema-mariadb.sql}. The MySQL scripts are the same SQL: the parameterized tests run them too
 * ({@code cometchat.session.platform=mysql}), on MariaDB, as no MySQL server is at hand. Runs in the {@code it} profile
 * only ({@code ./mvnw -Pit verify}).
 */
class MariaDbSessionIT extends AbstractBrokerIntegrationTests {

	private static final MariaDbDatabases databases = new MariaDbDatabases();

	private String database;

	@Override
	TestBroker createBroker() {
		return new SpringStompBroker();
	}

	@Override
	List<String> databaseProperties() {
		return MariaDbDatabases.properties(this.database);
	}

	@BeforeEach
	void createDatabase() throws SQLException {
		this.database = databases.create();
	}

	@AfterAll
	static void dropDatabases() throws SQLException {
		databases.dropAll();
	}

	private ConfigurableApplicationContext startClientOn(String platform, String... properties) {
		List<String> all = new ArrayList<>(List.of("cometchat.session.platform=" + platform));
		all.addAll(List.of(properties));
		return startClient(all.toArray(String[]::new));
	}

	@ParameterizedTest
	@ValueSource(strings = { "mariadb", "mysql" })
	void theTableComesFromTheShippedScriptAndMatchesTheEntity(String platform) {
		// The context started, so Hibernate validated the entity against the table the script created
		ConfigurableApplicationContext context = startClientOn(platform);
		List<Map<String, Object>> columns = jdbc(context).queryForList("""
				select column_name, column_type, is_nullable from information_schema.columns
				where table_schema = ? and table_name = 'cometchat_session' order by ordinal_position""",
				this.database);
		assertThat(columns)
			.extracting((column) -> column.get("column_name"), (column) -> column.get("column_type"),
					(column) -> column.get("is_nullable"))
			.containsExactly(tuple("app_id", "varchar(128)", "NO"), tuple("uid", "varchar(128)", "NO"),
					tuple("primary_session", "tinyint(1)", "NO"), tuple("region", "varchar(32)", "YES"),
					tuple("auth_token", "varchar(4096)", "NO"), tuple("created_at", "datetime(6)", "NO"),
					tuple("last_connected_at", "datetime(6)", "YES"), tuple("group_ids", "varchar(4096)", "YES"));
		assertThat(jdbc(context).queryForList("""
				select column_name from information_schema.key_column_usage
				where table_schema = ? and table_name = 'cometchat_session' and constraint_name = 'PRIMARY'
				order by ordinal_position""", String.class, this.database)).containsExactly("app_id", "uid");
	}

	@ParameterizedTest
	@ValueSource(strings = { "mariadb", "mysql" })
	void aTableOfVersion01KeepsItsSavedSessionAfterTheUpgrade(String platform) throws Exception {
		try (Connection connection = MariaDbDatabases.connect(this.database)) {
			ScriptUtils.executeSqlScript(connection,
					new ClassPathResource("com/cometchat/spring/session/schema-0.1-mariadb.sql"));
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("insert into cometchat_session (app_id, uid, region, auth_token, created_at) "
						+ "values ('it', '" + uid() + "', 'eu', '" + token() + "', current_timestamp(6))");
			}
		}
		// Hibernate validates the migrated table against the entity as the context starts
		ConfigurableApplicationContext context = startClientOn(platform);
		awaitState(context, ConnectionState.CONNECTED);
		assertThat(client(context).getLoggedInUser()).map(CometChatUser::uid).contains(uid());
		assertThat(jdbc(context).queryForObject("select primary_session from cometchat_session where uid = ?",
				Boolean.class, uid())).isTrue();
		jdbc(context).update("insert into cometchat_session (app_id, uid, primary_session, auth_token, created_at) "
				+ "values ('it', 'someone-else', false, 'x', current_timestamp(6))");
		assertThat(jdbc(context).queryForObject("select count(*) from cometchat_session", Integer.class))
			.as("one row per app id and uid now").isEqualTo(2);
		context.close();
		ConfigurableApplicationContext second = startClientOn(platform);
		awaitState(second, ConnectionState.CONNECTED);
		assertThat(jdbc(second).queryForObject("select count(*) from cometchat_session", Integer.class))
			.as("a migrated table is not migrated again").isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "mariadb", "mysql" })
	void theSavedRowKeepsTheInstantsToTheMicrosecond(String platform) throws Exception {
		Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
		ConfigurableApplicationContext context = startClientOn(platform);
		join(client(context).login(uid(), token()));
		Instant after = Instant.now();
		Map<String, Object> row = jdbc(context).queryForMap("select * from cometchat_session");
		assertThat(row).containsEntry("app_id", "it").containsEntry("uid", uid()).containsEntry("auth_token", token());
		Instant createdAt = ((Timestamp) row.get("created_at")).toInstant();
		assertThat(createdAt).isBetween(before, after);
		context.close();
		ConfigurableApplicationContext second = startClientOn(platform);
		awaitState(second, ConnectionState.CONNECTED);
		assertThat(jdbc(second).queryForObject("select created_at from cometchat_session", Timestamp.class)
			.toInstant()).as("read back unchanged").isEqualTo(createdAt);
	}

	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

}
