package com.cometchat.spring.session;

import java.util.List;
import java.util.UUID;

/**
 * {@link JdbcSessionStore} on H2 in memory, in the default build.
 */
class JdbcSessionStoreTests extends JdbcSessionStoreContract {

	@Override
	List<String> newDatabase() {
		return List.of("spring.datasource.url=jdbc:h2:mem:sessions-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

}
