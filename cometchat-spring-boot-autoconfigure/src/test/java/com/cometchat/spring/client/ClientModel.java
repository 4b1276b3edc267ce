package com.cometchat.spring.client;

import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * The sequential model of a {@link CometChatClient} in auto mode against a broker that accepts every connection: who
 * is logged in (with which token), which groups they joined and whether the socket is wanted open. An immutable value,
 * so that a search over interleavings can remember the states it has seen.
 *
 * <p>Each operation returns the outcome the real client must report when it is applied at that point (a
 * {@link ErrorCode} name or {@code OK}) and the state after it; {@link #render()} is what the client's views (the user,
 * the saved row, the wanted subscriptions and the socket) must show when it is quiet.
 *
 * @param uid the logged-in user, or {@code null}
 * @param token their auth token, or {@code null}
 * @param groups the groups they joined
 * @param socketOpen whether the socket is open
 */
record ClientModel(@Nullable String uid, @Nullable String token, Set<String> groups, boolean socketOpen) {

	static final String OK = "OK";

	static final ClientModel LOGGED_OUT = new ClientModel(null, null, Set.of(), false);

	/** The credentials of {@code login(user)}: two tokens of one user, and another user. */
	static final String[][] CREDENTIALS = { { "alice", "t1" }, { "alice", "t2" }, { "bob", "t1" } };

	static final String[] GROUPS = { "g1", "g2" };

	ClientModel {
		groups = Set.copyOf(groups);
	}

	Step login(int user) {
		String[] credentials = CREDENTIALS[user];
		if (credentials[0].equals(this.uid) && credentials[1].equals(this.token)) {
			return new Step(OK, this);
		}
		return new Step(OK, new ClientModel(credentials[0], credentials[1], Set.of(), true));
	}

	Step logout() {
		return new Step(OK, LOGGED_OUT);
	}

	Step connect() {
		if (this.uid == null) {
			return new Step(ErrorCode.USER_NOT_LOGGED_IN.name(), this);
		}
		return new Step(OK, new ClientModel(this.uid, this.token, this.groups, true));
	}

	Step disconnect() {
		return new Step(OK, new ClientModel(this.uid, this.token, this.groups, false));
	}

	/**
	 * A message sent as the logged-in user: written (and confirmed) as that user when the socket is wanted open; a
	 * send queued while connecting waits for the connection.
	 */
	Step sendMessage() {
		if (this.uid == null) {
			return new Step(ErrorCode.USER_NOT_LOGGED_IN.name(), this);
		}
		if (!this.socketOpen) {
			return new Step(ErrorCode.NOT_CONNECTED.name(), this);
		}
		return new Step(OK + " as " + this.uid, this);
	}

	Step joinGroup(int group) {
		return changeGroups(group, true);
	}

	Step leaveGroup(int group) {
		return changeGroups(group, false);
	}

	private Step changeGroups(int group, boolean join) {
		if (this.uid == null) {
			return new Step(ErrorCode.USER_NOT_LOGGED_IN.name(), this);
		}
		Set<String> groups = new TreeSet<>(this.groups);
		if (join) {
			groups.add(GROUPS[group]);
		}
		else {
			groups.remove(GROUPS[group]);
		}
		return new Step(OK, new ClientModel(this.uid, this.token, groups, this.socketOpen));
	}

	/**
	 * Apply an operation by name.
	 * @param operation the operation's method name
	 * @param argument its argument, if it has one
	 * @return the outcome and the next state
	 */
	Step apply(String operation, int argument) {
		return switch (operation) {
			case "login" -> login(argument);
			case "logout" -> logout();
			case "connect" -> connect();
			case "disconnect" -> disconnect();
			case "joinGroup" -> joinGroup(argument);
			case "leaveGroup" -> leaveGroup(argument);
			case "sendMessage" -> sendMessage();
			default -> throw new IllegalArgumentException("Unknown operation " + operation);
		};
	}

	/**
	 * What the client must show in this state, in the form of {@link #render(String, String, Set, Set, String)}.
	 * @return the views
	 */
	String render() {
		Set<String> subscriptions = new TreeSet<>();
		if (this.uid != null) {
			subscriptions.add("cometchat-app-" + this.uid + "-user");
			this.groups.forEach((group) -> subscriptions.add("cometchat-app-" + this.uid + "-group-" + group));
		}
		String row = (this.uid != null) ? this.uid + "/" + this.token + new TreeSet<>(this.groups) : null;
		return render(this.uid, row, subscriptions, new TreeSet<>(this.groups),
				(this.uid != null && this.socketOpen) ? "open" : "closed");
	}

	static String render(@Nullable String user, @Nullable String row, Set<String> subscriptions, Set<String> groups,
			String socket) {
		return "user=" + user + " row=" + row + " subscriptions=" + new TreeSet<>(subscriptions) + " groups="
				+ new TreeSet<>(groups) + " socket=" + socket;
	}

	/**
	 * An outcome and the state it leads to.
	 *
	 * @param outcome {@code OK} or an error code's name
	 * @param next the next state
	 */
	record Step(String outcome, ClientModel next) {
	}

}
