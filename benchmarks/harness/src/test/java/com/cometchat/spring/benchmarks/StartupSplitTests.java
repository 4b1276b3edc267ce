package com.cometchat.spring.benchmarks;

import java.util.List;
import java.util.Map;

import com.cometchat.spring.benchmarks.StartupSplit.Bean;
import com.cometchat.spring.benchmarks.StartupSplit.Part;
import com.cometchat.spring.benchmarks.StartupSplit.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link StartupSplit}.
 */
class StartupSplitTests {

	private static final String INSTANTIATE = "spring.beans.instantiate";

	@Test
	void eachStepCountsForItsTimeLessItsChildrensAndThePartsAddUpToTheRun() {
		List<Step> steps = List.of(step(0, -1, "spring.context.refresh", 100, null),
				step(1, 0, INSTANTIATE, 60, "cometChatClient"), step(2, 1, INSTANTIATE, 25, "dataSource"),
				step(3, 0, "bench.lifecycle.start", 5, null));
		Map<String, Bean> beans = Map.of("cometChatClient",
				new Bean("cometChatClient", "com.cometchat.spring.client.DefaultCometChatClient",
						"com.cometchat.spring.autoconfigure.CometChatAutoConfiguration"),
				"dataSource", new Bean("dataSource", "com.zaxxer.hikari.HikariDataSource",
						"org.springframework.boot.jdbc.autoconfigure.DataSourceConfiguration$Hikari"));
		StartupSplit split = StartupSplit.of(steps, beans, 130);
		assertThat(split.parts()).containsEntry(Part.COMETCHAT_CLIENT.label(), 35.0)
			.containsEntry(Part.DATA_SOURCE.label(), 25.0)
			.containsEntry("step: spring.context.refresh", 35.0)
			.containsEntry("step: bench.lifecycle.start", 5.0)
			.containsEntry(StartupSplit.OUTSIDE, 30.0);
		assertThat(split.parts().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(130,
				within(1e-9));
		assertThat(split.beans()).containsEntry("cometChatClient", 35.0).containsEntry("dataSource", 25.0);
	}

	@Test
	void cpuTimeIsSplitTheSameWayAndAStepOfUnknownCpuTimeCountsForNone() {
		List<Step> steps = List.of(new Step(0, -1, "spring.context.refresh", 100, null, 50),
				new Step(1, 0, INSTANTIATE, 60, "cometChatClient", 30),
				new Step(2, 1, INSTANTIATE, 25, "dataSource", Double.NaN));
		StartupSplit split = StartupSplit.of(steps, Map.of(), 70, Step::cpuMillis);
		assertThat(split.parts()).containsEntry(Part.COMETCHAT_CLIENT.label(), 30.0)
			.containsEntry(Part.DATA_SOURCE.label(), 0.0)
			.containsEntry("step: spring.context.refresh", 20.0)
			.containsEntry(StartupSplit.OUTSIDE, 20.0);
	}

	@Test
	void stepsInsideABeanGoToItsPartAndSpringDataStepsToJpa() {
		List<Step> steps = List.of(step(0, -1, INSTANTIATE, 50, "&cometChatSessionRepository"),
				step(1, 0, "spring.data.repository.init", 40, null), step(2, -1, "spring.data.scan", 7, null),
				step(3, 0, "custom.step", 3, null));
		Map<String, Bean> beans = Map.of("&cometChatSessionRepository",
				new Bean("&cometChatSessionRepository", "com.cometchat.spring.session.CometChatSessionRepository",
						"org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean"));
		StartupSplit split = StartupSplit.of(steps, beans, 57);
		assertThat(split.parts()).containsEntry(Part.COMETCHAT_JPA_STORE.label(), 10.0)
			.containsEntry(Part.JPA.label(), 47.0);
	}

	@Test
	void beansGoToTheirPartByNameTypeAndDeclaringClass() {
		assertThat(part("cometChatSessionDataSourceScriptDatabaseInitializer",
				"com.cometchat.spring.autoconfigure.session.CometChatSessionDataSourceScriptDatabaseInitializer",
				"com.cometchat.spring.autoconfigure.session.CometChatJpaSessionAutoConfiguration"))
			.isEqualTo(Part.COMETCHAT_SCHEMA);
		assertThat(part("cometChatJpaSessionStore", "com.cometchat.spring.session.JpaSessionStore",
				"com.cometchat.spring.autoconfigure.CometChatAutoConfiguration$JpaSessionStoreConfiguration"))
			.isEqualTo(Part.COMETCHAT_JPA_STORE);
		assertThat(part("cometchat-com.cometchat.spring.autoconfigure.CometChatProperties",
				"com.cometchat.spring.autoconfigure.CometChatProperties", ""))
			.isEqualTo(Part.COMETCHAT_CLIENT);
		assertThat(part("&noteRepository", "com.cometchat.spring.benchmarks.startup.NoteRepository",
				"org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean"))
			.isEqualTo(Part.JPA);
		assertThat(part("dataSourceScriptDatabaseInitializer",
				"org.springframework.boot.jdbc.init.ApplicationDataSourceScriptDatabaseInitializer",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationConfiguration"))
			.isEqualTo(Part.SQL_INIT);
		assertThat(part("startupApp", "com.cometchat.spring.benchmarks.startup.StartupApp", ""))
			.isEqualTo(Part.OTHER_BEANS);
	}

	private static Step step(long id, long parent, String name, double millis, String bean) {
		return new Step(id, parent, name, millis, bean, Double.NaN);
	}

	private static Part part(String name, String type, String origin) {
		return StartupSplit.part(new Bean(name, type, origin));
	}

}
