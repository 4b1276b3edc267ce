package com.cometchat.spring.session;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenSafeStoreException}.
 */
class TokenSafeStoreExceptionTests {

	@Test
	void aFailureThatQuotesNoSecretIsThrownAsItIs() {
		RuntimeException outage = new TransientDataAccessResourceException("Connection refused");
		assertThat(TokenSafeStoreException.withoutSecrets(outage, "token-1", null, "")).isSameAs(outage);
	}

	@Test
	void everyQuoteOfASecretIsMaskedAlsoOneCutShortAndTheCausesAreDropped() {
		String stored = "gcm1:abcdefghijklmnopqrstuvwxyz0123456789";
		RuntimeException failure = new DataIntegrityViolationException("insert failed for token-1",
				new IllegalStateException("Value too long: 'gcm1:abcdefghijklmnop... (38)' and again 'token-1'"));
		RuntimeException safe = TokenSafeStoreException.withoutSecrets(failure, "token-1", stored);
		assertThat(safe).isInstanceOf(TokenSafeStoreException.class).hasNoCause();
		assertThat(safe.getMessage()).isEqualTo("org.springframework.dao.DataIntegrityViolationException: insert failed "
				+ "for ******; caused by java.lang.IllegalStateException: Value too long: '******... (38)' and again "
				+ "'******'");
	}

}
