package com.cometchat.spring.benchmarks.probe;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * The raw Spring client as tutorials show it: a {@link WebSocketStompClient} without a {@code TaskScheduler} (so
 * heart-beats {@code 0,0}), subscribing in {@code afterConnected}, and a hand-written reconnect that tries again after
 * a fixed delay whenever {@code handleTransportError} is called (which covers failed connects too).
 *
 * @author CometChat
 */
public final class RawTutorialProbe extends Probe {

	private final WebSocketStompClient stompClient = new WebSocketStompClient(new StandardWebSocketClient());

	private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "raw-reconnect");
		thread.setDaemon(true);
		return thread;
	});

	private final String url;

	private final String uid;

	private final Duration retryDelay;

	private volatile StompSession session;

	private volatile boolean closed;

	public RawTutorialProbe(String name, String url, String uid, Duration retryDelay) {
		super(name);
		this.url = url;
		this.uid = uid;
		this.retryDelay = retryDelay;
	}

	@Override
	public void start() {
		connect();
	}

	private void connect() {
		if (this.closed) {
			return;
		}
		StompHeaders connectHeaders = new StompHeaders();
		connectHeaders.setLogin(this.uid);
		connectHeaders.setPasscode(ArtemisBrokerMain.PASSCODE);
		connectHeaders.setHost("/");
		this.stompClient.connectAsync(this.url, new WebSocketHttpHeaders(), connectHeaders, new Handler());
	}

	private final class Handler extends StompSessionHandlerAdapter {

		@Override
		public void afterConnected(StompSession session, StompHeaders connectedHeaders) {
			RawTutorialProbe.this.session = session;
			session.subscribe(destination(), new StompFrameHandler() {
				@Override
				public Type getPayloadType(StompHeaders headers) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders headers, Object payload) {
					received(Instant.now());
				}
			});
			connected(Instant.now());
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			if (RawTutorialProbe.this.session == session) {
				lost(Instant.now());
				RawTutorialProbe.this.session = null;
			}
			RawTutorialProbe.this.reconnects.schedule(RawTutorialProbe.this::connect,
					RawTutorialProbe.this.retryDelay.toMillis(), TimeUnit.MILLISECONDS);
		}

	}

	@Override
	public String destination() {
		return "/queue/bench.raw." + this.uid;
	}

	@Override
	public boolean isConnected() {
		StompSession session = this.session;
		return session != null && session.isConnected();
	}

	@Override
	public void close() {
		this.closed = true;
		this.reconnects.shutdownNow();
		StompSession session = this.session;
		if (session != null && session.isConnected()) {
			try {
				session.disconnect();
			}
			catch (RuntimeException ex) {
				// closing anyway
			}
		}
	}

}
