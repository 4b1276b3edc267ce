package com.cometchat.spring.session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * {@link SessionStore} on the table {@code cometchat_session} with plain JDBC: the same table, rows and token
 * encryption as {@link JpaSessionStore}, without an entity in the application's persistence unit (so it adds nothing
 * to Hibernate's start) and without JPA at all. The two stores read each other's rows: timestamps are written as
 * Hibernate writes an {@link Instant} (an offset date-time in UTC, or a UTC timestamp on MySQL and MariaDB, whose
 * {@code DATETIME} columns have no zone).
 * <p>
 * Statements run on the {@link DataSource} through {@link JdbcTemplate}, so they join a transaction the caller has
 * open on it (a connection manager with leases checks its lease in the same transaction). Saving a primary session
 * ends the app's earlier primary session in the same transaction.
 *
 * @author CometChat
 */
public class JdbcSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(JdbcSessionStore.class);

	private static final String COLUMNS = "app_id, uid, primary_session, region, auth_token, created_at, "
			+ "last_connected_at, group_ids";

	private static final String SELECT = "SELECT " + COLUMNS + " FROM cometchat_session ";

	private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC), Locale.ROOT);

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final TokenCipher cipher;

	private final Runnable beforeUse;

	private volatile @Nullable Boolean zonelessTimestamps;

	/**
	 * Create a store that keeps tokens in clear, with transactions of its own on the data source.
	 * @param dataSource the database with the table {@code cometchat_session}
	 */
	public JdbcSessionStore(DataSource dataSource) {
		this(dataSource, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), TokenCipher.NONE,
				() -> {
				});
	}

	/**
	 * Create a store.
	 * @param dataSource the database with the table {@code cometchat_session}
	 * @param transactions the transactions a save runs in (the application's on that data source)
	 * @param cipher encrypts tokens at rest
	 * @param beforeUse runs before each call, e.g. to create the table once the database is reachable
	 */
	public JdbcSessionStore(DataSource dataSource, TransactionOperations transactions, TokenCipher cipher,
			Runnable beforeUse) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(transactions, "'transactions' must not be null");
		Assert.notNull(cipher, "'cipher' must not be null");
		Assert.notNull(beforeUse, "'beforeUse' must not be null");
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = transactions;
		this.cipher = cipher;
		this.beforeUse = beforeUse;
	}

	@Override
	public Optional<StoredSession> load(String appId) {
		this.beforeUse.run();
		RowMapper<Row> mapper = mapper();
		List<Row> rows = this.jdbc.query(SELECT + "WHERE app_id = ? AND primary_session = ?", mapper, appId, true);
		return rows.stream().findFirst().map(this::toSession);
	}

	@Override
	public Optional<StoredSession> load(String appId, String uid) {
		this.beforeUse.run();
		RowMapper<Row> mapper = mapper();
		List<Row> rows = this.jdbc.query(SELECT + "WHERE app_id = ? AND uid = ?", mapper, appId, uid);
		return rows.stream().findFirst().map(this::toSession);
	}

	/**
	 * Load every session of an app. A row whose token cannot be decrypted (saved with another key) is left out and
	 * logged, so that one such row does not keep every other session from being restored.
	 */
	@Override
	public List<StoredSession> loadAll(String appId) {
		this.beforeUse.run();
		List<StoredSession> sessions = new ArrayList<>();
		for (Row row : this.jdbc.query(SELECT + "WHERE app_id = ?", mapper(), appId)) {
			try {
				sessions.add(toSession(row));
			}
			catch (IllegalStateException ex) {
				logger.warn("The saved session of uid '" + row.uid() + "' of app '" + appId + "' is not restored: "
						+ ex.getMessage());
			}
		}
		return sessions;
	}

	/**
	 * Save a session: an update of its row, or an insert when there is none. A primary session first deletes the
	 * app's other primary session, in the same transaction.
	 */
	@Override
	public void save(StoredSession session) {
		this.beforeUse.run();
		String token = this.cipher.encrypt(session.authToken());
		String groups = session.groups().isEmpty() ? null : String.join(",", session.groups());
		boolean zoneless = zonelessTimestamps();
		try {
			write(session, token, groups, zoneless);
		}
		catch (RuntimeException ex) {
			throw TokenSafeStoreException.withoutSecrets(ex, session.authToken(), token);
		}
	}

	private void write(StoredSession session, String token, @Nullable String groups, boolean zoneless) {
		this.transactions.executeWithoutResult((status) -> {
			if (session.primary()) {
				this.jdbc.update("DELETE FROM cometchat_session WHERE app_id = ? AND primary_session = ? AND uid <> ?",
						session.appId(), true, session.uid());
			}
			int updated = this.jdbc.update("UPDATE cometchat_session SET primary_session = ?, region = ?, "
					+ "auth_token = ?, created_at = ?, last_connected_at = ?, group_ids = ? WHERE app_id = ? AND uid = ?",
					(statement) -> {
						statement.setBoolean(1, session.primary());
						setString(statement, 2, session.region());
						statement.setString(3, token);
						setInstant(statement, 4, session.createdAt(), zoneless);
						setInstant(statement, 5, session.lastConnectedAt(), zoneless);
						setString(statement, 6, groups);
						statement.setString(7, session.appId());
						statement.setString(8, session.uid());
					});
			if (updated == 0) {
				this.jdbc.update("INSERT INTO cometchat_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
						(statement) -> {
							statement.setString(1, session.appId());
							statement.setString(2, session.uid());
							statement.setBoolean(3, session.primary());
							setString(statement, 4, session.region());
							statement.setString(5, token);
							setInstant(statement, 6, session.createdAt(), zoneless);
							setInstant(statement, 7, session.lastConnectedAt(), zoneless);
							setString(statement, 8, groups);
						});
			}
		});
	}

	@Override
	public void delete(String appId) {
		this.beforeUse.run();
		this.jdbc.update("DELETE FROM cometchat_session WHERE app_id = ? AND primary_session = ?", appId, true);
	}

	@Override
	public void delete(String appId, String uid) {
		this.beforeUse.run();
		this.jdbc.update("DELETE FROM cometchat_session WHERE app_id = ? AND uid = ?", appId, uid);
	}

	@Override
	public void markConnected(String appId, String uid, Instant connectedAt) {
		this.beforeUse.run();
		boolean zoneless = zonelessTimestamps();
		this.jdbc.update("UPDATE cometchat_session SET last_connected_at = ? WHERE app_id = ? AND uid = ?",
				(statement) -> {
					setInstant(statement, 1, connectedAt, zoneless);
					statement.setString(2, appId);
					statement.setString(3, uid);
				});
	}

	/**
	 * Return the mapper of a row, its timestamps read as the database keeps them (looked up before the query, never
	 * while it holds a connection).
	 */
	private RowMapper<Row> mapper() {
		boolean zoneless = zonelessTimestamps();
		return (rs, rowNum) -> {
			Instant createdAt = getInstant(rs, "created_at", zoneless);
			return new Row(rs.getString("app_id"), rs.getString("uid"), rs.getBoolean("primary_session"),
					rs.getString("region"), rs.getString("auth_token"), (createdAt != null) ? createdAt : Instant.EPOCH,
					getInstant(rs, "last_connected_at", zoneless), rs.getString("group_ids"));
		};
	}

	private StoredSession toSession(Row row) {
		Set<String> groups = StringUtils.hasText(row.groups()) ? new TreeSet<>(Arrays.asList(row.groups().split(",")))
				: Set.of();
		return new StoredSession(row.appId(), row.uid(), row.region(), this.cipher.decrypt(row.authToken()),
				row.createdAt(), row.lastConnectedAt(), groups, row.primary());
	}

	/**
	 * Whether the database's timestamp columns have no zone (MySQL and MariaDB: {@code DATETIME(6)}); looked up on
	 * the first call that needs it, so that building the store opens no connection.
	 */
	private boolean zonelessTimestamps() {
		Boolean zoneless = this.zonelessTimestamps;
		if (zoneless == null) {
			String product = this.jdbc.execute((ConnectionCallback<String>) (connection) -> connection.getMetaData()
				.getDatabaseProductName());
			String name = (product != null) ? product.toLowerCase(Locale.ROOT) : "";
			zoneless = name.contains("mysql") || name.contains("mariadb");
			this.zonelessTimestamps = zoneless;
		}
		return zoneless;
	}

	private static void setString(PreparedStatement statement, int index, @Nullable String value)
			throws SQLException {
		if (value != null) {
			statement.setString(index, value);
		}
		else {
			statement.setNull(index, Types.VARCHAR);
		}
	}

	private static void setInstant(PreparedStatement statement, int index, @Nullable Instant value, boolean zoneless)
			throws SQLException {
		if (value == null) {
			statement.setNull(index, zoneless ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
		}
		else if (zoneless) {
			statement.setTimestamp(index, Timestamp.from(value), (Calendar) UTC.clone());
		}
		else {
			statement.setObject(index, value.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
		}
	}

	private static @Nullable Instant getInstant(ResultSet rs, String column, boolean zoneless) throws SQLException {
		if (zoneless) {
			Timestamp timestamp = rs.getTimestamp(column, (Calendar) UTC.clone());
			return (timestamp != null) ? timestamp.toInstant() : null;
		}
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private record Row(String appId, String uid, boolean primary, @Nullable String region, String authToken,
			Instant createdAt, @Nullable Instant lastConnectedAt, @Nullable String groups) {

		@Override
		public String toString() {
			return "Row[appId=" + this.appId + ", uid=" + this.uid + ", authToken=******]";
		}

	}

}
