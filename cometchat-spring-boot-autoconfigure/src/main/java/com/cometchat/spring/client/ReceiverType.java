package com.cometchat.spring.client;

/**
 * Who a message is for.
 *
 * @author CometChat
 */
public enum ReceiverType {

	/**
	 * One user, by uid: the message goes to the user's inbox.
	 */
	USER,

	/**
	 * A group, by guid: the message goes to every member that joined it.
	 */
	GROUP

}
