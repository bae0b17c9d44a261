/* article-audio: the Listen block, <article-audio-listen>.
 *
 * One script element loading //HOST/embed.js, then on the article page:
 *   <article-audio-listen src="//HOST/v1/articles/ID" for="#article-body"></article-audio-listen>
 * (The file is also inlined in the stand-alone player page: it must never hold a closing script
 * tag or an HTML comment opener.)
 *
 * Shows "Listen to this article · N min", play and pause, back and forward 15 s, speed, a chapter
 * menu and progress, and highlights the sentence being read inside the page's own paragraphs
 * (the element `for` names): each cue's text is matched to the page's text nodes, letters and
 * digits only, in order, and marked with the CSS Custom Highlight API (or, without it, wrapped in
 * <mark> while it is read). Nothing else in the page's markup changes. It scrolls only when the
 * reader ticks "Follow the text". Without `src`, `audio` names the audio file and `narration` the
 * id of a JSON data block (a script element of type application/json) holding {title, duration_ms, chapters, cues} (the
 * stand-alone player page). It makes no request but to the URLs it is given, runs no inline
 * script, and is styled through CSS custom properties (--article-audio-*) and ::part().
 * Cues with `words` ([{text, start, end}], seconds) get the word being read highlighted too.
 */
"use strict";
(() => {
  if (typeof window === "undefined" || customElements.get("article-audio-listen")) return;

  const SENTENCE = "article-audio-sentence";
  const WORD = "article-audio-word";
  const SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];
  const SKIP_S = 15;
  const POLL_MS = 3000;
  const EPSILON = 0.01;
  const STYLE = `
:host { display: block; margin: 1rem 0; color-scheme: light dark;
  --article-audio-bg: #f4f4f4; --article-audio-fg: #1b1b1b; --article-audio-muted: #4d4d4d;
  --article-audio-accent: #0b57d0; --article-audio-accent-fg: #ffffff; --article-audio-rule: #d0d0d0;
  --article-audio-radius: 0.6rem; font: inherit; }
@media (prefers-color-scheme: dark) { :host {
  --article-audio-bg: #1e1e1e; --article-audio-fg: #ececec; --article-audio-muted: #b8b8b8;
  --article-audio-accent: #8ab4f8; --article-audio-accent-fg: #121212; --article-audio-rule: #3a3a3a; } }
[hidden] { display: none !important; }
.block { display: flex; gap: 0.75rem; align-items: center; padding: 0.75rem;
  background: var(--article-audio-bg); color: var(--article-audio-fg);
  border: 1px solid var(--article-audio-rule); border-radius: var(--article-audio-radius); }
.main { flex: 1; min-width: 0; display: grid; gap: 0.35rem; }
.label { margin: 0; font-weight: 600; }
.minutes { color: var(--article-audio-muted); font-weight: 400; }
.row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
button, select { font: inherit; color: var(--article-audio-fg); background: transparent;
  border: 1px solid var(--article-audio-rule); border-radius: 0.4rem; padding: 0.2rem 0.5rem;
  cursor: pointer; }
.play { width: 2.75rem; height: 2.75rem; border-radius: 50%; padding: 0; font-size: 1.1rem;
  background: var(--article-audio-accent); color: var(--article-audio-accent-fg); border: none; }
input[type="range"] { flex: 1; min-width: 6rem; accent-color: var(--article-audio-accent); }
.time { font-variant-numeric: tabular-nums; color: var(--article-audio-muted); white-space: nowrap; }
label { display: inline-flex; gap: 0.3rem; align-items: center; color: var(--article-audio-muted); }
:focus-visible { outline: 3px solid var(--article-audio-accent); outline-offset: 2px; }
@media (prefers-reduced-motion: no-preference) { button { transition: background-color 0.15s; } }
@media (forced-colors: active) { .play { border: 1px solid ButtonText; } }
`;
  const PAGE_STYLE = `
::highlight(${SENTENCE}) { background-color: var(--article-audio-highlight, #ffe27a);
  color: var(--article-audio-highlight-text, #1b1b1b); }
::highlight(${WORD}) { text-decoration: underline 2px; text-underline-offset: 0.2em; }
mark.${SENTENCE} { background-color: var(--article-audio-highlight, #ffe27a);
  color: var(--article-audio-highlight-text, #1b1b1b); }
@media (prefers-color-scheme: dark) {
  ::highlight(${SENTENCE}), mark.${SENTENCE} { background-color: var(--article-audio-highlight, #5a4700);
    color: var(--article-audio-highlight-text, #ffffff); } }
`;
  const TEMPLATE = `
<div class="block" part="block" role="group">
  <button class="play" part="button play" type="button" aria-label="Play">&#9654;</button>
  <div class="main">
    <p class="label" part="label"><span class="title">Listen to this article</span><span class="minutes" part="minutes"></span></p>
    <div class="row">
      <button class="back" part="button back" type="button" aria-label="Back 15 seconds">&minus;15</button>
      <input class="progress" part="progress" type="range" min="0" max="0" step="0.1" value="0" aria-label="Position">
      <button class="forward" part="button forward" type="button" aria-label="Forward 15 seconds">+15</button>
      <span class="time" part="time">0:00</span>
    </div>
    <div class="row">
      <label>Speed <select class="speed" part="speed" aria-label="Playback speed"></select></label>
      <label class="chapter-label" hidden>Chapter <select class="chapters" part="chapters" aria-label="Chapter"></select></label>
      <label><input class="follow" part="follow" type="checkbox"> Follow the text</label>
    </div>
  </div>
  <audio preload="metadata"></audio>
</div>`;

  /** A sheet built from text: adopted sheets are not inline styles, so a strict CSP allows them. */
  function sheet(text) {
    const made = new CSSStyleSheet();
    made.replaceSync(text);
    return made;
  }

  let pageSheetAdded = false;
  function addPageSheet() {
    if (pageSheetAdded) return;
    pageSheetAdded = true;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet(PAGE_STYLE)];
  }

  function clock(seconds) {
    const total = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  const LETTER = /[\p{L}\p{N}]/u;

  /** The page's text under `root`, letters and digits only, lower case, with where each came from. */
  function pageIndex(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (parent === null || parent.closest("script, style, noscript, template, article-audio-listen")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    let key = "";
    const nodes = [];
    const offsets = [];
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.data;
      for (let i = 0; i < text.length; i += 1) {
        const lower = text[i].toLowerCase();
        if (lower.length === 1 && LETTER.test(lower)) {
          key += lower;
          nodes.push(node);
          offsets.push(i);
        }
      }
    }
    return { key, nodes, offsets };
  }

  function keyOf(text) {
    let key = "";
    for (const ch of text.toLowerCase()) if (ch.length === 1 && LETTER.test(ch)) key += ch;
    return key;
  }

  /** Where `key` is in the page from `from` on: exactly, else by its first and last words. */
  function locate(index, key, from) {
    if (!key) return -1;
    let at = index.key.indexOf(key, from);
    if (at >= 0) return [at, at + key.length];
    const edge = Math.min(24, key.length);
    at = index.key.indexOf(key.slice(0, edge), from);
    if (at < 0) return -1;
    const end = index.key.indexOf(key.slice(-edge), at);
    if (end < 0 || end - at > key.length * 1.5) return -1;
    return [at, end + edge];
  }

  const MARK = /[^\s\p{L}\p{N}]/u;

  /** The page's text from key position `start` to `end`, with the punctuation that clings to
   *  it (an opening quote, a closing stop) in the same text node. */
  function rangeOf(index, start, end) {
    const range = document.createRange();
    const first = index.nodes[start];
    let from = index.offsets[start];
    while (from > 0 && MARK.test(first.data[from - 1])) from -= 1;
    const last = index.nodes[end - 1];
    let to = index.offsets[end - 1] + 1;
    while (to < last.data.length && MARK.test(last.data[to])) to += 1;
    range.setStart(first, from);
    range.setEnd(last, to);
    return range;
  }

  /** Hands each word of a words transcript (Podcasting 2.0 segments of one word, in time order)
   * to the cue it is heard in. */
  function attachWords(cues, words) {
    let at = 0;
    for (const word of words) {
      while (at < cues.length - 1 && word.startTime >= cues[at].end) at += 1;
      if (at < cues.length) cues[at].words.push({ text: word.body, start: word.startTime, end: word.endTime });
    }
  }

  /** One Range per cue (null where its text is not on the page), and per word of cues with words. */
  function cueRanges(root, cues) {
    const index = pageIndex(root);
    let cursor = 0;
    return cues.map((cue) => {
      const found = locate(index, keyOf(cue.text), cursor);
      if (found === -1) return { sentence: null, words: [] };
      cursor = found[1];
      const words = [];
      let inner = found[0];
      for (const word of cue.words || []) {
        const wordKey = keyOf(word.text);
        const at = wordKey ? index.key.indexOf(wordKey, inner) : -1;
        if (at < 0 || at >= found[1]) { words.push(null); continue; }
        inner = at + wordKey.length;
        words.push(rangeOf(index, at, inner));
      }
      return { sentence: rangeOf(index, found[0], found[1]), words };
    });
  }

  /** Marks a Range: a named CSS highlight where the API exists, else <mark> wrappers. */
  class Marker {
    constructor(name) {
      this.name = name;
      this.wrapped = [];
    }
    show(range) {
      if (globalThis.CSS && CSS.highlights && typeof Highlight === "function") {
        if (range === null) CSS.highlights.delete(this.name);
        else CSS.highlights.set(this.name, new Highlight(range));
        return;
      }
      this.clear();
      if (range !== null) this.wrap(range);
    }
    wrap(range) {
      const walker = document.createTreeWalker(range.commonAncestorContainer, NodeFilter.SHOW_TEXT);
      const nodes = [];
      for (let n = walker.currentNode; n !== null; n = walker.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE && range.intersectsNode(n)) nodes.push(n);
      }
      for (const node of nodes) {
        let piece = node;
        const start = node === range.startContainer ? range.startOffset : 0;
        const end = node === range.endContainer ? range.endOffset : node.data.length;
        if (end < piece.data.length) piece.splitText(end);
        if (start > 0) piece = piece.splitText(start);
        const mark = document.createElement("mark");
        mark.className = this.name;
        piece.replaceWith(mark);
        mark.append(piece);
        this.wrapped.push(mark);
      }
    }
    clear() {
      for (const mark of this.wrapped) {
        const parent = mark.parentNode;
        if (parent === null) continue;
        mark.replaceWith(...mark.childNodes);
        parent.normalize();
      }
      this.wrapped = [];
    }
  }

  class ListenBlock extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot !== null) return;
      const root = this.attachShadow({ mode: "open" });
      root.adoptedStyleSheets = [sheet(STYLE)];
      root.innerHTML = TEMPLATE;
      addPageSheet();
      const $ = (selector) => root.querySelector(selector);
      this.ui = {
        block: $(".block"), play: $(".play"), title: $(".title"), minutes: $(".minutes"),
        back: $(".back"), forward: $(".forward"), progress: $(".progress"), time: $(".time"),
        speed: $(".speed"), chapters: $(".chapters"), chapterLabel: $(".chapter-label"),
        follow: $(".follow"),
      };
      this.audio = $("audio");
      this.cues = [];
      this.chapters = [];
      this.ranges = null;
      this.current = -1;
      this.currentWord = -1;
      this.duration = 0;
      this.sentenceMark = new Marker(SENTENCE);
      this.wordMark = new Marker(WORD);
      this.ui.block.setAttribute("aria-label", "Listen to this article");
      this.ui.follow.checked = this.hasAttribute("follow");
      for (const speed of SPEEDS) {
        const option = document.createElement("option");
        option.value = String(speed);
        option.textContent = `${speed}\u00d7`;
        option.selected = speed === 1;
        this.ui.speed.append(option);
      }
      this.wire();
      this.load().catch((error) => this.fail(error));
    }

    disconnectedCallback() {
      window.clearTimeout(this.poll);
      this.sentenceMark.show(null);
      this.wordMark.show(null);
    }

    wire() {
      const { audio, ui } = this;
      ui.play.addEventListener("click", () => (audio.paused ? audio.play() : audio.pause()));
      ui.back.addEventListener("click", () => this.seek(audio.currentTime - SKIP_S));
      ui.forward.addEventListener("click", () => this.seek(audio.currentTime + SKIP_S));
      ui.progress.addEventListener("input", () => this.seek(Number(ui.progress.value)));
      ui.speed.addEventListener("change", () => { audio.playbackRate = Number(ui.speed.value); });
      ui.chapters.addEventListener("change", () => {
        const chapter = this.chapters[Number(ui.chapters.value)];
        if (chapter) this.seek(chapter.start);
      });
      audio.addEventListener("play", () => this.playing(true));
      audio.addEventListener("pause", () => this.playing(false));
      audio.addEventListener("ended", () => this.playing(false));
      for (const type of ["timeupdate", "seeked", "loadedmetadata", "durationchange"]) {
        audio.addEventListener(type, () => this.sync());
      }
      this.addEventListener("keydown", (event) => {
        if (event.target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.key === "k" || event.key === "K") { event.preventDefault(); ui.play.click(); }
        if (event.key === "j" || event.key === "J") { event.preventDefault(); ui.back.click(); }
        if (event.key === "l" || event.key === "L") { event.preventDefault(); ui.forward.click(); }
      });
    }

    async load() {
      const src = this.getAttribute("src");
      if (src) return this.loadService(new URL(src, document.baseURI));
      const data = document.getElementById(this.getAttribute("narration") || "");
      const narration = data ? JSON.parse(data.textContent || "{}") : {};
      this.audio.src = new URL(this.getAttribute("audio") || "", document.baseURI).href;
      this.show(narration.title, (narration.duration_ms || 0) / 1000, narration.chapters || []);
      this.setCues((narration.cues || []).map((c) => ({
        text: c.text,
        start: c.start_ms / 1000,
        end: c.end_ms / 1000,
        words: (c.words || []).map((w) => ({ text: w.text, start: w.start_ms / 1000, end: w.end_ms / 1000 })),
      })));
    }

    async loadService(url) {
      const status = await this.fetchJson(url);
      if (!this.audio.src) this.audio.src = new URL(status.audio_url, url).href;
      if (status.status === "failed") throw new Error(status.error || "the narration failed");
      if (status.status !== "done") {
        this.show(status.title, 0, []);
        this.poll = window.setTimeout(() => this.loadService(url).catch((e) => this.fail(e)), POLL_MS);
        return;
      }
      this.show(status.title, status.duration_ms / 1000, status.chapters || []);
      const transcript = await this.fetchJson(new URL(status.transcript_url, url));
      const cues = (transcript.segments || []).map((s) => ({
        text: s.body, start: s.startTime, end: s.endTime, words: [],
      }));
      if (status.words_url) {
        try {
          const timed = await this.fetchJson(new URL(status.words_url, url));
          attachWords(cues, timed.segments || []);
        } catch (_) {
          cues.forEach((cue) => { cue.words = []; }); // the sentences are still highlighted
        }
      }
      this.setCues(cues);
    }

    async fetchJson(url) {
      const response = await fetch(url, { credentials: "omit", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      return response.json();
    }

    fail(error) {
      this.ui.minutes.textContent = " \u00b7 unavailable";
      this.setAttribute("data-error", String(error && error.message ? error.message : error));
    }

    show(title, seconds, chapters) {
      this.duration = seconds;
      if (seconds > 0) {
        this.ui.minutes.textContent = ` \u00b7 ${Math.max(1, Math.round(seconds / 60))} min`;
        this.ui.progress.max = String(seconds);
      }
      if (title) this.ui.block.setAttribute("aria-label", `Listen to this article: ${title}`);
      this.chapters = chapters.map((c) => ({ title: c.title, start: c.start_ms / 1000 }));
      this.ui.chapters.replaceChildren(...this.chapters.map((chapter, i) => {
        const option = document.createElement("option");
        option.value = String(i);
        option.textContent = `${chapter.title} (${clock(chapter.start)})`;
        return option;
      }));
      this.ui.chapterLabel.hidden = this.chapters.length < 2;
      this.sync();
    }

    setCues(cues) {
      this.cues = cues;
      this.ranges = null;
      this.sync();
    }

    target() {
      const selector = this.getAttribute("for");
      return selector ? document.querySelector(selector) : null;
    }

    /** Ranges are found on first use, and again if the page replaced the text they were in. */
    rangeFor(index) {
      const target = this.target();
      if (target === null) return { sentence: null, words: [] };
      const stale = this.ranges !== null && this.ranges[index] && this.ranges[index].sentence
        && !this.ranges[index].sentence.startContainer.isConnected;
      if (this.ranges === null || stale) {
        this.sentenceMark.clear();
        this.wordMark.clear();
        this.ranges = cueRanges(target, this.cues);
      }
      return this.ranges[index] || { sentence: null, words: [] };
    }

    seek(time) {
      const end = this.duration || this.audio.duration || 0;
      const limit = Number.isFinite(end) && end > 0 ? end : Infinity;
      this.audio.currentTime = Math.min(Math.max(0, time), limit);
      this.sync();
    }

    playing(on) {
      this.ui.play.setAttribute("aria-label", on ? "Pause" : "Play");
      this.ui.play.innerHTML = on ? "&#10074;&#10074;" : "&#9654;";
      this.toggleAttribute("playing", on);
    }

    indexAt(time) {
      let found = -1;
      let lo = 0;
      let hi = this.cues.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (this.cues[mid].start <= time + EPSILON) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }

    sync() {
      const time = this.audio.currentTime || 0;
      const total = this.duration || (Number.isFinite(this.audio.duration) ? this.audio.duration : 0);
      this.ui.progress.value = String(time);
      this.ui.progress.setAttribute("aria-valuetext", total ? `${clock(time)} of ${clock(total)}` : clock(time));
      this.ui.time.textContent = total ? `${clock(time)} / ${clock(total)}` : clock(time);
      let chapter = -1;
      this.chapters.forEach((c, i) => { if (c.start <= time + EPSILON) chapter = i; });
      if (chapter >= 0 && this.ui.chapters.value !== String(chapter)) this.ui.chapters.value = String(chapter);
      const index = this.indexAt(time);
      if (index !== this.current) {
        this.current = index;
        this.currentWord = -1;
        const found = index >= 0 ? this.rangeFor(index) : { sentence: null, words: [] };
        this.sentenceMark.show(found.sentence);
        this.wordMark.show(null);
        if (found.sentence !== null) this.reveal(found.sentence);
        this.dispatchEvent(new CustomEvent("article-audio-cue", {
          detail: { index, text: index >= 0 ? this.cues[index].text : null, found: found.sentence !== null },
        }));
      }
      this.syncWord(index, time);
    }

    syncWord(index, time) {
      const words = index >= 0 ? this.cues[index].words : null;
      if (!words || !words.length) return;
      let word = -1;
      words.forEach((w, i) => { if (w.start <= time + EPSILON) word = i; });
      if (word === this.currentWord) return;
      this.currentWord = word;
      const range = word >= 0 ? this.rangeFor(index).words[word] : null;
      this.wordMark.show(range || null);
    }

    reveal(range) {
      if (!this.ui.follow.checked || this.audio.paused) return;
      const box = range.getBoundingClientRect();
      if (box.top >= 0 && box.bottom <= window.innerHeight) return;
      const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      window.scrollBy({ top: box.top - window.innerHeight / 3, behavior: reduce ? "auto" : "smooth" });
    }
  }

  customElements.define("article-audio-listen", ListenBlock);
})();
