package com.cometchat.spring.test;

import java.nio.charset.StandardCharsets;

/**
 * Follows the bytes a server sends on one connection to know where a WebSocket message can be slipped in without
 * breaking the stream: after the server's {@code HTTP/1.1 101} answer, between two whole WebSocket messages (never
 * inside a fragmented one, control frames included), and, for STOMP over WebSocket, between two STOMP frames once the
 * server sent its first one: the last payload byte other than an end of line was the NUL that ends a frame. The first
 * STOMP frame of a server is its {@code CONNECTED} (or an {@code ERROR}), so nothing is slipped in before the session is
 * established. A stream that does not start with {@code HTTP/1.1 101} is not WebSocket and never has such a
 * boundary.
 * <p>
 * Frame headers are parsed as RFC 6455 writes them (7, 16 or 64-bit lengths, a masking key if the mask bit is set);
 * payloads are unmasked only to find the NULs. Not thread-safe: its owner serializes the calls.
 */
final class ServerMessageBoundaries {

	private static final byte[] SWITCHING_PROTOCOLS = "HTTP/1.1 101".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int MAX_HEADER_LENGTH = 14;

	private Phase phase = Phase.HANDSHAKE;

	/** Bytes of the handshake answer seen so far, and how much of the end of its headers was matched. */
	private long handshakeBytes;

	private int endOfHeadersMatched;

	private final byte[] header = new byte[MAX_HEADER_LENGTH];

	private int headerRead;

	private long payloadRemaining;

	private long payloadRead;

	/** Whether a data message began with a frame without FIN and its last frame has not come yet. */
	private boolean fragmented;

	/** Whether the STOMP stream is between frames, after the first one. */
	private boolean betweenStompFrames;

	/**
	 * Whether a whole WebSocket message may be written to the client now.
	 * @return whether the stream is at a boundary
	 */
	boolean atBoundary() {
		return this.phase == Phase.FRAMES && this.headerRead == 0 && this.payloadRemaining == 0 && !this.fragmented
				&& this.betweenStompFrames;
	}

	/**
	 * Whether the stream turned out not to be WebSocket.
	 * @return whether it will never have a boundary
	 */
	boolean isNotWebSocket() {
		return this.phase == Phase.NOT_WEBSOCKET;
	}

	/**
	 * Follow bytes the server sent.
	 * @param bytes the buffer
	 * @param offset where the bytes start
	 * @param length how many bytes there are
	 * @param stopAtBoundary whether to stop right after the first byte that brings the stream to a boundary
	 * @return how many bytes were followed: {@code length}, or fewer if it stopped at a boundary
	 */
	int follow(byte[] bytes, int offset, int length, boolean stopAtBoundary) {
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (this.phase == Phase.NOT_WEBSOCKET) {
				return length;
			}
			if (this.phase == Phase.HANDSHAKE) {
				handshake(bytes[i]);
			}
			else if (this.payloadRemaining > 0) {
				payload(bytes[i]);
			}
			else {
				header(bytes[i]);
			}
			if (stopAtBoundary && atBoundary()) {
				return i + 1 - offset;
			}
		}
		return length;
	}

	private void handshake(byte b) {
		if (this.handshakeBytes < SWITCHING_PROTOCOLS.length && b != SWITCHING_PROTOCOLS[(int) this.handshakeBytes]) {
			this.phase = Phase.NOT_WEBSOCKET;
			return;
		}
		this.handshakeBytes++;
		if (b == END_OF_HEADERS[this.endOfHeadersMatched]) {
			this.endOfHeadersMatched++;
		}
		else {
			this.endOfHeadersMatched = (b == END_OF_HEADERS[0]) ? 1 : 0;
		}
		if (this.endOfHeadersMatched == END_OF_HEADERS.length) {
			this.phase = Phase.FRAMES;
		}
	}

	private void header(byte b) {
		this.header[this.headerRead++] = b;
		if (this.headerRead < 2 || this.headerRead < headerLength()) {
			return;
		}
		this.payloadRemaining = payloadLength();
		this.payloadRead = 0;
		if (this.payloadRemaining == 0) {
			endOfFrame();
		}
	}

	private void payload(byte b) {
		if (isData()) {
			byte unmasked = masked() ? (byte) (b ^ this.header[headerLength() - 4 + (int) (this.payloadRead % 4)]) : b;
			if (unmasked == 0) {
				this.betweenStompFrames = true;
			}
			else if (unmasked != '\n' && unmasked != '\r') {
				this.betweenStompFrames = false;
			}
		}
		this.payloadRead++;
		if (--this.payloadRemaining == 0) {
			endOfFrame();
		}
	}

	private void endOfFrame() {
		int opcode = this.header[0] & 0x0F;
		boolean fin = (this.header[0] & 0x80) != 0;
		if (opcode == 0x1 || opcode == 0x2) {
			this.fragmented = !fin;
		}
		else if (opcode == 0x0 && fin) {
			this.fragmented = false;
		}
		this.headerRead = 0;
	}

	private boolean isData() {
		return (this.header[0] & 0x08) == 0;
	}

	private boolean masked() {
		return (this.header[1] & 0x80) != 0;
	}

	private int headerLength() {
		int length7 = this.header[1] & 0x7F;
		int extended = (length7 == 126) ? 2 : (length7 == 127) ? 8 : 0;
		return 2 + extended + (masked() ? 4 : 0);
	}

	private long payloadLength() {
		int length7 = this.header[1] & 0x7F;
		if (length7 < 126) {
			return length7;
		}
		int bytes = (length7 == 126) ? 2 : 8;
		long length = 0;
		for (int i = 0; i < bytes; i++) {
			length = (length << 8) | (this.header[2 + i] & 0xFF);
		}
		return length;
	}

	/**
	 * An unmasked, final WebSocket text frame, as a server sends it.
	 * @param text the text
	 * @return the frame's bytes
	 */
	static byte[] textFrame(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		int extended = (payload.length < 126) ? 0 : (payload.length <= 0xFFFF) ? 2 : 8;
		byte[] frame = new byte[2 + extended + payload.length];
		frame[0] = (byte) 0x81;
		if (extended == 0) {
			frame[1] = (byte) payload.length;
		}
		else {
			frame[1] = (byte) ((extended == 2) ? 126 : 127);
			long length = payload.length;
			for (int i = extended; i > 0; i--) {
				frame[1 + i] = (byte) length;
				length >>>= 8;
			}
		}
		System.arraycopy(payload, 0, frame, 2 + extended, payload.length);
		return frame;
	}

	private enum Phase {

		HANDSHAKE, FRAMES, NOT_WEBSOCKET

	}

}
