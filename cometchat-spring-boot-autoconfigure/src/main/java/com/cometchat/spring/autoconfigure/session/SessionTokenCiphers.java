package com.cometchat.spring.autoconfigure.session;

import com.cometchat.spring.autoconfigure.CometChatProperties;
import com.cometchat.spring.autoconfigure.InvalidCometChatPropertyException;
import com.cometchat.spring.session.AesGcmTokenCipher;
import com.cometchat.spring.session.TokenCipher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.StringUtils;

/**
 * The {@link TokenCipher} of {@code cometchat.session.encryption-key}, for the session stores that save to a database.
 *
 * @author CometChat
 */
public final class SessionTokenCiphers {

	private static final Log logger = LogFactory.getLog(SessionTokenCiphers.class);

	private SessionTokenCiphers() {
	}

	/**
	 * Return the cipher of the properties' encryption key: AES-GCM with the key, or none (with a warning) without one.
	 * @param properties the properties
	 * @return the cipher
	 * @throws InvalidCometChatPropertyException if the key is not Base64 of a 16, 24 or 32-byte key
	 */
	public static TokenCipher fromProperties(CometChatProperties properties) {
		String key = properties.getSession().getEncryptionKey();
		if (!StringUtils.hasText(key)) {
			logger.warn("Saved CometChat sessions are not encrypted at rest (table cometchat_session): set "
					+ "cometchat.session.encryption-key to encrypt them");
			return TokenCipher.NONE;
		}
		try {
			return AesGcmTokenCipher.fromBase64(key);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCometChatPropertyException("cometchat.session.encryption-key", "******",
					"it is not Base64 of a 16, 24 or 32-byte AES key",
					"Set cometchat.session.encryption-key to a key made with 'openssl rand -base64 32'.");
		}
	}

}
