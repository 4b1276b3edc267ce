package com.cometchat.spring.benchmarks.startup;

import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a Jackson {@link JsonMapper}, as the client's message codec does, and writes and reads one message with it,
 * before the application starts ({@code -Dbench.startup.before}): the client bean then finds Jackson loaded, and its
 * time shrinks by what the first mapper in the JVM costs.
 *
 * @author CometChat
 */
public class JsonMapperFirst implements Runnable {

	@Override
	public void run() {
		JsonMapper mapper = JsonMapper.builder().build();
		mapper.readTree(mapper.writeValueAsString(java.util.Map.of("text", "hello")));
	}

}
