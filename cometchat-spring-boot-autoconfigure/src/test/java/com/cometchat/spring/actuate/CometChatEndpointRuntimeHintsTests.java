package com.cometchat.spring.actuate;

import com.cometchat.spring.actuate.CometChatEndpoint.ReplicasDescriptor;
import com.cometchat.spring.actuate.CometChatEndpoint.SessionDescriptor;
import com.cometchat.spring.actuate.CometChatEndpoint.SessionsPage;
import com.cometchat.spring.cluster.ReplicaInfo;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CometChatEndpointRuntimeHints}.
 */
class CometChatEndpointRuntimeHintsTests {

	@Test
	void thePartsReturnedAsObjectCanBeWrittenAsJson() {
		RuntimeHints hints = new RuntimeHints();
		new CometChatEndpointRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(SessionsPage.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SessionsPage.class, "byState"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SessionDescriptor.class, "lastError"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ReplicasDescriptor.class, "holder"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ReplicaInfo.class, "expiresAt"))
			.accepts(hints);
	}

}
