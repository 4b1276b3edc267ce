-- A table made by the 0.1 script holds one row per app id: the single client's session, so its primary one
ALTER TABLE cometchat_session ADD COLUMN primary_session BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE cometchat_session SET primary_session = TRUE;
ALTER TABLE cometchat_session DROP PRIMARY KEY;
ALTER TABLE cometchat_session ADD PRIMARY KEY (app_id, uid);
