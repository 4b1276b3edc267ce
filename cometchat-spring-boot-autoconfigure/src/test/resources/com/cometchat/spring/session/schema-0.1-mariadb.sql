-- The cometchat_session table as the 0.1 starter created it on MariaDB and MySQL (one row per app id), for the upgrade tests
CREATE TABLE IF NOT EXISTS cometchat_session (
	app_id VARCHAR(128) NOT NULL PRIMARY KEY,
	uid VARCHAR(128) NOT NULL,
	region VARCHAR(32),
	auth_token VARCHAR(4096) NOT NULL,
	created_at DATETIME(6) NOT NULL,
	last_connected_at DATETIME(6),
	group_ids VARCHAR(4096)
) ENGINE=InnoDB;
