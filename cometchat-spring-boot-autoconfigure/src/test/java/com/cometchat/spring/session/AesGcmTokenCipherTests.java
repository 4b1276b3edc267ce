package com.cometchat.spring.session;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AesGcmTokenCipher}.
 */
class AesGcmTokenCipherTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());

	private final AesGcmTokenCipher cipher = AesGcmTokenCipher.fromBase64(KEY);

	@Test
	void encryptsWithARandomIvAndDecrypts() {
		String first = this.cipher.encrypt("secret-token");
		String second = this.cipher.encrypt("secret-token");
		assertThat(first).startsWith("gcm1:").doesNotContain("secret-token").isNotEqualTo(second);
		assertThat(this.cipher.decrypt(first)).isEqualTo("secret-token");
		assertThat(this.cipher.decrypt(second)).isEqualTo("secret-token");
	}

	@Test
	void anotherKeyCannotDecryptAndSaysWhy() {
		String stored = this.cipher.encrypt("secret-token");
		assertThatIllegalStateException().isThrownBy(() -> AesGcmTokenCipher.fromBase64(OTHER_KEY).decrypt(stored))
			.withMessageContaining("cometchat.session.encryption-key");
	}

	@Test
	void aTamperedTokenIsRejected() {
		String stored = this.cipher.encrypt("secret-token");
		String tampered = stored.substring(0, stored.length() - 2) + (stored.endsWith("A=") ? "B=" : "A=");
		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt(tampered));
	}

	@Test
	void aTokenSavedInClearIsStillRead() {
		assertThat(this.cipher.decrypt("plain-token")).isEqualTo("plain-token");
	}

	@Test
	void withoutAKeyAnEncryptedTokenIsRefused() {
		String stored = this.cipher.encrypt("secret-token");
		assertThatIllegalStateException().isThrownBy(() -> TokenCipher.NONE.decrypt(stored))
			.withMessageContaining("no key");
	}

	@Test
	void keysHaveAesLengths() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AesGcmTokenCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[10])));
		assertThatIllegalArgumentException().isThrownBy(() -> AesGcmTokenCipher.fromBase64("not base64!"));
		assertThat(this.cipher.toString()).doesNotContain(KEY);
	}

}
