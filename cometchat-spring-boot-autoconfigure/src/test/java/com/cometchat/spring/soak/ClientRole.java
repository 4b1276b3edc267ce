package com.cometchat.spring.soak;

/**
 * The three clients of a {@link ChaosSoak}, each in the same JVM behind a fault proxy of its own.
 */
enum ClientRole {

	/**
	 * Sends text messages to B's inbox at a steady rate, receipts on.
	 */
	A,

	/**
	 * Receives A's messages; its listener counts every id it is given.
	 */
	B,

	/**
	 * Logs in and out as two users, connects, disconnects and joins groups at random from four threads.
	 */
	C

}
