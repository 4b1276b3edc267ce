package com.cometchat.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.cometchat.spring.client.transport.WebSocketClientType;
import com.cometchat.spring.client.transport.WebSocketClients;
import com.cometchat.spring.client.transport.WebSocketStompTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * The threads and WebSocket clients that CometChat clients run on, shared by any number of them: the thread count
 * stays the same whatever the number of clients. Closing it stops what it created.
 *
 * <p>Three kinds of thread, never mixed:
 * <ul>
 * <li>the <em>loop</em> executor ({@code cometchat-loop-*}, {@value #DEFAULT_LOOP_THREADS} threads) drains the
 * connection loops: only the client's own state changes, never blocking, never user code;</li>
 * <li>the <em>I/O</em> executor ({@code cometchat-io-*}, {@value #DEFAULT_IO_THREADS} threads) does what blocks on the
 * network: frame writes, closes and the reachability probe; never user code;</li>
 * <li>the <em>store</em> executor ({@code cometchat-store-*}, {@value #DEFAULT_STORE_THREADS} threads) makes the
 * session store calls (database writes and reads), so that a slow database never holds up a frame: after a broker
 * restart, thousands of "last connected" updates would otherwise queue in front of the frames of the clients still
 * reconnecting; never user code;</li>
 * <li>the <em>callback</em> executor ({@code cometchat-callback-*}) runs user code: listeners, application events
 * and the completion of every future a client hands out. By default a {@link ForkJoinPool} of
 * {@value #DEFAULT_CALLBACK_PARALLELISM}: a continuation that waits for another call with {@code join()} makes the pool
 * add a thread rather than wait for itself, so it cannot deadlock the client; a listener that blocks for long holds
 * one of its threads (give such listeners an executor of their own).</li>
 * </ul>
 * Plus a scheduler ({@code cometchat-scheduler-1}) whose clock is the clients' clock and whose tasks only hand work to
 * a loop, and, per WebSocket client settings, one WebSocket client with its bounded pool for the blocking
 * handshakes ({@code cometchat-connect-*}) and, for Jetty, its own pool ({@code cometchat-jetty-*}).
 *
 * @author CometChat
 */
public final class CometChatResources implements AutoCloseable {

	/**
	 * Threads of the default loop executor.
	 */
	public static final int DEFAULT_LOOP_THREADS = 2;

	/**
	 * Threads of the default I/O executor.
	 */
	public static final int DEFAULT_IO_THREADS = 4;

	/**
	 * Threads of the default store executor.
	 */
	public static final int DEFAULT_STORE_THREADS = 4;

	/**
	 * Parallelism of the default callback executor.
	 */
	public static final int DEFAULT_CALLBACK_PARALLELISM = 4;

	private final TaskScheduler scheduler;

	private final Executor loopExecutor;

	private final Executor ioExecutor;

	private final Executor storeExecutor;

	private final Executor callbackExecutor;

	private final Map<StompSettings, WebSocketStompTransport> transports = new ConcurrentHashMap<>();

	private final Map<WebSocketSettings, WebSocketClients.Created> webSocketClients = new ConcurrentHashMap<>();

	private final List<Runnable> owned;

	private volatile boolean closed;

	private CometChatResources(TaskScheduler scheduler, Executor loopExecutor, Executor ioExecutor,
			Executor storeExecutor, Executor callbackExecutor, List<Runnable> owned) {
		this.scheduler = scheduler;
		this.loopExecutor = loopExecutor;
		this.ioExecutor = ioExecutor;
		this.storeExecutor = storeExecutor;
		this.callbackExecutor = callbackExecutor;
		this.owned = owned;
	}

	/**
	 * Create resources with the default threads.
	 * @return the resources
	 */
	public static CometChatResources create() {
		return builder().build();
	}

	/**
	 * Return a builder, to give some of the threads.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the scheduler; its clock is the clients' clock.
	 * @return the scheduler
	 */
	public TaskScheduler getScheduler() {
		return this.scheduler;
	}

	/**
	 * Return the executor that drains the connection loops.
	 * @return the loop executor
	 */
	public Executor getLoopExecutor() {
		return this.loopExecutor;
	}

	/**
	 * Return the executor for blocking network work.
	 * @return the I/O executor
	 */
	public Executor getIoExecutor() {
		return this.ioExecutor;
	}

	/**
	 * Return the executor for session store calls.
	 * @return the store executor
	 */
	public Executor getStoreExecutor() {
		return this.storeExecutor;
	}

	/**
	 * Return the executor that runs listeners and completes futures.
	 * @return the callback executor
	 */
	public Executor getCallbackExecutor() {
		return this.callbackExecutor;
	}

	/**
	 * Return the STOMP transport for these settings, created on first use and shared by every client with the same
	 * settings (so one reachability probe serves them all).
	 * @param webSocket the WebSocket client settings
	 * @param stomp the STOMP settings
	 * @return the transport
	 */
	WebSocketStompTransport transport(WebSocketSettings webSocket, WebSocketStompTransport.Settings stomp) {
		Assert.state(!this.closed, "The resources are closed");
		// The WebSocket client is made on the first connection attempt, off the thread that starts the application
		return this.transports.computeIfAbsent(new StompSettings(webSocket, stomp),
				(key) -> new WebSocketStompTransport(() -> webSocketClient(webSocket), this.scheduler, stomp,
						this.ioExecutor));
	}

	private WebSocketClient webSocketClient(WebSocketSettings webSocket) {
		Assert.state(!this.closed, "The resources are closed");
		return this.webSocketClients
			.computeIfAbsent(webSocket, (settings) -> WebSocketClients.create(settings.type(),
					settings.inboundMessageSizeLimit(), settings.sslContext(), WebSocketClients.DEFAULT_CONNECT_THREADS,
					settings.handshakeTimeout()))
			.client();
	}

	/**
	 * Stop the STOMP clients, WebSocket clients and threads created here; given ones are left running.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.transports.values().forEach(WebSocketStompTransport::stop);
		this.transports.clear();
		this.webSocketClients.values().forEach((created) -> created.stop().run());
		this.webSocketClients.clear();
		this.owned.forEach(Runnable::run);
	}

	/**
	 * How a WebSocket client is made.
	 *
	 * @param type which library
	 * @param inboundMessageSizeLimit the largest inbound message, in bytes
	 * @param sslContext the TLS context for {@code wss://}, or {@code null} for the JVM's default
	 * @param handshakeTimeout bound for opening a socket and its WebSocket handshake
	 */
	record WebSocketSettings(WebSocketClientType type, int inboundMessageSizeLimit, @Nullable SSLContext sslContext,
			Duration handshakeTimeout) {
	}

	private record StompSettings(WebSocketSettings webSocket, WebSocketStompTransport.Settings stomp) {
	}

	/**
	 * Builds {@link CometChatResources}: what is not given is created, and stopped when they close.
	 */
	public static final class Builder {

		private @Nullable TaskScheduler scheduler;

		private @Nullable Executor loopExecutor;

		private @Nullable Executor ioExecutor;

		private @Nullable Executor storeExecutor;

		private @Nullable Executor callbackExecutor;

		private Builder() {
		}

		/**
		 * Scheduler for heart-beats, timeouts and retries; its clock is the clients' clock.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(TaskScheduler scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * Executor that drains the connection loops; its tasks never block.
		 * @param loopExecutor the executor
		 * @return this builder
		 */
		public Builder loopExecutor(Executor loopExecutor) {
			this.loopExecutor = loopExecutor;
			return this;
		}

		/**
		 * Executor for blocking network work: frame writes, closes, the reachability probe.
		 * @param ioExecutor the executor
		 * @return this builder
		 */
		public Builder ioExecutor(Executor ioExecutor) {
			this.ioExecutor = ioExecutor;
			return this;
		}

		/**
		 * Executor for session store calls.
		 * @param storeExecutor the executor
		 * @return this builder
		 */
		public Builder storeExecutor(Executor storeExecutor) {
			this.storeExecutor = storeExecutor;
			return this;
		}

		/**
		 * Executor for user code: listeners, application events and the completion of the futures clients return.
		 * @param callbackExecutor the executor
		 * @return this builder
		 */
		public Builder callbackExecutor(Executor callbackExecutor) {
			this.callbackExecutor = callbackExecutor;
			return this;
		}

		/**
		 * Create the resources.
		 * @return the resources
		 */
		public CometChatResources build() {
			List<Runnable> owned = new ArrayList<>();
			TaskScheduler scheduler = this.scheduler;
			if (scheduler == null) {
				ThreadPoolTaskScheduler created = new ThreadPoolTaskScheduler();
				created.setThreadNamePrefix("cometchat-scheduler-");
				created.setPoolSize(1);
				created.setRemoveOnCancelPolicy(true);
				created.setDaemon(true);
				created.initialize();
				owned.add(created::shutdown);
				scheduler = created;
			}
			Executor loop = (this.loopExecutor != null) ? this.loopExecutor
					: pool("cometchat-loop-", DEFAULT_LOOP_THREADS, owned);
			Executor io = (this.ioExecutor != null) ? this.ioExecutor : pool("cometchat-io-", DEFAULT_IO_THREADS, owned);
			Executor store = (this.storeExecutor != null) ? this.storeExecutor
					: pool("cometchat-store-", DEFAULT_STORE_THREADS, owned);
			Executor callbacks = (this.callbackExecutor != null) ? this.callbackExecutor : callbackPool(owned);
			return new CometChatResources(scheduler, loop, io, store, callbacks, owned);
		}

		private static Executor pool(String prefix, int threads, List<Runnable> owned) {
			ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
			pool.setThreadNamePrefix(prefix);
			pool.setCorePoolSize(threads);
			pool.setMaxPoolSize(threads);
			pool.setAllowCoreThreadTimeOut(true);
			pool.setDaemon(true);
			// What was handed over before close still runs (a closing client's last writes and their outcomes)
			pool.setWaitForTasksToCompleteOnShutdown(true);
			pool.initialize();
			owned.add(pool::shutdown);
			return pool;
		}

		private static Executor callbackPool(List<Runnable> owned) {
			AtomicInteger count = new AtomicInteger();
			ForkJoinPool pool = new ForkJoinPool(DEFAULT_CALLBACK_PARALLELISM, (forkJoinPool) -> {
				ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(forkJoinPool);
				thread.setName("cometchat-callback-" + count.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			}, null, true, 0, 256, 1, null, 60, TimeUnit.SECONDS);
			owned.add(pool::shutdown);
			return pool;
		}

	}

}
