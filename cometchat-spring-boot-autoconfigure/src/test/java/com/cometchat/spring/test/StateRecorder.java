package com.cometchat.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.cometchat.spring.client.ConnectionListener;
import com.cometchat.spring.client.ConnectionState;
import com.cometchat.spring.client.ConnectionStateChange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records every {@link ConnectionStateChange} and checks, as each arrives, that it continues the previous one and
 * never repeats a state.
 */
public final class StateRecorder implements Consumer<ConnectionStateChange>, ConnectionListener {

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	@Override
	public void accept(ConnectionStateChange change) {
		assertThat(change.current()).as("same state twice: %s", change).isNotEqualTo(change.previous());
		if (!this.changes.isEmpty()) {
			assertThat(change.previous()).as("change %s does not continue %s", change, last())
				.isEqualTo(last().current());
		}
		this.changes.add(change);
	}

	@Override
	public void onStateChange(ConnectionStateChange change) {
		accept(change);
	}

	public List<ConnectionStateChange> changes() {
		return this.changes;
	}

	public List<ConnectionState> states() {
		return this.changes.stream().map(ConnectionStateChange::current).toList();
	}

	public ConnectionStateChange last() {
		return this.changes.get(this.changes.size() - 1);
	}

}
