package com.cometchat.spring.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

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

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
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

	@LocalServerPort
	private int port;

	private WebDriver browser;

	private WebDriverWait wait;

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
	}

	@Test
	void chatWithTheBotAndWatchItsConnection() throws IOException {
		this.browser.get("http://localhost:" + this.port + "/");
		awaitBotState("CONNECTED");

		// Log in with the page's own STOMP client and chat with the bot, directly and in the group
		new Select(this.browser.findElement(By.id("user"))).selectByValue("alice");
		this.browser.findElement(By.id("login")).click();
		this.wait.until(ExpectedConditions.attributeToBe(By.id("me-state"), "data-state", "CONNECTED"));
		send("user:bot", "Hello bot");
		awaitMessage("li.message[data-sender='bot'][data-receiver-type='user'] .text", "Echo: Hello bot");
		send("group:lobby", "Hello everyone");
		awaitMessage("li.message[data-sender='bot'][data-receiver-type='group'] .text",
				"alice said: Hello everyone");

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
