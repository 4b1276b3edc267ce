package com.cometchat.spring.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.util.Assert;

/**
 * {@link TokenCipher} with AES-GCM: each token gets a random 96-bit IV and a 128-bit tag, stored as
 * {@code gcm1:<base64(iv + ciphertext)>}. A token stored in clear before a key was configured is still read, and
 * encrypted at its next save.
 *
 * @author CometChat
 */
public final class AesGcmTokenCipher implements TokenCipher {

	static final String PREFIX = "gcm1:";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Create a cipher.
	 * @param key an AES key of 16, 24 or 32 bytes
	 */
	public AesGcmTokenCipher(byte[] key) {
		Assert.isTrue(key.length == 16 || key.length == 24 || key.length == 32,
				"An AES key has 16, 24 or 32 bytes, not " + key.length);
		this.key = new SecretKeySpec(key.clone(), "AES");
	}

	/**
	 * Create a cipher from a Base64 key.
	 * @param base64Key the key, Base64 of 16, 24 or 32 bytes
	 * @return the cipher
	 * @throws IllegalArgumentException if the key is not Base64 or has another length
	 */
	public static AesGcmTokenCipher fromBase64(String base64Key) {
		return new AesGcmTokenCipher(Base64.getDecoder().decode(base64Key.trim()));
	}

	@Override
	public String encrypt(String token) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			byte[] encrypted = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
			return PREFIX + Base64.getEncoder()
				.encodeToString(ByteBuffer.allocate(iv.length + encrypted.length).put(iv).put(encrypted).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt the auth token", ex);
		}
	}

	@Override
	public String decrypt(String stored) {
		if (!stored.startsWith(PREFIX)) {
			return stored;
		}
		try {
			byte[] data = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
			return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("Could not decrypt the saved auth token: it was saved with another "
					+ "key than cometchat.session.encryption-key, or it is damaged", ex);
		}
	}

	@Override
	public String toString() {
		return "AesGcmTokenCipher[key=******]";
	}

}
