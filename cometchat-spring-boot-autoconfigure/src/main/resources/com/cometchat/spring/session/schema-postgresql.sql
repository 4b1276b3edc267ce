CREATE TABLE IF NOT EXISTS cometchat_session (
	app_id VARCHAR(128) NOT NULL,
	uid VARCHAR(128) NOT NULL,
	primary_session BOOLEAN DEFAULT FALSE NOT NULL,
	region VARCHAR(32),
	auth_token VARCHAR(4096) NOT NULL,
	created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	last_connected_at TIMESTAMP(6) WITH TIME ZONE,
	group_ids VARCHAR(4096),
	PRIMARY KEY (app_id, uid)
);
