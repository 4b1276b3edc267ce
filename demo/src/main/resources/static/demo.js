// The demo page: a chat with its own STOMP client, and the bot's connection polled from /demo/bot/connection.
"use strict";

const POLL_MILLIS = 500;
// Typing (docs/protocol.md): a receiver ends an indicator by itself 5 s after its last "started", so the page says
// "started" again every 3 s while the user types, and "ended" after 1.5 s without a key
const TYPING_TIMEOUT_MILLIS = 5000;
const TYPING_RESEND_MILLIS = 3000;
const TYPING_PAUSE_MILLIS = 1500;
// The timeline spans the run so far, at least 10 s and at most the last 10 min
const TIMELINE_MIN_MILLIS = 10 * 1000;
const TIMELINE_MAX_MILLIS = 10 * 60 * 1000;

const $ = (id) => document.getElementById(id);

// ---- Chat ----------------------------------------------------------------------------------------------------------

let chat = null;      // /demo/chat: app id, bot, group, users and destination templates
let client = null;    // the page's StompJs.Client while logged in
let me = null;        // the logged-in uid
let connectedAt = 0;  // when the page's current connection was established: a transient event sent before is stale
const seen = new Set();
const receipts = new Map();   // id of a message sent from this page -> { delivered: Set, read: Set } of uids
const typers = new Map();     // "sender|receiverType|receiver" -> { typing: the last "started", timer }

function destination(template, values) {
	return template.replace("{appId}", chat.appId).replace("{uid}", values.uid ?? "").replace("{guid}", values.guid ?? "");
}

// Message ids in the starter's format; crypto.randomUUID() needs a secure context, getRandomValues does not
function newId() {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function setMe(state, text) {
	const badge = $("me-state");
	badge.dataset.state = state;
	badge.textContent = text;
}

function addMessage(message) {
	const item = document.createElement("li");
	const mine = message.sender === me;
	const group = message.receiverType === "group";
	item.className = "message" + (mine ? " mine" : "") + (group ? " group" : "");
	item.dataset.sender = message.sender;
	item.dataset.receiver = message.receiver;
	item.dataset.receiverType = message.receiverType;
	const meta = document.createElement("span");
	meta.className = "meta";
	meta.textContent = `${message.sender} → ${group ? "#" + message.receiver : message.receiver} · ${clock(message.sentAt)}`;
	const text = document.createElement("span");
	text.className = "text";
	text.textContent = message.text ?? `[${message.customType}] ${JSON.stringify(message.data ?? {})}`;
	item.append(meta, text);
	if (mine) {
		item.dataset.id = message.id;
		const receipt = document.createElement("span");
		receipt.className = "receipt";
		item.append(receipt);
	}
	appendToLog(item);
}

function addNote(text, error) {
	const item = document.createElement("li");
	item.className = "message system" + (error ? " error" : "");
	item.textContent = text;
	appendToLog(item);
}

function appendToLog(item) {
	const log = $("messages");
	log.append(item);
	log.scrollTop = log.scrollHeight;
}

function onFrame(frame) {
	let message;
	try {
		message = JSON.parse(frame.body);
	}
	catch (error) {
		addNote("Unreadable message: " + error, true);
		return;
	}
	// A newer version of the protocol is ignored; what carries an id (messages, receipts) is taken once, however often
	// it is resent; what we did ourselves (our group messages and typing) comes back and is dropped
	if ((message.v ?? 1) !== 1 || seen.has(message.id) || message.sender === me) {
		return;
	}
	if (message.id !== undefined) {
		seen.add(message.id);
	}
	// Presence and the other kinds are not shown
	switch (message.kind) {
		case "message":
			endTypingOf(message);   // the answer is here: whoever typed it is done
			addMessage(message);
			break;
		case "typing":
			onTyping(message);
			break;
		case "receipt":
			onReceipt(message);
			break;
	}
}

// ---- Typing and receipts we receive --------------------------------------------------------------------------------

function typingKey(event) {
	return `${event.sender}|${event.receiverType}|${event.receiver}`;
}

function onTyping(typing) {
	// Transient: one sent before this connection was established (a broker kept it) is stale
	if (Date.parse(typing.at) < connectedAt) {
		return;
	}
	if (typing.status === "started") {
		const key = typingKey(typing);
		clearTimeout(typers.get(key)?.timer);
		// Shown until "ended", or 5 s after the last "started" on our clock: a sender that went away types no more
		typers.set(key, { typing, timer: setTimeout(() => endTypingOf(typing), TYPING_TIMEOUT_MILLIS) });
		showTyping();
	}
	else if (typing.status === "ended") {
		endTypingOf(typing);
	}
}

function endTypingOf(event) {
	const key = typingKey(event);
	const typer = typers.get(key);
	if (typer) {
		clearTimeout(typer.timer);
		typers.delete(key);
		showTyping();
	}
}

function showTyping() {
	$("typing").textContent = Array.from(typers.values(), ({ typing }) => (typing.receiverType === "group")
		? `${typing.sender} is typing in #${typing.receiver}…` : `${typing.sender} is typing…`).join(" · ");
}

function clearTyping() {
	for (const typer of typers.values()) {
		clearTimeout(typer.timer);
	}
	typers.clear();
	showTyping();
}

function onReceipt(receipt) {
	const marks = receipts.get(receipt.messageId);
	if (!marks) {
		return;   // not a message sent from this page
	}
	(receipt.receipt === "read" ? marks.read : marks.delivered).add(receipt.sender);
	const item = document.querySelector(`#messages li.mine[data-id="${CSS.escape(receipt.messageId)}"]`);
	const mark = item?.querySelector(".receipt");
	if (!mark) {
		return;
	}
	// The mark makes the message taller: a log that showed its end still does
	const log = $("messages");
	const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 2;
	// A direct message has one reader; in a group every member that read it sends a receipt of its own
	const group = item.dataset.receiverType === "group";
	const by = (uids) => group ? ` by ${[...uids].join(", ")}` : "";
	if (marks.read.size) {
		mark.dataset.receipt = "read";
		mark.textContent = `✓✓ read${by(marks.read)}`;
	}
	else {
		mark.dataset.receipt = "delivered";
		mark.textContent = `✓ delivered${by(marks.delivered)}`;
	}
	if (atEnd) {
		log.scrollTop = log.scrollHeight;
	}
}

// ---- Typing we send ------------------------------------------------------------------------------------------------

let typingTo = null;      // the "user:uid" or "group:guid" we told that the user is typing, until we tell it "ended"
let typingSentAt = 0;     // when we last said "started"
let typingPause = null;   // the timer that says "ended" when the user stops

function onInput() {
	const to = $("to").value;
	if (!$("text").value || (typingTo && typingTo !== to)) {
		stopTyping();
	}
	if (!$("text").value) {
		return;
	}
	if ((typingTo !== to || Date.now() - typingSentAt >= TYPING_RESEND_MILLIS) && publishTyping(to, "started")) {
		typingTo = to;
		typingSentAt = Date.now();
	}
	clearTimeout(typingPause);
	typingPause = setTimeout(stopTyping, TYPING_PAUSE_MILLIS);
}

function stopTyping() {
	clearTimeout(typingPause);
	typingPause = null;
	if (typingTo) {
		publishTyping(typingTo, "ended");
		typingTo = null;
	}
}

// Transient: written only while connected, never queued, sent persistent:false and expiring after 5 s at the brokers
// that keep a user's queue (RabbitMQ's expiration, a TTL in ms; Artemis's expires, in epoch ms)
function publishTyping(to, status) {
	if (!client || !client.connected) {
		return false;
	}
	const [receiverType, receiver] = to.split(":");
	const at = new Date();
	const typing = { kind: "typing", v: 1, status, sender: me, receiverType, receiver, at: at.toISOString() };
	const template = (receiverType === "user") ? chat.destinations.user : chat.destinations.group;
	client.publish({
		destination: destination(template, { uid: receiver, guid: receiver }),
		body: JSON.stringify(typing),
		headers: {
			"content-type": "application/json", persistent: "false", expiration: String(TYPING_TIMEOUT_MILLIS),
			expires: String(at.getTime() + TYPING_TIMEOUT_MILLIS),
		},
	});
	return true;
}

function login(uid, token) {
	me = uid;
	const url = new URL("ws", location.href);
	url.protocol = (url.protocol === "https:") ? "wss:" : "ws:";
	setMe("CONNECTING", `${uid}: connecting`);
	client = new StompJs.Client({
		brokerURL: url.href,
		connectHeaders: { login: uid, passcode: token },
		heartbeatIncoming: 10000,
		heartbeatOutgoing: 10000,
		reconnectDelay: 2000,
		onConnect: () => {
			const inbox = destination(chat.destinations.user, { uid });
			const group = destination(chat.destinations.group, { guid: chat.group });
			connectedAt = Date.now();
			typingTo = null;   // a new connection: nobody there was told that we type
			clearTyping();
			client.subscribe(inbox, onFrame);
			client.subscribe(group, onFrame);
			$("subscriptions").textContent = `Subscribed to ${inbox} and ${group}`;
			$("subscriptions").hidden = false;
			setMe("CONNECTED", `${uid}: connected`);
			$("login-form").hidden = true;
			$("login-note").hidden = true;
			$("composer").hidden = false;
			$("text").focus();
		},
		onStompError: (frame) => {
			// Before CONNECTED an ERROR is a rejected login: stop instead of retrying with the same token
			addNote(`${frame.headers.message ?? "STOMP ERROR"}`, true);
			if (!client.connected) {
				logout();
			}
		},
		onWebSocketClose: () => {
			if (client && client.active) {
				setMe("RECONNECTING", `${uid}: reconnecting`);
			}
		},
	});
	client.activate();
}

function logout() {
	stopTyping();
	clearTyping();
	const closing = client;
	client = null;
	me = null;
	if (closing) {
		closing.deactivate();
	}
	setMe("OFFLINE", "offline");
	$("login-form").hidden = false;
	$("login-note").hidden = false;
	$("composer").hidden = true;
	$("subscriptions").hidden = true;
}

function send(to, text) {
	const [receiverType, receiver] = to.split(":");
	const id = newId();
	const message = {
		kind: "message", v: 1, id, sender: me, receiverType, receiver, type: "text", text, sentAt: new Date().toISOString(),
	};
	const template = (receiverType === "user") ? chat.destinations.user : chat.destinations.group;
	client.publish({
		destination: destination(template, { uid: receiver, guid: receiver }),
		body: JSON.stringify(message),
		headers: { "cometchat-message-id": id, "content-type": "application/json", persistent: "true" },
	});
	seen.add(id);
	receipts.set(id, { delivered: new Set(), read: new Set() });
	addMessage(message);
}

async function setUpChat() {
	chat = await (await fetch("demo/chat")).json();
	const users = Object.keys(chat.users);
	for (const uid of users) {
		$("user").append(new Option(uid, uid));
	}
	$("token").value = chat.users[users[0]] ?? "";
	$("user").addEventListener("change", () => { $("token").value = chat.users[$("user").value] ?? ""; });
	$("to").append(new Option(`${chat.bot} (direct)`, `user:${chat.bot}`),
		new Option(`#${chat.group} (group)`, `group:${chat.group}`),
		...chat.helpers.map((uid) => new Option(`${uid} (direct)`, `user:${uid}`)));
	$("to").addEventListener("change", () => {
		stopTyping();   // to the one we typed to; the next key starts typing to the new one
		const [type, to] = $("to").value.split(":");
		$("text").placeholder = type === "user" ? `Say something to ${to}` : `Say something in #${chat.group}`;
	});
	$("login-form").addEventListener("submit", (event) => {
		event.preventDefault();
		login($("user").value, $("token").value);
	});
	$("composer").addEventListener("submit", (event) => {
		event.preventDefault();
		if (client && client.connected) {
			stopTyping();
			send($("to").value, $("text").value);
			$("text").value = "";
		}
		else {
			addNote("Not connected yet: the message was not sent", true);
		}
	});
	$("text").addEventListener("input", onInput);
	$("logout").addEventListener("click", logout);
}

// ---- The bot's connection ------------------------------------------------------------------------------------------

let serverOffset = 0;   // server clock minus browser clock, so that the timeline ends at the server's "now"
let bot = null;         // the last /demo/bot/connection

function clock(instant) {
	const date = new Date(instant);
	const pad = (value, length) => String(value).padStart(length ?? 2, "0");
	return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function duration(millis) {
	if (millis < 1000) return `${Math.round(millis)} ms`;
	if (millis < 60000) return `${(millis / 1000).toFixed(1)} s`;
	const minutes = Math.floor(millis / 60000);
	return `${minutes} min ${Math.floor((millis % 60000) / 1000)} s`;
}

function showBot() {
	const now = Date.now() + serverOffset;
	$("bot-state").textContent = bot.state;
	$("bot-state").dataset.state = bot.state;
	$("bot-since").textContent = `${bot.status} for ${duration(now - Date.parse(bot.since))}`
		+ (bot.retryInMillis != null ? ` · next attempt in ${duration(bot.retryInMillis)}` : "");
	$("bot-user").textContent = bot.uid;
	$("bot-start").textContent = { SESSION_RESTORED: "restored from the database at start, without a new login",
		LOGGED_IN: "new login in this run, saved to the database" }[bot.start] ?? "-";
	$("mode").textContent = `auto-establish-socket-connection: ${bot.autoEstablishSocketConnection} (${bot.autoEstablishSocketConnection ? "auto" : "manual"})`;
	$("attempt").textContent = String(bot.attempt);
	$("reconnects").textContent = String(bot.reconnects);
	$("last-error").textContent = bot.lastError
		? `${bot.lastError.code}: ${bot.lastError.message} (${clock(bot.lastError.at)})` : "-";
	showTimeline(now);
	showChanges();
}

function showTimeline(now) {
	// Intervals of one state each, from the start of recording (INITIALIZED) to now, clipped to the window
	const span = Math.min(Math.max(now - Date.parse(bot.startedAt), TIMELINE_MIN_MILLIS), TIMELINE_MAX_MILLIS);
	const start = now - span;
	$("axis-start").textContent = `${duration(span)} ago`;
	const intervals = [];
	let from = Date.parse(bot.startedAt);
	let state = bot.changes.length ? bot.changes[0].previous : bot.state;
	for (const change of bot.changes) {
		const at = Date.parse(change.at);
		intervals.push({ state, from, to: at });
		state = change.current;
		from = at;
	}
	intervals.push({ state, from, to: now });
	const bar = $("timeline");
	bar.replaceChildren();
	const firstFrom = Math.max(start, intervals[0].from);
	if (firstFrom > start) {
		const before = document.createElement("div");
		before.className = "before";
		before.style.flexGrow = String(firstFrom - start);
		before.title = "before this run";
		bar.append(before);
	}
	for (const interval of intervals) {
		if (interval.to < start) continue;
		const from = Math.max(interval.from, start);
		const segment = document.createElement("div");
		segment.className = "segment";
		segment.dataset.state = interval.state;
		segment.style.flexGrow = String(Math.max(interval.to - from, 1));
		segment.title = `${interval.state} at ${clock(interval.from)} for ${duration(interval.to - interval.from)}`;
		bar.append(segment);
	}
}

let shownChanges = "";

function showChanges() {
	// Redrawn only when it changed, so that it can be read and selected
	const key = bot.changes.map((change) => change.at).join();
	if (key === shownChanges) {
		return;
	}
	shownChanges = key;
	const list = $("changes");
	list.replaceChildren();
	for (const change of [...bot.changes].reverse()) {
		const item = document.createElement("li");
		item.dataset.state = change.current;
		item.dataset.at = change.at;
		const time = document.createElement("span");
		time.className = "time";
		time.textContent = clock(change.at);
		const to = document.createElement("span");
		to.className = "to";
		to.textContent = change.current;
		const reason = document.createElement("span");
		reason.className = "reason";
		reason.textContent = `from ${change.previous}`
			+ (change.attempt ? ` · attempt ${change.attempt}` : "")
			+ (change.reason ? ` · ${change.reason.code}: ${change.reason.message}` : "");
		reason.title = reason.textContent;
		item.append(time, to, reason);
		list.append(item);
	}
}

async function refreshBot() {
	const response = await fetch("demo/bot/connection", { cache: "no-store" });
	bot = await response.json();
	serverOffset = Date.parse(bot.now) - Date.now();
	showBot();
}

async function refreshSessions() {
	const sessions = await (await fetch("demo/sessions", { cache: "no-store" })).json();
	const list = $("sessions");
	list.replaceChildren(...sessions.map((session) => {
		const item = document.createElement("li");
		const badge = document.createElement("span");
		badge.className = "state-badge";
		badge.dataset.state = session.state;
		badge.textContent = session.state.toLowerCase();
		item.append(badge, " ", session.uid);
		return item;
	}));
}

async function refreshHealth() {
	const badge = $("health");
	try {
		// DOWN answers 503 with the same body, so the body is read whatever the status code
		const response = await fetch("actuator/health/cometchat", { cache: "no-store", headers: { Accept: "application/json" } });
		const health = await response.json();
		badge.textContent = health.status;
		badge.className = "badge " + health.status;
	}
	catch (error) {
		badge.textContent = "UNREACHABLE";
		badge.className = "badge DOWN";
	}
}

async function refresh() {
	try {
		await Promise.all([refreshBot(), refreshHealth(), refreshSessions()]);
	}
	catch (error) {
		$("bot-since").textContent = "the application does not answer: " + error;
	}
	finally {
		setTimeout(refresh, POLL_MILLIS);
	}
}

function setUpActions() {
	for (const action of ["disconnect", "connect", "drop"]) {
		$(action).addEventListener("click", async () => {
			const button = $(action);
			button.disabled = true;
			$("action-result").textContent = `${button.textContent}…`;
			try {
				const response = await fetch(`demo/bot/${action}`, { method: "POST" });
				const body = await response.json();
				$("action-result").textContent = response.ok ? `${button.textContent}: done` : `${button.textContent}: ${body.detail}`;
			}
			catch (error) {
				$("action-result").textContent = `${button.textContent} failed: ${error}`;
			}
			finally {
				button.disabled = false;
				refreshBot().catch(() => {});
			}
		});
	}
}

setUpChat();
setUpActions();
refresh();
