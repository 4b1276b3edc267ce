package com.cometchat.spring.benchmarks.startup;

import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;

/**
 * Makes and stops the WebSocket client the starter makes by default (Jetty's, 64 KiB messages, 16 connect threads)
 * before the application starts ({@code -Dbench.startup.before}): the client bean then finds its classes loaded, and
 * its time shrinks by what the first WebSocket client in the JVM costs.
 *
 * @author CometChat
 */
public class WebSocketClientFirst implements Runnable {

	@Override
	public void run() {
		WebSocketClients.create(WebSocketClientType.AUTO, 64 * 1024, null, WebSocketClients.DEFAULT_CONNECT_THREADS)
			.stop()
			.run();
	}

}
