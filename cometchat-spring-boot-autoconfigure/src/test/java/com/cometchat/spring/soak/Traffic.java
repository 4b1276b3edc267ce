package com.cometchat.spring.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.cometchat.spring.client.ChatMessage;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatException;
import com.cometchat.spring.client.OutgoingMessage;
import com.cometchat.spring.client.ReceiverType;
import com.cometchat.spring.client.SentMessage;

/**
 * Client A sends text messages to client B's inbox at a steady rate, from a scheduler of its own; B's message listener
 * records every message it is given, by id, with the time it got it. Each send keeps its future and the time it was
 * made, so that the soak can tell when B receives again after a fault: the first message B gets that A sent after a
 * given instant.
 */
final class Traffic implements AutoCloseable {

	private final CometChatClient sender;

	private final String receiverUid;

	private final Duration interval;

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(SoakThreads.named("soak-a-sender"));

	private final List<Send> sends = new ArrayList<>();

	/** Id to the number of times B's listener got it. */
	private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();

	/** Text to when B's listener first got it, by {@link System#nanoTime()}. */
	private final Map<String, Long> receipts = new ConcurrentHashMap<>();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Prepare the traffic; nothing is sent before {@link #start()}.
	 * @param sender client A
	 * @param receiver client B
	 * @param receiverUid B's uid
	 * @param interval time between two sends
	 */
	Traffic(CometChatClient sender, CometChatClient receiver, String receiverUid, Duration interval) {
		this.sender = sender;
		this.receiverUid = receiverUid;
		this.interval = interval;
		receiver.addMessageListener("soak", this::received);
	}

	/**
	 * Start sending.
	 */
	void start() {
		this.scheduler.scheduleAtFixedRate(this::send, 0, this.interval.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Stop sending and wait for the last send to have been made.
	 */
	void stop() {
		SoakThreads.finish(this.scheduler);
	}

	@Override
	public void close() {
		SoakThreads.stop(this.scheduler);
	}

	/**
	 * Return how many messages B's listener got, copies included.
	 * @return the count
	 */
	long received() {
		return this.received.get();
	}

	/**
	 * Return when B's listener first got a message that A sent at or after the given instant.
	 * @param sentSince the instant, by {@link System#nanoTime()}
	 * @return the earliest such receipt, by {@link System#nanoTime()}, or empty if none arrived yet
	 */
	OptionalLong firstReceiptOfMessageSentSince(long sentSince) {
		long first = Long.MAX_VALUE;
		synchronized (this.sends) {
			for (int i = this.sends.size() - 1; i >= 0 && this.sends.get(i).sentAt() >= sentSince; i--) {
				Long receipt = this.receipts.get(this.sends.get(i).text());
				if (receipt != null) {
					first = Math.min(first, receipt);
				}
			}
		}
		return (first != Long.MAX_VALUE) ? OptionalLong.of(first) : OptionalLong.empty();
	}

	/**
	 * Whether every send completed and every confirmed message reached B's listener.
	 * @return whether nothing more is to come
	 */
	boolean isSettled() {
		for (Send send : sends()) {
			if (!send.future().isDone()) {
				return false;
			}
			if (!send.future().isCompletedExceptionally() && !this.deliveries.containsKey(send.future().join().id())) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the figures of the traffic so far.
	 * @return the figures
	 */
	Figures figures() {
		int confirmed = 0;
		int failed = 0;
		int pending = 0;
		int lost = 0;
		int failedButReceived = 0;
		Map<String, Integer> failures = new TreeMap<>();
		List<Send> sends = sends();
		for (Send send : sends) {
			CompletableFuture<SentMessage> future = send.future();
			if (!future.isDone()) {
				pending++;
			}
			else if (future.isCompletedExceptionally()) {
				failed++;
				failures.merge(errorCode(future), 1, Integer::sum);
				if (this.receipts.containsKey(send.text())) {
					failedButReceived++;
				}
			}
			else {
				confirmed++;
				if (!this.deliveries.containsKey(future.join().id())) {
					lost++;
				}
			}
		}
		int duplicates = (int) this.deliveries.values().stream().filter((count) -> count > 1).count();
		return new Figures(sends.size(), confirmed, failed, pending, lost, duplicates, failedButReceived,
				this.received.get(), failures);
	}

	private void send() {
		String text = "m" + this.sequence.incrementAndGet();
		long sentAt = System.nanoTime();
		CompletableFuture<SentMessage> future;
		try {
			future = this.sender.sendMessage(OutgoingMessage.text(ReceiverType.USER, this.receiverUid, text));
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		synchronized (this.sends) {
			this.sends.add(new Send(text, sentAt, future));
		}
	}

	private void received(ChatMessage message) {
		long now = System.nanoTime();
		this.received.incrementAndGet();
		this.deliveries.merge(message.id(), 1, Integer::sum);
		if (message.text() != null) {
			this.receipts.putIfAbsent(message.text(), now);
		}
	}

	private List<Send> sends() {
		synchronized (this.sends) {
			return List.copyOf(this.sends);
		}
	}

	private static String errorCode(CompletableFuture<?> future) {
		try {
			future.join();
			return "NONE";
		}
		catch (CompletionException ex) {
			return (ex.getCause() instanceof CometChatException failure) ? failure.getCode().name()
					: String.valueOf(ex.getCause());
		}
	}

	/**
	 * One send of A.
	 */
	private record Send(String text, long sentAt, CompletableFuture<SentMessage> future) {
	}

	/**
	 * What happened to A's messages.
	 *
	 * @param sent sends A made
	 * @param confirmed futures that completed normally
	 * @param failed futures that failed
	 * @param pending futures not complete
	 * @param lost confirmed messages B's listener never got
	 * @param duplicates ids B's listener got more than once
	 * @param failedButReceived failed sends whose message B's listener got anyway
	 * @param received messages B's listener got, copies included
	 * @param failures failed futures by error code
	 */
	record Figures(int sent, int confirmed, int failed, int pending, int lost, int duplicates,
			int failedButReceived, long received, Map<String, Integer> failures) {
	}

}
