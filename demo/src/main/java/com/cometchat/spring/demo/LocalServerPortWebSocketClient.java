package com.cometchat.spring.demo;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@link WebSocketClient} that sends a URL with port {@code 0} to the port this application's web server listens on.
 *
 * <p>The CometChat client takes its URL when it is created, before the web server has started; with
 * {@code server.port=0} the real port is only known once the server runs. The client connects after the web server
 * has started, so the port is resolved at the handshake. Any other URL is passed on unchanged.
 *
 * @author CometChat
 */
final class LocalServerPortWebSocketClient implements WebSocketClient, AutoCloseable {

	private final WebSocketClient delegate;

	private final Runnable stop;

	private final Supplier<@Nullable Integer> localServerPort;

	/**
	 * Create a client.
	 * @param delegate the client that opens the connections
	 * @param stop stops what the delegate runs on, at {@link #close()}
	 * @param localServerPort supplies the port the web server listens on, or {@code null} before it has started
	 */
	LocalServerPortWebSocketClient(WebSocketClient delegate, Runnable stop,
			Supplier<@Nullable Integer> localServerPort) {
		this.delegate = delegate;
		this.stop = stop;
		this.localServerPort = localServerPort;
	}

	@Override
	public void close() {
		this.stop.run();
	}

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler webSocketHandler, String uriTemplate,
			@Nullable Object... uriVariables) {
		URI uri = UriComponentsBuilder.fromUriString(uriTemplate).buildAndExpand(uriVariables).encode().toUri();
		return execute(webSocketHandler, null, uri);
	}

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler webSocketHandler,
			@Nullable WebSocketHttpHeaders headers, URI uri) {
		if (uri.getPort() != 0) {
			return this.delegate.execute(webSocketHandler, headers, uri);
		}
		Integer port = this.localServerPort.get();
		if (port == null) {
			return CompletableFuture.failedFuture(new IllegalStateException(
					"Cannot connect to " + uri + ": the local web server has not started, its port is not known"));
		}
		URI resolved = UriComponentsBuilder.fromUri(uri).port(port).build(true).toUri();
		return this.delegate.execute(webSocketHandler, headers, resolved);
	}

}
