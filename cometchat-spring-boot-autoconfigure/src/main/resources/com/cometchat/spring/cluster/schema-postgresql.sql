CREATE TABLE IF NOT EXISTS cometchat_replica (
	replica_id VARCHAR(64) NOT NULL PRIMARY KEY,
	app_id VARCHAR(128) NOT NULL,
	host VARCHAR(255),
	expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE TABLE IF NOT EXISTS cometchat_session_lease (
	app_id VARCHAR(128) NOT NULL,
	uid VARCHAR(128) NOT NULL,
	holder VARCHAR(64),
	fence BIGINT NOT NULL,
	PRIMARY KEY (app_id, uid)
);
CREATE INDEX IF NOT EXISTS cometchat_session_lease_holder ON cometchat_session_lease (holder);
