package com.cometchat.spring.benchmarks.probe;

import java.lang.reflect.Type;
import java.time.Instant;

import com.cometchat.spring.benchmarks.broker.ArtemisBrokerMain;

import org.springframework.integration.stomp.WebSocketStompSessionManager;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Spring Integration's {@link WebSocketStompSessionManager}: its recovery needs the STOMP client to have a
 * {@code TaskScheduler} (which also turns Spring's default 10 s heart-beats on). A handler subscribes in
 * {@code afterConnected}, as {@code StompInboundChannelAdapter} does after every (re)connect.
 *
 * @author CometChat
 */
public final class SpringIntegrationProbe extends Probe {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final WebSocketStompSessionManager manager;

	private final String uid;

	private volatile StompSession session;

	/**
	 * @param recoveryInterval the recovery interval in ms, or {@code null} for the default (10 s)
	 */
	public SpringIntegrationProbe(String name, String url, String uid, Integer recoveryInterval) {
		super(name);
		this.uid = uid;
		this.scheduler.setThreadNamePrefix("si-" + name + "-");
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
		WebSocketStompClient stompClient = new WebSocketStompClient(new StandardWebSocketClient());
		stompClient.setTaskScheduler(this.scheduler);
		this.manager = new WebSocketStompSessionManager(stompClient, url);
		StompHeaders connectHeaders = new StompHeaders();
		connectHeaders.setLogin(uid);
		connectHeaders.setPasscode(ArtemisBrokerMain.PASSCODE);
		connectHeaders.setHost("/");
		this.manager.setConnectHeaders(connectHeaders);
		if (recoveryInterval != null) {
			this.manager.setRecoveryInterval(recoveryInterval);
		}
		this.manager.connect(new Handler());
	}

	private final class Handler extends StompSessionHandlerAdapter {

		@Override
		public void afterConnected(StompSession session, StompHeaders connectedHeaders) {
			SpringIntegrationProbe.this.session = session;
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
			if (SpringIntegrationProbe.this.session == session) {
				lost(Instant.now(), String.valueOf(exception));
				SpringIntegrationProbe.this.session = null;
			}
		}

	}

	@Override
	public void start() {
		this.manager.start();
	}

	@Override
	public String destination() {
		return "/queue/bench.si." + this.uid;
	}

	@Override
	public boolean isConnected() {
		return this.manager.isConnected();
	}

	@Override
	public void close() {
		this.manager.stop();
		this.scheduler.shutdown();
	}

}
