package com.cometchat.spring.session;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.data.jpa.repository.Query;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CometChatSessionRepository}'s shape. What its methods do is tested by the store contract
 * ({@code JdbcSessionStoreContract}, which runs on {@link JpaSessionStore} too).
 */
class CometChatSessionRepositoryTests {

	@Test
	void noMethodDeclaresAJpqlQueryWhichSpringDataWouldParseWhileTheApplicationStarts() {
		assertThat(Arrays.stream(CometChatSessionRepository.class.getMethods())
			.filter((method) -> MergedAnnotations.from(method).isPresent(Query.class))
			.map(Method::getName)).isEmpty();
	}

	@Test
	void theBulkOperationsAreStillPartOfTheRepository() throws Exception {
		assertThat(CometChatSessionRepository.class.getMethod("deleteOtherPrimarySessions", String.class, String.class))
			.isNotNull();
		assertThat(CometChatSessionRepository.class.getMethod("deletePrimarySession", String.class)).isNotNull();
		assertThat(CometChatSessionRepository.class.getMethod("markConnected", String.class, String.class,
				java.time.Instant.class))
			.isNotNull();
	}

}
