package com.cometchat.spring.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.HBClock;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.util.LincheckResult;
import org.jetbrains.kotlinx.lincheck.util.ValueResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClientModelVerifier}: it must reject what no order of the calls explains (else the concurrency
 * test could not fail), and accept what one does.
 */
class ClientModelVerifierTests {

	private static final String LOGGED_OUT = ClientModel.LOGGED_OUT.render();

	private static final String ALICE_T2 = new ClientModel("alice", "t2", Set.of(), true).render();

	private final ClientModelVerifier verifier = new ClientModelVerifier(Object.class);

	@Test
	void rejectsALoginThatSucceededAfterALogoutLeftTheRowDeleted() {
		// Defect 1 as Lincheck found it on the old client: both OK, the user logged in, the row gone
		String split = ClientModel.render("alice", null, Set.of("cometchat-app-alice-user"), Set.of(), "open");
		assertThat(verify(List.of(List.of(call("logout", "OK")), List.of(call("login", 1, "OK"))), split)).isFalse();
	}

	@Test
	void acceptsEitherOrderOfAConcurrentLoginAndLogout() {
		List<List<Call>> calls = List.of(List.of(call("logout", "OK")), List.of(call("login", 1, "OK")));
		assertThat(verify(calls, LOGGED_OUT)).isTrue();
		assertThat(verify(calls, ALICE_T2)).isTrue();
	}

	@Test
	void acceptsASupersededLoginOnlyWhenALogoutOverlappedIt() {
		assertThat(verify(List.of(List.of(call("logout", "OK")), List.of(call("login", 1, "SUPERSEDED"))), LOGGED_OUT))
			.isTrue();
		assertThat(verify(List.of(List.of(call("login", 1, "SUPERSEDED"), call("logout", "OK"))), LOGGED_OUT))
			.as("the logout came after the login returned: nothing overtook it")
			.isFalse();
	}

	@Test
	void acceptsAConnectCutShortOnlyByACallThatClosesTheSocket() {
		assertThat(verify(List.of(List.of(call("login", 0, "OK"), call("disconnect", "OK")),
				List.of(call("connect", "DISCONNECTED"))), ClientModel.LOGGED_OUT.login(0).next().disconnect().next().render()))
			.isTrue();
		String alice = ClientModel.LOGGED_OUT.login(0).next().render();
		assertThat(verify(List.of(List.of(call("login", 0, "OK"), call("connect", "DISCONNECTED"))), alice))
			.as("nothing overlapped the connect").isFalse();
	}

	@Test
	void rejectsAnOutcomeTheModelCannotGiveAtAnyPoint() {
		assertThat(verify(List.of(List.of(call("joinGroup", 0, "OK"))), LOGGED_OUT)).as("nobody is logged in").isFalse();
	}

	/**
	 * Verify calls that all overlap (each started before any returned), then views() showing the given state.
	 */
	private boolean verify(List<List<Call>> threads, String views) {
		List<List<Actor>> parallel = new ArrayList<>();
		List<List<ResultWithClock>> results = new ArrayList<>();
		for (List<Call> thread : threads) {
			List<Actor> actors = new ArrayList<>();
			List<ResultWithClock> outcomes = new ArrayList<>();
			for (int i = 0; i < thread.size(); i++) {
				actors.add(thread.get(i).actor());
				int[] clock = new int[threads.size()];
				// Each call starts after the earlier calls of its own thread returned
				clock[parallel.size()] = i;
				outcomes.add(new ResultWithClock(new ValueResult(thread.get(i).outcome()), new HBClock(clock)));
			}
			parallel.add(actors);
			results.add(outcomes);
		}
		Actor viewsActor = DefaultCometChatClientConcurrencyTests.FinalViewsExecutionGenerator.views();
		ExecutionScenario scenario = new ExecutionScenario(List.of(), parallel, List.of(viewsActor), null);
		List<LincheckResult> post = List.of(new ValueResult(views));
		return this.verifier.verifyResults(scenario, new ExecutionResult(List.of(), results, post));
	}

	private static Call call(String operation, String outcome) {
		return new Call(actor(operation), outcome);
	}

	private static Call call(String operation, int argument, String outcome) {
		return new Call(actor(operation, argument), outcome);
	}

	private static Actor actor(String operation, Object... arguments) {
		Class<?>[] types = new Class<?>[arguments.length];
		java.util.Arrays.fill(types, int.class);
		try {
			return new Actor(DefaultCometChatClientConcurrencyTests.Subject.class.getMethod(operation, types),
					List.of(arguments), false, false, false, false, false);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	private record Call(Actor actor, String outcome) {
	}

}
