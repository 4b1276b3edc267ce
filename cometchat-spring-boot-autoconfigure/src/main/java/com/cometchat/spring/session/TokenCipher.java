package com.cometchat.spring.session;

/**
 * Encrypts the auth token of a saved session at rest.
 *
 * @author CometChat
 * @see AesGcmTokenCipher
 */
public interface TokenCipher {

	/**
	 * Leaves tokens in clear.
	 */
	TokenCipher NONE = new TokenCipher() {

		@Override
		public String encrypt(String token) {
			return token;
		}

		@Override
		public String decrypt(String stored) {
			if (stored.startsWith(AesGcmTokenCipher.PREFIX)) {
				throw new IllegalStateException(
						"The saved auth token is encrypted but no key is configured (cometchat.session.encryption-key)");
			}
			return stored;
		}

	};

	/**
	 * Encrypt a token for storage.
	 * @param token the token
	 * @return what to store
	 */
	String encrypt(String token);

	/**
	 * Decrypt a stored token.
	 * @param stored what was stored
	 * @return the token
	 * @throws IllegalStateException if it cannot be decrypted, for example with another key
	 */
	String decrypt(String stored);

}
