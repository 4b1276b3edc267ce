package com.cometchat.spring.client.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.cometchat.spring.client.transport.WebSocketStompTransportTests.FakeSocket;
import com.cometchat.spring.client.transport.WebSocketStompTransportTests.Written;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link CoalescingWebSocketSession}.
 */
class CoalescingWebSocketSessionTests {

	private final FakeSocket socket = new FakeSocket();

	private final CoalescingWebSocketSession frames = new CoalescingWebSocketSession(this.socket, 100,
			(failure) -> new IllegalStateException("wrapped", failure));

	@Test
	void framesHandedOverBetweenTwoFlushesAreWrittenAsOneMessageInOrder() throws Exception {
		this.frames.sendMessage(frame("SEND\ndestination:/a\n\none"));
		this.frames.sendMessage(frame("SEND\ndestination:/a\n\ntwo"));
		this.frames.sendMessage(new TextMessage("\n"));
		assertThat(this.socket.sent).as("held until the flush").isEmpty();
		this.frames.flush();
		assertThat(this.socket.sent).extracting(Written::text)
			.containsExactly("SEND\ndestination:/a\n\none\0SEND\ndestination:/a\n\ntwo\0\n");
		this.frames.flush();
		assertThat(this.socket.sent).as("nothing held, nothing written").hasSize(1);
	}

	@Test
	void aFrameThatWouldTakeTheMessageOverTheLimitStartsTheNextOne() throws Exception {
		String forty = "x".repeat(39);
		this.frames.sendMessage(frame(forty));
		this.frames.sendMessage(frame(forty));
		// 80 bytes held: 40 more would make 120
		this.frames.sendMessage(frame(forty));
		assertThat(this.socket.sent).extracting(Written::text).containsExactly(forty + "\0" + forty + "\0");
		this.frames.flush();
		assertThat(this.socket.sent).extracting(Written::text).containsExactly(forty + "\0" + forty + "\0", forty + "\0");
		assertThat(this.socket.sent).extracting(Written::text)
			.allSatisfy((text) -> assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100));
	}

	@Test
	void theLimitCountsBytesNotCharacters() throws Exception {
		// 30 characters, 60 bytes each
		String wide = "é".repeat(29);
		this.frames.sendMessage(frame(wide));
		this.frames.sendMessage(frame(wide));
		assertThat(this.socket.sent).as("120 bytes would be over the limit").hasSize(1);
	}

	@Test
	void aFrameAtTheLimitBinaryFramesAndPingsAreWrittenAloneAfterWhatWasHeld() throws Exception {
		this.frames.sendMessage(frame("held"));
		String large = "y".repeat(99);
		this.frames.sendMessage(frame(large));
		assertThat(this.socket.sent).extracting(Written::text).containsExactly("held\0", large + "\0");
		this.frames.sendMessage(frame("held again"));
		this.frames.sendMessage(new BinaryMessage(ByteBuffer.wrap("binary\0".getBytes(StandardCharsets.UTF_8))));
		assertThat(this.socket.sent).extracting(Written::text)
			.containsExactly("held\0", large + "\0", "held again\0", "binary\0");
	}

	@Test
	void aFutureWaitingForTheWriteCompletesWithTheFlushOrAtOnceWhenNothingIsHeld() throws Exception {
		CompletableFuture<Void> nothingHeld = new CompletableFuture<>();
		this.frames.whenWritten(nothingHeld);
		assertThat(nothingHeld).isCompleted();
		this.frames.sendMessage(frame("one"));
		CompletableFuture<Void> afterOne = new CompletableFuture<>();
		this.frames.whenWritten(afterOne);
		assertThat(afterOne).as("its frame is not on the socket yet").isNotDone();
		this.frames.flush();
		assertThat(afterOne).isCompleted();
	}

	@Test
	void aFlushThatFailsFailsTheFuturesWaitingForItDropsTheFramesAndThrows() throws Exception {
		this.frames.sendMessage(frame("one"));
		CompletableFuture<Void> waiting = new CompletableFuture<>();
		this.frames.whenWritten(waiting);
		this.socket.failWith = new IOException("broken pipe");
		assertThatIOException().isThrownBy(this.frames::flush).withMessage("broken pipe");
		assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
			.cause()
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("wrapped")
			.hasRootCauseMessage("broken pipe");
		this.socket.failWith = null;
		this.frames.flush();
		assertThat(this.socket.sent).as("the frames of the failed write are not written again").isEmpty();
	}

	@Test
	void aCloseWritesWhatIsHeldFirstAndClosesEvenWhenThatWriteFails() throws Exception {
		this.frames.sendMessage(frame("DISCONNECT"));
		this.frames.close(CloseStatus.NORMAL);
		assertThat(this.socket.sent).extracting(Written::text).containsExactly("DISCONNECT\0");
		assertThat(this.socket.closedWith).isEqualTo(CloseStatus.NORMAL);

		FakeSocket failing = new FakeSocket();
		CoalescingWebSocketSession frames = new CoalescingWebSocketSession(failing, 100, (failure) -> failure);
		frames.sendMessage(frame("DISCONNECT"));
		failing.failWith = new IOException("reset");
		assertThatIOException().isThrownBy(frames::close);
		assertThat(failing.closedWith).isEqualTo(CloseStatus.NORMAL);
	}

	private static TextMessage frame(String text) {
		return new TextMessage((text + "\0").getBytes(StandardCharsets.UTF_8));
	}

}
