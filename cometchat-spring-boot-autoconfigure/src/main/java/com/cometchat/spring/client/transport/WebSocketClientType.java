package com.cometchat.spring.client.transport;

/**
 * The JSR-356 WebSocket client library a client is built on.
 *
 * @author CometChat
 * @see WebSocketClients
 */
public enum WebSocketClientType {

	/**
	 * Jetty's client when it is on the class path (the starter ships it), else Tomcat's, else the container that
	 * {@link jakarta.websocket.ContainerProvider} finds.
	 */
	AUTO,

	/**
	 * Jetty 12.1's Jakarta WebSocket client ({@code jetty-ee11-websocket-jakarta-client}): about 16 KiB of heap per
	 * idle session, no fixed inbound buffers.
	 */
	JETTY,

	/**
	 * Tomcat's WebSocket client ({@code tomcat-embed-websocket}): it allocates a byte and a char buffer of the inbound
	 * size limit for every session (about 3 × the limit, so about 200 KiB at 64 KiB) and closes a session on any
	 * larger frame.
	 */
	TOMCAT

}
