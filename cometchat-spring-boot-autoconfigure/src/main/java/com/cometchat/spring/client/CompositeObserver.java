package com.cometchat.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells every observer of a client, in the order they were added; one that fails is logged and the others are still
 * told.
 *
 * @author CometChat
 */
final class CompositeObserver implements CometChatClientObserver {

	private static final Log logger = LogFactory.getLog(CompositeObserver.class);

	private static final CometChatClientObserver NONE = new CometChatClientObserver() {
	};

	private final List<CometChatClientObserver> observers;

	private CompositeObserver(List<CometChatClientObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	static CometChatClientObserver of(List<CometChatClientObserver> observers) {
		return switch (observers.size()) {
			case 0 -> NONE;
			case 1 -> observers.get(0);
			default -> new CompositeObserver(observers);
		};
	}

	private void each(Consumer<CometChatClientObserver> call) {
		for (CometChatClientObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("CometChat client observer failed", ex);
			}
		}
	}

	@Override
	public void stateChanged(ConnectionStateChange change) {
		each((observer) -> observer.stateChanged(change));
	}

	@Override
	public void messageSent(Duration sendToConfirmation) {
		each((observer) -> observer.messageSent(sendToConfirmation));
	}

	@Override
	public void messageFailed(ErrorCode reason) {
		each((observer) -> observer.messageFailed(reason));
	}

	@Override
	public void messageReceived() {
		each(CometChatClientObserver::messageReceived);
	}

	@Override
	public void duplicateDropped() {
		each(CometChatClientObserver::duplicateDropped);
	}

	@Override
	public void eventIgnored() {
		each(CometChatClientObserver::eventIgnored);
	}

	@Override
	public void pendingSendsChanged(int pending) {
		each((observer) -> observer.pendingSendsChanged(pending));
	}

}
