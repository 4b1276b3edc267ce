package com.cometchat.spring.integration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.cometchat.spring.client.CometChatUser;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.test.PostgresSchemas;
import com.cometchat.spring.test.SpringStompBroker;
import com.cometchat.spring.test.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The session store on the machine's PostgreSQL ({@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code postgres}, trust authentication), with Spring's STOMP broker as the peer. Every scenario of
 * {@link AbstractBrokerIntegrationTests} runs on it, each test in a schema of its own ({@code currentSchema=} in the
 * URL, created before the test and dropped after the class). Hibernate only validates
 * ({@code ddl-auto=validate}): the table must come from the starter's {@code schema-postgresql.sql}. Runs in the
 * {@code it} profile only ({@code ./mvnw -Pit verify}).
 */
class PostgresSessionIT extends AbstractBrokerIntegrationTests {

	private static final PostgresSchemas schemas = new PostgresSchemas();

	private String schema;

	@Override
	TestBroker createBroker() {
		return new SpringStompBroker();
	}

	@Override
	List<String> databaseProperties() {
		return PostgresSchemas.properties(this.schema);
	}

	@BeforeEach
	void createSchema() throws SQLException {
		this.schema = schemas.create();
	}

	@AfterAll
	static void dropSchemas() throws SQLException {
		schemas.dropAll();
	}

	@Test
	void theTableComesFromTheShippedScriptAndMatchesTheEntity() {
		// The context started, so Hibernate validated the entity against the table the script created
		ConfigurableApplicationContext context = startClient();
		List<Map<String, Object>> columns = jdbc(context).queryForList("""
				select column_name, data_type, character_maximum_length, datetime_precision, is_nullable
				from information_schema.columns where table_schema = ? and table_name = 'cometchat_session'
				order by ordinal_position""", this.schema);
		assertThat(columns)
			.extracting((column) -> column.get("column_name"), (column) -> column.get("data_type"),
					(column) -> column.get("character_maximum_length"), (column) -> column.get("datetime_precision"),
					(column) -> column.get("is_nullable"))
			.containsExactly(tuple("app_id", "character varying", 128, null, "NO"),
					tuple("uid", "character varying", 128, null, "NO"),
					tuple("primary_session", "boolean", null, null, "NO"),
					tuple("region", "character varying", 32, null, "YES"),
					tuple("auth_token", "character varying", 4096, null, "NO"),
					tuple("created_at", "timestamp with time zone", null, 6, "NO"),
					tuple("last_connected_at", "timestamp with time zone", null, 6, "YES"),
					tuple("group_ids", "character varying", 4096, null, "YES"));
		assertThat(jdbc(context).queryForList("""
				select kcu.column_name from information_schema.table_constraints tc
				join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
				and kcu.table_schema = tc.table_schema
				where tc.table_schema = ? and tc.table_name = 'cometchat_session'
				and tc.constraint_type = 'PRIMARY KEY'
				order by kcu.ordinal_position""", String.class, this.schema)).containsExactly("app_id", "uid");
	}

	@Test
	void aTableOfVersion01KeepsItsSavedSessionAfterTheUpgrade() throws Exception {
		try (Connection connection = PostgresSchemas.connect(this.schema)) {
			ScriptUtils.executeSqlScript(connection,
					new ClassPathResource("com/cometchat/spring/session/schema-0.1-postgresql.sql"));
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("insert into cometchat_session (app_id, uid, region, auth_token, created_at) "
						+ "values ('it', '" + uid() + "', 'eu', '" + token() + "', current_timestamp)");
			}
		}
		// Hibernate validates the migrated table against the entity as the context starts
		ConfigurableApplicationContext context = startClient();
		awaitState(context, ConnectionState.CONNECTED);
		assertThat(client(context).getLoggedInUser()).map(CometChatUser::uid).contains(uid());
		assertThat(jdbc(context).queryForObject("select primary_session from cometchat_session where uid = ?",
				Boolean.class, uid())).isTrue();
		jdbc(context).update("insert into cometchat_session (app_id, uid, primary_session, auth_token, created_at) "
				+ "values ('it', 'someone-else', false, 'x', current_timestamp)");
		assertThat(jdbc(context).queryForObject("select count(*) from cometchat_session", Integer.class))
			.as("one row per app id and uid now").isEqualTo(2);
	}

	@Test
	void hibernateCreatesNothingWithoutTheScript() {
		assertThatThrownBy(() -> startClient("cometchat.session.initialize-schema=never")).rootCause()
			.hasMessageContaining("missing table [cometchat_session]");
	}

	@Test
	void theSavedRowKeepsTheInstantsToTheMicrosecond() throws Exception {
		Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
		ConfigurableApplicationContext context = startClient();
		join(client(context).login(uid(), token()));
		Instant after = Instant.now();
		Map<String, Object> row = jdbc(context).queryForMap("select * from cometchat_session");
		assertThat(row).containsEntry("app_id", "it")
			.containsEntry("uid", uid())
			.containsEntry("region", "eu")
			.containsEntry("auth_token", token());
		Instant createdAt = ((Timestamp) row.get("created_at")).toInstant();
		Instant lastConnectedAt = ((Timestamp) row.get("last_connected_at")).toInstant();
		assertThat(createdAt).isBetween(before, after);
		assertThat(lastConnectedAt).isBetween(before, after);
		context.close();
		ConfigurableApplicationContext second = startClient();
		awaitState(second, ConnectionState.CONNECTED);
		assertThat(jdbc(second).queryForObject("select created_at from cometchat_session", Timestamp.class)
			.toInstant()).as("read back unchanged").isEqualTo(createdAt);
	}

	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

}
