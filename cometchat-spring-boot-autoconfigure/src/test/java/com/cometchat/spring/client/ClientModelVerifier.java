package com.cometchat.spring.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.util.LincheckResult;
import org.jetbrains.kotlinx.lincheck.util.ValueResult;
import org.jetbrains.lincheck.datastructures.verifier.Verifier;
import org.jspecify.annotations.Nullable;

/**
 * Lincheck {@link Verifier} that checks a concurrent run of the client against {@link ClientModel}: it looks for an
 * order of the calls that keeps each thread's order and real time (a call that returned before another started comes
 * first), in which every call reports what the model says it reports at that point, and after which the model renders
 * exactly what the client showed when it was quiet (the last call of the scenario, {@code views()}).
 *
 * <p>Four outcomes exist only under concurrency, so the model cannot produce them; each is accepted only when another
 * thread made a call that overlapped it in time and can overtake it:
 * <ul>
 * <li>a login may fail with {@code LOGIN_IN_PROGRESS} when another login overlapped it: it had no effect;</li>
 * <li>a login may fail with {@code SUPERSEDED} when a logout overlapped it: it logged the previous user out, and
 * nobody in;</li>
 * <li>a {@code connect()} may fail with {@code DISCONNECTED} when a logout, disconnect or login overlapped it and
 * closed the socket it was opening: it applied, and the later call undid it;</li>
 * <li>a {@code sendMessage()} may fail with {@code DISCONNECTED} or {@code NOT_CONNECTED} when a logout, disconnect
 * or login overlapped it: it waited for a connection that the other call closed, or came while a login replaced
 * it; and with {@code USER_NOT_LOGGED_IN} when a login of another user overlapped it, which ends the previous session
 * before it saves its own.</li>
 * </ul>
 */
public final class ClientModelVerifier implements Verifier {

	public ClientModelVerifier(Class<?> sequentialSpecification) {
	}

	@Override
	public boolean verifyResults(ExecutionScenario scenario, ExecutionResult results) {
		ClientModel state = ClientModel.LOGGED_OUT;
		List<Actor> init = scenario.getInitExecution();
		for (int i = 0; i < init.size(); i++) {
			if (isViews(init.get(i))) {
				continue;
			}
			ClientModel.Step step = apply(state, init.get(i));
			if (!step.outcome().equals(value(results.getInitResults().get(i)))) {
				return false;
			}
			state = step.next();
		}
		List<Call[]> threads = new ArrayList<>();
		List<List<Actor>> parallel = scenario.getParallelExecution();
		for (int t = 0; t < parallel.size(); t++) {
			List<ResultWithClock> threadResults = results.getParallelResultsWithClock().get(t);
			Call[] calls = new Call[parallel.get(t).size()];
			for (int i = 0; i < calls.length; i++) {
				ResultWithClock result = threadResults.get(i);
				calls[i] = new Call(t, i, parallel.get(t).get(i), value(result.getResult()),
						result.getClockOnStart().getClock().clone());
			}
			threads.add(calls);
		}
		List<Actor> post = scenario.getPostExecution();
		List<String> postOutcomes = new ArrayList<>();
		results.getPostResults().forEach((result) -> postOutcomes.add(value(result)));
		return new Search(threads, post, postOutcomes).from(new int[threads.size()], state);
	}

	private static boolean isViews(Actor actor) {
		return actor.getMethod().getName().equals("views");
	}

	private static ClientModel.Step apply(ClientModel state, Actor actor) {
		List<Object> arguments = actor.getArguments();
		return state.apply(actor.getMethod().getName(), arguments.isEmpty() ? 0 : (Integer) arguments.get(0));
	}

	private static String value(LincheckResult result) {
		return (result instanceof ValueResult value) ? String.valueOf(value.getValue()) : String.valueOf(result);
	}

	/**
	 * One call of the parallel part.
	 *
	 * @param thread its thread
	 * @param index its place in the thread
	 * @param actor the call
	 * @param outcome what it reported
	 * @param startClock for each thread, how many of its calls had returned when this one started
	 */
	private record Call(int thread, int index, Actor actor, String outcome, int[] startClock) {

		String operation() {
			return this.actor.getMethod().getName();
		}

		boolean happensBefore(Call other) {
			return other.thread != this.thread && other.startClock[this.thread] > this.index;
		}

		boolean overlaps(Call other) {
			return other.thread != this.thread && !happensBefore(other) && !other.happensBefore(this);
		}

	}

	private static final class Search {

		private final List<Call[]> threads;

		private final List<Actor> post;

		private final List<String> postOutcomes;

		private final Set<String> seen = new HashSet<>();

		Search(List<Call[]> threads, List<Actor> post, List<String> postOutcomes) {
			this.threads = threads;
			this.post = post;
			this.postOutcomes = postOutcomes;
		}

		boolean from(int[] positions, ClientModel state) {
			if (!this.seen.add(Arrays.toString(positions) + state)) {
				return false;
			}
			boolean done = true;
			for (int t = 0; t < this.threads.size(); t++) {
				if (positions[t] == this.threads.get(t).length) {
					continue;
				}
				done = false;
				Call call = this.threads.get(t)[positions[t]];
				if (!mayGoNext(call, positions)) {
					continue;
				}
				int[] next = positions.clone();
				next[t]++;
				if (isViews(call.actor())) {
					// Lincheck's minimizer may move the views() call: it is only checked at the very end
					if (from(next, state)) {
						return true;
					}
					continue;
				}
				ClientModel.Step step = apply(state, call.actor());
				if (step.outcome().equals(call.outcome()) && from(next, step.next())) {
					return true;
				}
				ClientModel overtaken = overtaken(call, state, step.next());
				if (overtaken != null && from(next, overtaken)) {
					return true;
				}
			}
			return done && post(state);
		}

		/**
		 * Whether the calls after the parallel part report what the model says, and the final views() shows the
		 * model's state. (Lincheck's minimizer may leave a scenario without views(): then only outcomes count.)
		 */
		private boolean post(ClientModel state) {
			ClientModel current = state;
			for (int i = 0; i < this.post.size(); i++) {
				Actor actor = this.post.get(i);
				if (isViews(actor)) {
					if (i == this.post.size() - 1 && !current.render().equals(this.postOutcomes.get(i))) {
						return false;
					}
					continue;
				}
				ClientModel.Step step = apply(current, actor);
				if (!step.outcome().equals(this.postOutcomes.get(i))) {
					return false;
				}
				current = step.next();
			}
			return true;
		}

		/**
		 * Whether every call that returned before this one started is already placed.
		 */
		private boolean mayGoNext(Call call, int[] positions) {
			for (int t = 0; t < positions.length; t++) {
				if (t != call.thread() && call.startClock()[t] > positions[t]) {
					return false;
				}
			}
			return true;
		}

		/**
		 * If another thread's call overtook this one, as it reported: the state it left.
		 * @param call the call
		 * @param before the state before it
		 * @param applied the state had it applied as the model says
		 * @return the state after it, or {@code null} when it was not overtaken
		 */
		private @Nullable ClientModel overtaken(Call call, ClientModel before, ClientModel applied) {
			return switch (call.operation() + ":" + call.outcome()) {
				case "login:LOGIN_IN_PROGRESS" -> overlapsAny(call, Set.of("login")) ? before : null;
				case "login:SUPERSEDED" -> overlapsAny(call, Set.of("logout")) ? ClientModel.LOGGED_OUT : null;
				// A send queued while connecting fails when the socket it waited for is closed, or sees no connection
				// while a login replaces it
				case "sendMessage:DISCONNECTED", "sendMessage:NOT_CONNECTED" ->
					(before.uid() != null && overlapsAny(call, Set.of("logout", "disconnect", "login"))) ? before
							: null;
				// A login of another user ends the previous session before the new one is saved: a send in between
				// finds nobody logged in
				case "sendMessage:USER_NOT_LOGGED_IN" ->
					(before.uid() != null && overlapsAny(call, Set.of("login"))) ? before : null;
				case "connect:DISCONNECTED" ->
					(before.uid() != null && overlapsAny(call, Set.of("logout", "disconnect", "login"))) ? applied
							: null;
				default -> null;
			};
		}

		private boolean overlapsAny(Call call, Set<String> operations) {
			for (Call[] thread : this.threads) {
				for (Call other : thread) {
					if (operations.contains(other.operation()) && call.overlaps(other)) {
						return true;
					}
				}
			}
			return false;
		}

	}

}
