-- The cometchat_session table as the 0.1 starter created it on H2 and HSQLDB (one row per app id), for the upgrade tests
CREATE TABLE IF NOT EXISTS cometchat_session (
	app_id VARCHAR(128) NOT NULL PRIMARY KEY,
	uid VARCHAR(128) NOT NULL,
	region VARCHAR(32),
	auth_token VARCHAR(4096) NOT NULL,
	created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	last_connected_at TIMESTAMP(6) WITH TIME ZONE,
	group_ids VARCHAR(4096)
);
