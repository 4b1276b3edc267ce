package com.cometchat.spring.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo page in a real browser: headless Chromium from Debian's packages ({@code apt-get install chromium
 * chromium-driver}), driven through {@code /usr/bin/chromedriver}. Nothing is downloaded: the driver and the browser
 * are given by path, so Selenium Manager does not run. Skipped when Chromium is not installed.
 *
 * <p>Runs with {@code ./mvnw -pl demo -Pit verify}; leaves a screenshot at {@code target/demo-page.png}.
 *
 * @author CometChat
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.url=jdbc:h2:mem:demo-browser")
class DemoPageBrowserIT {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String BOT_INBOX = "/queue/cometchat.demo.user.bot";

	@LocalServerPort
	private int port;

	@Autowired
	private SimpleBrokerMessageHandler broker;

	private final List<String> typingToBot = new CopyOnWriteArrayList<>();

	private WebDriver browser;

	private WebDriverWait wait;

	private StompUser tap;

	@BeforeEach
	void openBrowser(@TempDir Path profile) {
		// In @BeforeEach rather than @BeforeAll, so that the report counts the test as skipped
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Needs Debian's chromium and chromium-driver packages (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1360,1010", "--lang=en-US");
		this.browser = new ChromeDriver(service, options);
		this.wait = new WebDriverWait(this.browser, TIMEOUT);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.tap != null) {
			this.tap.close();
		}
	}

	@Test
	void chatWithTheBotAndWatchItsConnection() throws Exception {
		this.browser.get("http://localhost:" + this.port + "/");
		awaitBotState("CONNECTED");

		// Log in with the page's own STOMP client and chat with the bot, directly and in the group
		new Select(this.browser.findElement(By.id("user"))).selectByValue("alice");
		this.browser.findElement(By.id("login")).click();
		this.wait.until(ExpectedConditions.attributeToBe(By.id("me-state"), "data-state", "CONNECTED"));

		// While alice types, the page tells the bot: "started" at her first key, "ended" when she pauses
		tapTypingToBot();
		new Select(this.browser.findElement(By.id("to"))).selectByValue("user:bot");
		this.browser.findElement(By.id("text")).sendKeys("Hel");
		awaitTypingToBotEnded(0);
		this.browser.findElement(By.id("text")).clear();

		// The bot marks her message read, types, then answers: the page showed "bot is typing…" before the answer
		// (recorded on every change of the chat, so a typing phase of any length is seen), then the read mark. The
		// page said "ended" to the bot when she sent.
		int typingBefore = this.typingToBot.size();
		recordChat();
		send("user:bot", "Hello bot");
		awaitMessage("li.message[data-sender='bot'][data-receiver-type='user'] .text", "Echo: Hello bot");
		assertThat(chatStates()).containsSubsequence("|0", "bot is typing…|0", "|1");
		this.wait.until(ExpectedConditions.textToBe(By.cssSelector("li.message.mine[data-receiver='bot'] .receipt"),
				"✓✓ read"));
		awaitTypingToBotEnded(typingBefore);
		send("group:lobby", "Hello everyone");
		awaitMessage("li.message[data-sender='bot'][data-receiver-type='group'] .text",
				"alice said: Hello everyone");
		this.wait.until(ExpectedConditions.textToBe(
				By.cssSelector("li.message.mine[data-receiver='lobby'] .receipt"), "✓✓ read by bot"));

		// The helpers: sessions of the connection manager, a socket each, listed on the page and answering
		this.wait.until((browser) -> sessions().equals(List.of("bot:CONNECTED", "helper-1:CONNECTED",
				"helper-2:CONNECTED", "helper-3:CONNECTED")));
		send("user:helper-2", "Hello helper");
		awaitMessage("li.message[data-sender='helper-2'][data-receiver-type='user'] .text", "got: Hello helper");
		// The bot, a session of the same manager, answered its own message once, and the helper's not at all
		assertThat(this.browser.findElements(By.cssSelector("li.message[data-sender='bot'][data-receiver-type='user']")))
			.hasSize(1);

		// Manual control through the starter's API, seen in the state and in the health indicator
		// (the bot's own health is UNKNOWN when it is disconnected; the helpers' sockets keep the whole UP)
		this.browser.findElement(By.id("disconnect")).click();
		awaitBotState("DISCONNECTED");
		this.wait.until((browser) -> sessions().contains("bot:DISCONNECTED"));
		assertThat(this.browser.findElement(By.id("health")).getText()).isEqualTo("UP");
		this.browser.findElement(By.id("connect")).click();
		awaitBotState("CONNECTED");
		this.wait.until((browser) -> sessions().contains("bot:CONNECTED"));
		this.wait.until(ExpectedConditions.textToBe(By.id("health"), "UP"));

		// The broker drops the bot's link; the client reconnects by itself
		int before = changes().size();
		assertThat(before).isLessThan(BotConnectionTimeline.CAPACITY);
		this.browser.findElement(By.id("drop")).click();
		this.wait.until((browser) -> {
			List<String> after = changes();
			List<String> added = after.subList(before, after.size());
			int reconnecting = added.indexOf("RECONNECTING");
			return reconnecting >= 0 && added.subList(reconnecting, added.size()).contains("CONNECTED");
		});
		awaitBotState("CONNECTED");
		assertThat(this.browser.findElements(By.cssSelector("#timeline .segment[data-state='RECONNECTING']")))
			.isNotEmpty();
		assertThat(this.browser.findElement(By.id("last-error")).getText()).startsWith("CONNECTION_LOST");
		assertThat(this.browser.findElement(By.id("mode")).getText())
			.isEqualTo("auto-establish-socket-connection: true (auto)");

		Path screenshot = Path.of("target", "demo-page.png");
		Files.createDirectories(screenshot.getParent());
		Files.copy(((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Listen on the bot's inbox as another user (Spring's simple broker gives a queue's messages to every
	 * subscriber) and keep the status of every typing body from alice, or the whole frame when it is not what
	 * docs/protocol.md says.
	 */
	private void tapTypingToBot() throws Exception {
		this.tap = new StompUser(this.port, "dave", "dave-token");
		// The simple broker sends no RECEIPT for a SUBSCRIBE: its registry says when the subscription is there
		SimpMessageHeaderAccessor toBot = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		toBot.setDestination(BOT_INBOX);
		Message<byte[]> probe = MessageBuilder.createMessage(new byte[0], toBot.getMessageHeaders());
		int subscribers = this.broker.getSubscriptionRegistry().findSubscriptions(probe).size();
		this.tap.subscribe(BOT_INBOX, (headers, body) -> {
			if ("typing".equals(body.get("kind"))) {
				this.typingToBot.add(typingStatus(headers, body));
			}
		});
		await().atMost(TIMEOUT)
			.until(() -> this.broker.getSubscriptionRegistry().findSubscriptions(probe).size() > subscribers);
	}

	private static String typingStatus(StompHeaders headers, Map<String, Object> body) {
		boolean asDocumented = Integer.valueOf(1).equals(body.get("v")) && "alice".equals(body.get("sender"))
				&& "user".equals(body.get("receiverType")) && "bot".equals(body.get("receiver"))
				&& isInstant(body.get("at")) && "false".equals(headers.getFirst("persistent"))
				&& "5000".equals(headers.getFirst("expiration")) && headers.getFirst("expires") != null;
		return asDocumented ? (String) body.get("status") : headers + " " + body;
	}

	private static boolean isInstant(Object value) {
		try {
			return value instanceof String text && Instant.parse(text) != null;
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

	/**
	 * Wait until the page has said "ended" to the bot after the given number of typing bodies, and check that what
	 * it said from there alternates "started" and "ended" (how often depends on how fast the keys come).
	 */
	private void awaitTypingToBotEnded(int from) {
		await().atMost(TIMEOUT).until(() -> {
			List<String> said = this.typingToBot.subList(from, this.typingToBot.size());
			return !said.isEmpty() && said.get(said.size() - 1).equals("ended");
		});
		List<String> said = List.copyOf(this.typingToBot.subList(from, this.typingToBot.size()));
		for (int i = 0; i < said.size(); i++) {
			assertThat(said.get(i)).as("typing body %d of %s", i, said).isEqualTo((i % 2 == 0) ? "started" : "ended");
		}
	}

	/**
	 * Record, on every change of the chat, who the page shows as typing and how many direct answers of the bot it
	 * shows, as {@code typing|answers}.
	 */
	private void recordChat() {
		((JavascriptExecutor) this.browser).executeScript("""
				window.chatStates = [];
				const record = () => {
					const state = document.getElementById("typing").textContent + "|" + document.querySelectorAll(
							"li.message[data-sender='bot'][data-receiver-type='user']").length;
					if (chatStates[chatStates.length - 1] !== state) {
						chatStates.push(state);
					}
				};
				new MutationObserver(record).observe(document.getElementById("chat"),
						{ subtree: true, childList: true, characterData: true });
				record();
				""");
	}

	@SuppressWarnings("unchecked")
	private List<String> chatStates() {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript("return window.chatStates;");
	}

	private void send(String to, String text) {
		new Select(this.browser.findElement(By.id("to"))).selectByValue(to);
		WebElement input = this.browser.findElement(By.id("text"));
		input.sendKeys(text);
		this.browser.findElement(By.id("send")).click();
	}

	private void awaitMessage(String selector, String text) {
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(selector), text));
	}

	private void awaitBotState(String state) {
		this.wait.until(ExpectedConditions.attributeToBe(By.id("bot-state"), "data-state", state));
	}

	/**
	 * The sessions on the page's list, as {@code uid:STATE}, read in one script.
	 */
	@SuppressWarnings("unchecked")
	private List<String> sessions() {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript(
				"return Array.from(document.querySelectorAll('#sessions li'), "
						+ "(li) => li.lastChild.textContent.trim() + ':' + li.querySelector('.state-badge').dataset.state);");
	}

	/**
	 * The states on the page's list of changes, oldest first (the page lists the newest first). Read in one script,
	 * since the page redraws the list while it polls.
	 */
	@SuppressWarnings("unchecked")
	private List<String> changes() {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript(
				"return Array.from(document.querySelectorAll('#changes li'), (li) => li.dataset.state).reverse();");
	}

}
