package com.cometchat.spring.autoconfigure.cluster;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the saved sessions are shared out by leases: {@code cometchat.cluster.mode=lease}, or {@code auto}
 * with {@code spring.datasource.url} (or {@code cometchat.session.platform}) naming a database that several instances
 * can share.
 *
 * @author CometChat
 */
class OnLeaseModeCondition extends SpringBootCondition {

	private static final Set<DatabaseDriver> SHARED = EnumSet.of(DatabaseDriver.POSTGRESQL, DatabaseDriver.MYSQL,
			DatabaseDriver.MARIADB);

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String mode = environment.getProperty("cometchat.cluster.mode", "single").trim().toLowerCase(Locale.ROOT);
		if (mode.equals("lease")) {
			return ConditionOutcome.match("cometchat.cluster.mode is lease");
		}
		if (!mode.equals("auto")) {
			return ConditionOutcome.noMatch("cometchat.cluster.mode is " + mode);
		}
		String platform = environment.getProperty("cometchat.session.platform");
		if (platform != null) {
			boolean shared = SHARED.stream().anyMatch((driver) -> driver.getId().equalsIgnoreCase(platform.trim()));
			return shared ? ConditionOutcome.match("cometchat.cluster.mode is auto and the sessions are in " + platform)
					: ConditionOutcome.noMatch("cometchat.cluster.mode is auto and the sessions are in " + platform);
		}
		String url = environment.getProperty("spring.datasource.url");
		DatabaseDriver driver = (url != null) ? DatabaseDriver.fromJdbcUrl(url) : DatabaseDriver.UNKNOWN;
		return SHARED.contains(driver)
				? ConditionOutcome.match("cometchat.cluster.mode is auto and spring.datasource.url is " + driver)
				: ConditionOutcome.noMatch("cometchat.cluster.mode is auto and spring.datasource.url is not a database "
						+ "instances share (" + ((url != null) ? driver : "not set: an embedded database") + ")");
	}

}
